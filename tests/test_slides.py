"""The static slide decks (`./run slides`): built offline, shown in Chromium with the network cut off.

The decks are built once into a temporary folder from the JavaScript that
`./run test` downloads before the tests (the run itself has no network),
served on loopback, and each is opened in headless Chromium with every request
to another host blocked: reveal.js starts, the slides advance, every formula
of the deck is typeset by MathJax without error, every image decodes, and the
page raises no JavaScript error. No deck shows an exercise's solution.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
import browser_lab  # noqa: E402
import build_slides  # noqa: E402
from build_handout import serve  # noqa: E402
from exercises import BEGIN, role  # noqa: E402
from test_site import browser  # noqa: E402,F401 - the same module-scoped Chromium fixture

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))


def slide_type(cell):
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    missing = [f"{n}-{v}" for n, v, _, _ in build_slides.ASSETS if not (build_slides.CACHE / f"{n}-{v}").exists()]
    if missing:
        pytest.fail(f"the decks' JavaScript is not in {build_slides.CACHE} ({', '.join(missing)}): "
                    "`./run test` and `./run slides` download it; the tests run offline")
    out = tmp_path_factory.mktemp("slides")
    build_slides.build(out)
    return out


@pytest.fixture(scope="module")
def served(decks):
    with serve(decks) as url:
        yield url


def test_every_notebook_has_a_deck_and_no_deck_shows_a_solution(decks):
    index = (decks / "index.html").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        deck = (decks / f"{path.stem}.slides.html").read_text(encoding="utf-8")
        cells = set(re.findall(r'id="cell-id=([^"]+)"', deck))
        exercises = {c.id for c in nb.cells if role(c) is not None}
        assert exercises and not exercises & cells and BEGIN not in deck, path.name
        assert cells == {c.id for c in nb.cells if role(c) is None and "nav" not in c.metadata.get("rawnn", {})
                         and slide_type(c) != "skip"}, path.name
        assert f'href="{path.stem}.slides.html"' in index


def test_no_file_of_a_deck_names_another_host_it_would_load(decks):
    loads = re.compile(r"""(?:<script[^>]+src|<link[^>]+href|<img[^>]+src)\s*=\s*["']?(https?:)?//""")
    assert [p.name for p in decks.glob("*.html") if loads.search(p.read_text(encoding="utf-8"))] == []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_deck_shows_offline(decks, served, browser, notebook):
    nb = nbformat.read(notebook, as_version=4)
    shown = [c for c in nb.cells if slide_type(c) != "skip" and role(c) is None]
    outside, errors = [], []
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1"
                  else (outside.append(r.request.url), r.abort()))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    try:
        page.goto(f"{served}/{notebook.stem}.slides.html", wait_until="load")
        page.wait_for_function("() => document.querySelector('.reveal.ready')", timeout=20_000)   # reveal.js started
        page.wait_for_function("() => window.MathJax && MathJax.isReady && MathJax.Hub.queue.pending === 0"
                               " && MathJax.Hub.queue.running === 0", timeout=30_000)
        first = page.evaluate("() => location.hash")        # reveal.js keeps the slide's index there
        page.keyboard.press("ArrowRight")                   # as a lecturer moves on
        page.wait_for_function("first => location.hash !== first", arg=first, timeout=5_000)
        facts = page.evaluate("""() => ({
            slides: document.querySelectorAll('.reveal .slides section').length, after: location.hash,
            formulas: MathJax.Hub.getAllJax().length,         // every formula MathJax typeset
            mathErrors: [...document.querySelectorAll('.MathJax_CHTML merror, .mjx-merror, .MathJax_Error')]
                        .map(e => e.textContent),
            images: [...document.images].map(i => i.complete && i.naturalWidth > 0),
            cells: [...document.querySelectorAll('[id^="cell-id="]')].map(e => e.id.slice(8)),
        })""")
    finally:
        context.close()
    assert outside == [] and errors == [], (outside, errors)
    assert facts["slides"] >= 2 and facts["after"] != first, facts          # it advanced
    assert facts["cells"] and not {c.id for c in nb.cells if role(c) is not None} & set(facts["cells"])
    markdown_math = sum(len(browser_lab.formulas_in_markdown(c.source)) for c in shown if c.cell_type == "markdown")
    assert facts["mathErrors"] == [] and (facts["formulas"] >= markdown_math > 0), (facts["formulas"], markdown_math)
    assert facts["images"] and all(facts["images"]), "an image did not decode"
