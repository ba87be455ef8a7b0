"""Print the web site to one PDF, build/handout.pdf: the front page, then every notebook in order.

    ./run handout          # builds the site first (./run site), then prints it

Each page is opened in headless Chromium (Debian's, driven by playwright),
from a server on loopback, once MathJax has typeset it; Chromium prints it
with the theme's print style (no side bars), and pypdf joins the pages' PDFs
into one, with a bookmark per page. Like the site, it shows the exercises as
stubs and no solution. The post's Chinese quotations need a CJK font
(Debian: apt-get install fonts-noto-cjk); without one Chromium prints nothing for them.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat
from pypdf import PdfReader, PdfWriter

from build_site import OUT as SITE
from build_site import build as build_site
from notebook_list import ROOT, notebook_paths, title

OUT = ROOT / "build" / "handout.pdf"
CHROMIUM = os.environ.get("RAWNN_CHROMIUM", "/usr/bin/chromium")    # Debian's; another Chromium or Chrome by path
# Headless, and quiet on a closed network: no component updates or background requests.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pages():
    """The site's pages in the handout's order, with their bookmark titles."""
    return [("index.html", "rawnn: backpropagation from scratch")] + [
        (f"notebooks/{p.stem}.html", f"{p.name[:2]} · {title(nbformat.read(p, as_version=4))}") for p in notebook_paths()]


@contextmanager
def serve(folder):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def print_pages(url, browser, out, context=None, inspect=None):
    """Print each page of the site served at ``url`` with ``browser``; join them into ``out``; return its page count.

    The tests pass their own ``context`` (outside requests blocked, errors recorded) and
    ``inspect(path, page)``, called once a page is typeset, before it is printed.
    """
    writer = PdfWriter()
    own, context = context is None, context or browser.new_context()
    try:
        page = context.new_page()
        for path, bookmark in pages():
            page.goto(f"{url}/{path}", wait_until="load")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
            page.evaluate("() => MathJax.startup.promise")       # resolves once the page is typeset
            if inspect is not None:
                inspect(path, page)
            first = len(writer.pages)
            pdf = page.pdf(format="A4", print_background=True, outline=False,
                           margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
            writer.append(PdfReader(io.BytesIO(pdf)))
            writer.add_outline_item(title=bookmark, page_number=first)
    finally:
        if own:
            context.close()
    writer.add_metadata({"/Title": "rawnn: backpropagation from scratch, the handout"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        writer.write(f)
    return len(writer.pages)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        sys.exit(f"error: {CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium), "
                 "or name a Chromium or Chrome with RAWNN_CHROMIUM=/path/to/it")
    t0 = time.perf_counter()
    site = build_site(ROOT / "build" / "site-src", SITE)
    with serve(site) as url, sync_playwright() as pw, tempfile.TemporaryDirectory() as home:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                     env={"HOME": home, "PATH": "/usr/bin:/bin"})
        count = print_pages(url, browser, args.out)
        browser.close()
    print(f"handout: {count} pages in {args.out} ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
