"""Every notebook of the series, run in a real JupyterLab in headless Chromium.

For each notebooks/NN_*.ipynb: a copy without outputs is opened in JupyterLab,
run with Run > Run All Cells, and checked the way a reader would look at it:
every code cell ran, no error and no stderr (warnings) in any output, every
formula typeset by MathJax without error, every plot a decoded image, no
JavaScript error in the page. A screenshot of each run is kept in
test-output/browser/ (not committed).

The tests of the checker itself build small notebooks in a temporary folder:
one that does not finish in time, and one with cells that work (whose
output, plot and formulas the checker must see, and not report) and a fault
of each kind (an exception, a warning, LaTeX errors, an image that does not
decode), run once, in which every fault must be reported at its own cell.

Needs Debian's Chromium: `apt-get install chromium`. Without it these tests
skip, or fail when RAWNN_REQUIRE_BROWSER=1. The tests here share one JupyterLab
server and one browser per worker, so under xdist use `--dist loadfile`: with it,
conftest.py sends notebooks 01, 03, 05, 06 and 07 to a worker of their own
choosing, so that with two workers (./run test) two servers and browsers run
side by side, one for them and one for the rest of this file.
RAWNN_BROWSER_TIMEOUT sets the seconds allowed for each notebook's run, from
Run All Cells to its end (default 300).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_lab  # noqa: E402
from browser_lab import LabServer, LabServerError, run_in_lab  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
SCREENSHOTS = ROOT / "test-output" / "browser"
REQUIRE_ENV = "RAWNN_REQUIRE_BROWSER"


def need_browser():
    """Skip without Chromium or playwright, or fail when RAWNN_REQUIRE_BROWSER=1."""
    reason = browser_lab.browser_unavailable()
    if reason is None:
        return
    if os.environ.get(REQUIRE_ENV, "").strip() == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: the browser test must run)", pytrace=False)
    pytest.skip(reason)


class Lab:
    """One JupyterLab server and one Chromium for the tests of this module in one worker, started on first use.

    A server that died fails the test that finds it dead, with its log, and
    is replaced for the next one. Every notebook's kernel is shut down after
    its run. A notebook opens in the page the one before left (File > Open from
    Path, as a learner goes on; JupyterLab loads once, not once a notebook),
    unless that one had a problem or went on after its run (01's slides, 03's
    links): then it opens in a fresh browser context, by its URL.
    """

    def __init__(self, base: Path):
        self.base = base
        self.server: LabServer | None = None
        self.servers_started = 0
        self._playwright = None
        self._browser = None
        self._left = (None, None)                # (page left by the last run, its server)

    def ensure_server(self) -> LabServer:
        if self.server is not None and not self.server.alive():
            dead, self.server = self.server, None
            log = dead.log()
            dead.stop()
            raise LabServerError(f"the JupyterLab server stopped answering between two notebooks "
                                 f"(the next test starts a new one); its log:\n{log}")
        if self.server is None:
            self.servers_started += 1
            self.server = LabServer(self.base / f"server{self.servers_started}")
            self.server.start()  # raises LabServerError with the server's log
        return self.server

    def browser(self):
        if self._browser is None or not self._browser.is_connected():
            if self._playwright is None:
                from playwright.sync_api import sync_playwright
                self._playwright = sync_playwright().start()
            self._browser = browser_lab.launch_chromium(self._playwright)
        return self._browser

    def run(self, notebook: Path, screenshot: Path, timeout: float | None = None, **options) -> browser_lab.Report:
        need_browser()
        server = self.ensure_server()
        (page, its_server), self._left = self._left, (None, None)
        if page is not None and (its_server is not server or page.is_closed()):
            if not page.is_closed():
                page.context.close()
            page = None
        report = run_in_lab(notebook, screenshot, server=server, browser=self.browser(), timeout=timeout,
                            page=page, keep_page=True, **options)
        self._left = (report.page, server)
        print(f"{notebook.name}: {report.seconds:.1f} s "
              + " ".join(f"{k}={v:.1f}" for k, v in report.timings.items()))
        return report

    def close(self):
        if self._browser is not None:
            try:
                self._browser.close()
            except Exception:
                pass
        if self._playwright is not None:
            self._playwright.stop()
        if self.server is not None:
            self.server.stop()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    lab = Lab(tmp_path_factory.mktemp("jupyterlab"))
    yield lab
    lab.close()


# --------------------------------------------------------------------------
# The series
# --------------------------------------------------------------------------

@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_in_jupyterlab(lab, notebook, record_property):
    """Run All in JupyterLab; then, in notebook 01, show it as slides (RISE); in 03, follow its navigation links."""
    nav = notebook == NOTEBOOKS[2]
    then = {NOTEBOOKS[0]: start_the_slideshow, NOTEBOOKS[2]: follow_the_navigation_links}.get(notebook)
    report = lab.run(notebook, SCREENSHOTS / f"{notebook.stem}.png", siblings=NOTEBOOKS if nav else (), then=then)
    record_property("seconds", round(report.seconds, 1))
    assert report.problems == [], report.describe()


def start_the_slideshow(page, server, relpath):
    """After its run, notebook 01 as live slides, as a teacher starts them: select the first cell, then
    View > Render as Reveal Slideshow (jupyterlab-rise). Its first slide renders, with the notebook's opening."""
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.keyboard.press("Escape")                       # command mode: the slideshow starts at the selected cell
    browser_lab.menu_command(page, "View", "RISE:preview")
    slides = page.frame_locator("iframe[src*='/rise/']")
    present = slides.locator(".reveal .slides section.present").first
    present.wait_for(state="visible", timeout=60_000)
    present.locator(".jp-RenderedMarkdown").filter(visible=True).first.wait_for(state="visible", timeout=30_000)
    assert "What you will learn" in present.inner_text()
    assert slides.locator("body").evaluate("() => location.hash") == "#/slide-0-0"


def follow_the_navigation_links(page, server, relpath):
    """After its run, notebook 03's Contents link opens the README as a rendered page at the table of
    notebooks; its previous and next links open notebooks 02 and 04, inside JupyterLab."""
    current = page.locator(".jp-MainAreaWidget:not(.lm-mod-hidden)")

    def follow(link_text, expect_tab):
        nav = current.locator(".jp-MarkdownCell").first
        nav.get_by_role("link", name=link_text).click()
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        tab.filter(has_text=expect_tab).wait_for(state="visible", timeout=30_000)

    follow("Contents", "README.md")
    rendered = current.locator(".jp-RenderedMarkdown")
    rendered.first.wait_for(state="visible", timeout=30_000)
    assert current.locator(".jp-MarkdownViewer").count() == 1, "the README opened, but not as Markdown Preview"
    rendered.locator("h2", has_text="The notebooks").wait_for(state="visible", timeout=10_000)
    # The #The-notebooks fragment was followed: the viewer scrolled down to the table (images above it
    # that load later may still push it a little further down).
    page.wait_for_function("v => [v, ...v.querySelectorAll('*')].some(e => e.scrollTop > 0)",
                           arg=current.locator(".jp-MarkdownViewer").element_handle(), timeout=10_000)

    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=NOTEBOOKS[2].name).click()
    follow(re.compile(r"^02 "), NOTEBOOKS[1].name)
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").count() == 1, "02 did not open as a notebook"
    follow(re.compile(r"^03 "), NOTEBOOKS[2].name)
    follow(re.compile(r"^04 "), NOTEBOOKS[3].name)
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").count() == 1, "04 did not open as a notebook"

    # Opened by its path (File > Open from Path..., its tab closed first), the README shows rendered
    # too: Markdown Preview is the default viewer (the settings ./run installs into the venv).
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="README.md").locator(
        ".lm-TabBar-tabCloseIcon").click()
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="README.md").wait_for(state="detached")
    browser_lab._open_from_path(page, relpath.replace("notebooks/" + NOTEBOOKS[2].name, "README.md"))
    page.locator(".jp-MarkdownViewer:not(.lm-mod-hidden), .jp-MainAreaWidget:not(.lm-mod-hidden) .jp-FileEditor"
                 ).first.wait_for(state="visible", timeout=60_000)
    assert page.locator(".jp-MarkdownViewer:not(.lm-mod-hidden)").count() == 1, \
        "README.md opened by its path is not a Markdown Preview"


# --------------------------------------------------------------------------
# The checker itself, on notebooks made here
# --------------------------------------------------------------------------

def make_notebook(folder: Path, name: str, cells) -> Path:
    """<folder>/notebooks/<name>, laid out as in the project."""
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(browser_lab.KERNELSPEC)
    path = folder / "notebooks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return tmp_path_factory.mktemp("made-notebooks")


def selftest_shot(path: Path) -> Path:
    return SCREENSHOTS / "selftest" / f"{path.stem}.png"


def test_checker_reports_a_run_that_does_not_finish(lab, made):
    path = make_notebook(made, "95_too_slow.ipynb", [
        new_code_cell("import time\ntime.sleep(600)"),
        new_code_cell("print('after the sleep')"),
    ])
    report = lab.run(path, selftest_shot(path), timeout=2)  # seconds from Run All Cells
    problems = report.describe()
    assert any("did not finish within 2 s" in p and "#1, #2" in p for p in report.problems), problems
    assert any("2 of 2 code cells did not run" in p for p in report.problems), problems
    assert lab.server.kernels() == [], "the busy kernel is shut down too"


# One notebook with a fault of each kind, after cells that work, run once: the checker sees what
# ran well (the kernel's own Python, a plot, the formulas) and reports every fault, each at its
# own cell; the tests below each look for one.
#
# Run All sends every cell to the kernel at once; after an error the kernel skips the requests already
# waiting, but one that arrives later still runs. The second before the error makes sure the last
# cell's request is waiting.
#
# What each broken formula becomes in JupyterLab 4.6 (MathJax 3):
#   $\left( x$       -> an mjx-merror element ("Extra \left or missing \right")
#   $x^^2$           -> an mjx-merror element ("Missing open brace for superscript")
#   $\undefinedmacro x$ -> no error element: the macro's name typeset in red
#   $\frac{1}{$      -> not taken as math at all (unbalanced braces): left as raw text
BAD_CELLS = [
    new_markdown_cell("A neuron computes $a = \\sigma(w^\\top x + b)$, and the gradient is\n\n"   # markdown #1
                      "$$\\frac{\\partial L}{\\partial w} = \\delta \\, x .$$"),
    new_code_cell("import sys\nprint(sys.executable)\nprint(sys.prefix)"),   # code #1 (a stale output stored)
    new_code_cell("import matplotlib.pyplot as plt\n"                        # code #2: a plot
                  "fig, ax = plt.subplots(figsize=(4, 3))\n"
                  "ax.plot([0, 1, 2, 3], [0, 1, 4, 9], marker='o')\n"
                  "plt.show()"),
    new_code_cell("import warnings\nwarnings.warn('careful')"),         # code #3: a warning
    new_markdown_cell("Unclosed: $\\left( x$."),                        # markdown #2
    new_code_cell("from IPython.display import display\n"               # code #4: runs after the warning;
                  "display({'image/png': 'bm90IGEgcG5n', 'text/plain': 'broken'}, raw=True)"),  # not a PNG
    new_markdown_cell("Double superscript: $x^^2$."),                   # markdown #3
    new_markdown_cell("Undefined: $\\undefinedmacro x$."),              # markdown #4
    new_markdown_cell("Unbalanced: $\\frac{1}{$ end."),                 # markdown #5
    new_code_cell("import time\ntime.sleep(1)\nraise ValueError('boom')"),  # code #5: an exception
    new_code_cell("print('never reached')"),                            # code #6: not run
]

# Each fault's report, told apart by its own message.
BAD_NOTEBOOK_FAULTS = {
    "warning": lambda p: (p.startswith("code cell #3 [3]: ") and "stderr output" in p
                          and "UserWarning: careful" in p),
    "broken image": lambda p: p.startswith("code cell #4:") and "not a decoded picture" in p,
    "exception": lambda p: (p.startswith("code cell #5 [5]: ") and "shows an error" in p
                            and "ValueError: boom" in p),
    "not run after the exception": lambda p: (p.startswith("1 of 6 code cells did not run")
                                              and "#6 (prompt '[ ]:')" in p),
    "\\left without \\right": lambda p: (p.startswith("markdown cell #2 ") and "MathJax marks a formula as an error" in p
                                         and "Extra" in p and "missing" in p),
    "double superscript": lambda p: (p.startswith("markdown cell #3 ") and "MathJax marks a formula as an error" in p
                                     and "superscript" in p),
    "undefined macro": lambda p: (p.startswith("markdown cell #4 ") and "undefined LaTeX macro" in p
                                  and "\\undefinedmacro" in p),
    "unbalanced braces, left as raw text": lambda p: p.startswith("markdown cell #5 ") and "left as raw text" in p,
    "unbalanced braces, nothing typeset": lambda p: (p.startswith("markdown cell #5 ")
                                                     and "MathJax typeset none of its formulas" in p),
}


@pytest.fixture(scope="module")
def bad_run(lab, made):
    """The report of the bad notebook's run, and the kernels left after it."""
    nb = new_notebook(cells=BAD_CELLS)
    # A stored output must not count: the copy that runs has none.
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="stale\n")]
    nb.cells[1].execution_count = 7
    path = make_notebook(made, "91_bad.ipynb", nb.cells)
    report = lab.run(path, selftest_shot(path))
    return report, lab.server.kernels()


def test_checker_sees_what_ran_well(bad_run):
    report, _ = bad_run
    assert report.code_cells == 6
    # The kernel is this environment's own Python, and the stored output is not what shows.
    assert report.outputs[0][0]["text"].split() == [sys.executable, sys.prefix], report.outputs[0]
    assert "stale" not in report.text_outputs()
    assert report.images == 2, "the plot, and the broken picture (reported below)"
    assert report.formulas_by_cell[0] == 2, "markdown #1's two formulas are typeset by MathJax"
    assert report.screenshot.stat().st_size > 10_000


def reported(bad_run, fault: str):
    """Fail unless exactly one of the bad run's problems is about `fault`."""
    report, _ = bad_run
    found = [p for p in report.problems if BAD_NOTEBOOK_FAULTS[fault](p)]
    assert len(found) == 1, f"{fault}: want one problem about it, found {len(found)}\n{report.describe()}"


def test_checker_reports_an_exception(bad_run):
    reported(bad_run, "exception")
    reported(bad_run, "not run after the exception")
    report, kernels = bad_run
    assert report.prompts == ["[1]:", "[2]:", "[3]:", "[4]:", "[5]:", "[ ]:"], report.describe()
    assert kernels == [], "the kernel is shut down after the run"


def test_checker_reports_a_warning(bad_run):
    reported(bad_run, "warning")
    assert bad_run[0].prompts[3] == "[4]:", "the run goes on after a warning"


def test_checker_reports_latex_errors(bad_run):
    for fault in ("\\left without \\right", "double superscript", "undefined macro",
                  "unbalanced braces, left as raw text", "unbalanced braces, nothing typeset"):
        reported(bad_run, fault)
    report, _ = bad_run
    assert not [p for p in report.problems if p.startswith("markdown cell #1 ")], report.describe()


def test_checker_reports_an_image_that_does_not_decode(bad_run):
    reported(bad_run, "broken image")


def test_checker_reports_nothing_but_the_faults(bad_run):
    report, _ = bad_run
    others = [p for p in report.problems if not any(is_it(p) for is_it in BAD_NOTEBOOK_FAULTS.values())]
    assert others == [], report.describe()
    assert len(report.problems) == len(BAD_NOTEBOOK_FAULTS), report.describe()


# --------------------------------------------------------------------------
# Parts that need no browser
# --------------------------------------------------------------------------

def test_missing_chromium_skips_or_fails_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_lab, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        need_browser()
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        need_browser()


def test_a_server_that_dies_at_start_fails_with_its_log(tmp_path):
    server = LabServer(tmp_path / "lab", extra_args=["--no-such-option"])
    with pytest.raises(LabServerError) as err:
        server.start()
    assert "unrecognized arguments: --no-such-option" in str(err.value)
    assert server.proc is None


@pytest.mark.parametrize("source, formulas", [
    ("no math here", []),
    ("inline $x^2$ and $y$", ["$x^2$", "$y$"]),
    ("display\n$$\n\\sum_i x_i\n$$\n", ["$$\n\\sum_i x_i\n$$"]),
    ("money: $5 and $6, escaped \\$x\\$", []),
    ("code `$x$` and\n```\n$y$\n```\n", []),
    ("\\begin{align} a &= b \\end{align}", ["\\begin{align} a &= b \\end{align}"]),
])
def test_formulas_in_markdown(source, formulas):
    assert browser_lab.formulas_in_markdown(source) == formulas


def test_the_copy_that_runs_has_no_outputs():
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3)]
    nb.cells[0].execution_count = 3
    copy = browser_lab.stripped_copy(nb)
    assert copy.cells[0].outputs == [] and copy.cells[0].execution_count is None
    assert copy.metadata.kernelspec["name"] == "python3"
    assert nb.cells[0].execution_count == 3, "the original is left alone"
