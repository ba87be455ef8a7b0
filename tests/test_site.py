"""The web site: built offline from the stored outputs, and read in Chromium with the network cut off.

`./run site` builds build/site/ with Sphinx; here it is built once into a
temporary folder, served on loopback, and every page is opened in headless
Chromium with every request to another host blocked. Each page must typeset
its formulas with MathJax without error, decode every image, raise no
JavaScript error, ask no other host for anything, and link only to files
that exist. The exercises show their stubs, never a solution or a "passed".
Each page is read once, by the same run that prints the handout
(`./run handout`'s print_pages), whose PDF is then read back.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
import browser_lab  # noqa: E402
from build_handout import pages as handout_pages  # noqa: E402
from build_handout import print_pages, serve  # noqa: E402
from build_site import build  # noqa: E402
from exercises import BEGIN, role  # noqa: E402
from notebook_list import title  # noqa: E402
from test_browser import need_browser  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    return build(tmp / "src", tmp / "site")


@pytest.fixture(scope="module")
def served(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    need_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = browser_lab.launch_chromium(pw)
        yield chromium
        chromium.close()


def pages():
    return [path for path, _ in handout_pages()]


@pytest.fixture(scope="module")
def read_and_printed(served, browser, tmp_path_factory):
    """Every page of the site read once in Chromium with every request to another host blocked, and
    printed as `./run handout` prints it: ({page: (facts, outside requests, errors)}, the PDF, its pages)."""
    seen, outside, errors = {}, [], []
    context = browser.new_context(viewport=browser_lab.VIEWPORT)

    def route(r):
        if urlparse(r.request.url).hostname in ("127.0.0.1", "localhost"):
            return r.continue_()
        outside.append(r.request.url)
        return r.abort()

    def inspect(path, page):
        facts = page.evaluate("""() => ({
            formulas: document.querySelectorAll('mjx-container').length,
            mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent),
            images: [...document.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0,
                                                   i.getAttribute('alt') || '']),
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
        })""")
        seen[path] = (facts, outside[:], errors[:])
        outside.clear(), errors.clear()

    context.route("**/*", route)
    context.on("weberror", lambda err: errors.append(str(err.error)))
    context.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    pdf = tmp_path_factory.mktemp("handout") / "handout.pdf"
    try:
        count = print_pages(served, browser, pdf, context=context, inspect=inspect)
    finally:
        context.close()
    return seen, pdf, count


def test_the_site_has_a_front_page_and_a_page_per_notebook_and_no_solution(site):
    for page in pages():
        assert (site / page).exists(), page
    source = site.parent / "src" / "notebooks"          # the site edition the pages were made from
    for path in NOTEBOOKS:
        cells = nbformat.read(source / path.name, as_version=4).cells
        exercises = [c for c in cells if role(c) in ("solution", "check")]
        assert len(exercises) >= 4, path.name
        assert all(c.outputs == [] for c in exercises), f"{path.name}: an exercise cell shows an output"
        assert all(BEGIN not in c.source and "NotImplementedError" in c.source
                   for c in exercises if role(c) == "solution"), f"{path.name}: a solution is on the site"
        kept = [c for c in cells if c.cell_type == "code" and c.outputs]
        assert kept, f"{path.name}: the other cells keep their stored outputs"
    assert "NotImplementedError" in (site / "notebooks" / f"{NOTEBOOKS[0].stem}.html").read_text(encoding="utf-8")


def test_no_file_of_the_site_names_another_host(site):
    """The built HTML, CSS and JavaScript load nothing from the internet (links out are fine)."""
    loads = re.compile(r"""(?:<script[^>]+src|<link[^>]+href|<img[^>]+src|url\()\s*=?\s*["']?(https?:)?//""")
    offenders = [str(p.relative_to(site)) for p in site.rglob("*") if p.suffix in (".html", ".css")
                 and loads.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert offenders == []


@pytest.mark.parametrize("page", pages())
def test_page_reads_offline(site, read_and_printed, page):
    facts, outside, errors = read_and_printed[0][page]
    assert outside == [] and errors == []
    assert facts["mathErrors"] == [] and (facts["formulas"] > 0 or page == "index.html")
    assert [src for src, ok, _ in facts["images"] if not ok] == [], "images that did not decode"
    assert [src for src, _, alt in facts["images"] if not alt.strip() or alt == src] == [], "images without alt text"
    here = (site / page).parent
    broken = []
    for href in facts["links"]:
        url = urlparse(href)
        if url.scheme or not url.path:
            continue
        if not (here / unquote(url.path)).resolve().exists():
            broken.append(href)
    assert broken == [], "internal links to files that are not in the site"


def test_the_handout_prints_every_page_with_its_text_and_formulas(read_and_printed):
    """`./run handout`'s printing, on the site built here: one PDF, a bookmark and the title of every
    notebook at its first page, the text and the formulas extractable, no solution."""
    from pypdf import PdfReader
    _, pdf, count = read_and_printed
    reader = PdfReader(pdf)
    assert len(reader.pages) == count and len(pages()) * 4 <= count <= 400, count
    starts = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert list(starts) == [bookmark for _, bookmark in handout_pages()]
    for path in NOTEBOOKS:
        name = title(nbformat.read(path, as_version=4))
        start = starts[f"{path.name[:2]} · {name}"]
        assert " ".join(name.split()[:3]) in " ".join(reader.pages[start].extract_text().split()), path.name
    text = "".join(page.extract_text() for page in reader.pages)
    stubs = sum(role(c) == "solution" for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells)
    assert "∂L/∂h2 = P −Y" in text and text.count("raise NotImplementedError") >= stubs   # every exercise a stub
    assert "即每次" in text, "the post's Chinese is not in the handout (no CJK font? apt-get install fonts-noto-cjk)"
