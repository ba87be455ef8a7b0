"""Build a reveal.js slide deck per notebook in build/slides/, offline, from the stored outputs.

    ./run slides            # then open build/slides/index.html

The slides are the notebooks' own cells: each cell's slideshow metadata
(View > Cell Toolbar > Slideshow in Jupyter; the same marks RISE shows live in
JupyterLab) says whether it starts a slide, a sub-slide or a fragment,
continues the slide, or is skipped. Exercise solutions and checks never reach
a deck. nbconvert's slides template loads reveal.js, require.js, jQuery and
MathJax 2.7.7 from CDNs by default; here all four come from the npm registry
(pinned versions, checked against their sha512 integrity), are kept in
<venv>/slides-assets after the first download, and are copied into the deck's
folder, so a deck asks no other host for anything.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import io
import re
import shutil
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from exercises import role
from student_edition import edition_source
from notebook_list import ROOT, is_nav, notebook_paths, title

OUT = ROOT / "build" / "slides"
CACHE = Path(sys.prefix) / "slides-assets"
TEMPLATES = Path(__file__).parent / "slides"
NOTEBOOK_LINK = re.compile(r"\]\((\d\d_\w+)\.ipynb(#[^)]*)?\)")
# name, version, npm's sha512 integrity, and the files of the package a deck needs
ASSETS = [
    ("reveal.js", "4.6.1", "1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
     ("dist/", "plugin/notes/")),
    ("requirejs", "2.3.7", "DouTG8T1WanGok6Qjg2SXuCMzszOo0eHeH9hDZ5Y4x8Je+9JB38HdTLT4/VA8OaUhBa0JPVHJ0pyBkM1z+pDsw==",
     ("require.js",)),
    ("jquery", "3.7.1", "m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
     ("dist/jquery.min.js",)),
    ("mathjax", "2.7.7", "OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
     ("MathJax.js", "config/", "extensions/", "jax/element/", "jax/input/TeX/", "jax/output/CommonHTML/",
      "fonts/HTML-CSS/TeX/woff/")),
]


def fetch_assets(cache=CACHE):
    """Download each pinned package once from the npm registry, check it, unpack what a deck needs."""
    for name, version, integrity, keep in ASSETS:
        folder = cache / f"{name}-{version}"
        if folder.exists():
            continue
        url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
        print(f"==> downloading {url}", flush=True)
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
        if base64.b64encode(hashlib.sha512(data).digest()).decode() != integrity:
            raise RuntimeError(f"{url}: its sha512 is not the pinned one; not using it")
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for member in tar.getmembers():
                path = member.name.removeprefix("package/")
                if member.isfile() and path.startswith(keep):
                    tar.extract(member, partial, filter="data")
        (partial / "package").rename(folder)             # the folder appears whole, or not at all
        shutil.rmtree(partial)
    return cache


def deck_notebook(nb):
    """The notebook as a deck shows it: no navigation, no exercise solution or check, whatever their
    slide marks; links to other notebooks go to their decks, and to files of the project from build/slides/."""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if role(c) is None and not is_nav(c)]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = NOTEBOOK_LINK.sub(r"](\1.slides.html\2)", edition_source(cell.source)).replace("](../", "](../../")
    return nb


def plain(text):
    """A title for places where no formula is typeset (the page's title, the index): its LaTeX as text."""
    for latex, char in (("\\partial ", "∂"), ("\\partial", "∂"), ("_2", "₂"), ("_1", "₁"), (" - ", " − "), ("$", "")):
        text = text.replace(latex, char)
    return text


def exporter():
    urls = {name: f"vendor/{name}-{version}" for name, version, _, _ in ASSETS}
    return SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)], template_name="rawnn_reveal",
        reveal_url_prefix=urls["reveal.js"], reveal_theme="white", require_js_url=f"{urls['requirejs']}/require.js",
        jquery_url=f"{urls['jquery']}/dist/jquery.min.js",
        mathjax_url=f"{urls['mathjax']}/MathJax.js?config=TeX-AMS_CHTML-full,Safe")


def build(out=OUT, cache=CACHE):
    """Write one deck per notebook and an index into ``out``; return the decks' paths."""
    fetch_assets(cache)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(cache, out / "vendor")
    slides, decks = exporter(), []
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        body, _ = slides.from_notebook_node(deck_notebook(nb), resources={"metadata": {"name": plain(title(nb))}})
        decks.append(out / f"{path.stem}.slides.html")
        decks[-1].write_text(body, encoding="utf-8")
    items = "\n".join(f'<li><a href="{d.name}">{html.escape(plain(title(nbformat.read(p, as_version=4))))}</a></li>'
                      for d, p in zip(decks, notebook_paths()))
    (out / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>rawnn slides</title></head>\n"
        f"<body><h1>rawnn: the slides</h1>\n<p>One deck per notebook, made from its cells: the arrow keys "
        f"move (down: the next part of a long section), Esc shows them all.</p>\n<ol>\n{items}\n</ol></body></html>\n", encoding="utf-8")
    return decks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch-only", action="store_true", help="only download the JavaScript (./run test does)")
    args = parser.parse_args(argv)
    if args.fetch_only:
        fetch_assets()
        return 0
    t0 = time.perf_counter()
    decks = build()
    print(f"slides: {len(decks)} decks in {OUT} ({time.perf_counter() - t0:.1f} s); open {OUT / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
