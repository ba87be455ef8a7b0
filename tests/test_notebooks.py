"""The stored notebooks: hygiene that nbval cannot see, links, captions, and proof that nbval compares.

nbval (run in the same pytest session over notebooks/) re-executes every
notebook and compares each cell's output with the stored one. These tests check
what it silently skips or cannot see: cells stored without an execution count
are never compared, stored errors and warnings, a wrong kernel, links and
images that do not resolve, figures without a caption, and a copy of a helper
inside a notebook. The last tests prove nbval is not a no-op: a tampered stored
output fails it.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

import rawnn_helpers

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]*_*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]

MD_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HTML_SRC = re.compile(r"""<img[^>]+src=["']([^"']+)["']""")
SAVE_FIGURE = re.compile(r"""save_figure\(\s*\w+\s*,\s*["']([\w.-]+)["']\s*\)""")


def load(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def github_anchor(heading):
    """The anchor GitHub and JupyterLab give a markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors_of(markdown_text):
    return {github_anchor(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", markdown_text, re.M)}


def check_links(text, base):
    """Every relative link and image in markdown `text` resolves, anchors included."""
    problems = []
    for target in MD_LINK.findall(text) + HTML_SRC.findall(text):
        url = urlparse(target)
        if url.scheme or target.startswith("#"):
            continue
        path = (base / unquote(url.path)).resolve()
        if not path.exists():
            problems.append(f"{target}: {path} does not exist")
        elif url.fragment and path.suffix == ".md":
            if url.fragment.lower() not in anchors_of(path.read_text(encoding="utf-8")):
                problems.append(f"{target}: no heading with anchor #{url.fragment}")
    return problems


def test_notebooks_exist_and_are_numbered():
    assert len(NOTEBOOKS) >= 3, f"expected the series' notebooks under {NOTEBOOK_DIR}"
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert len(set(numbers)) == len(numbers), f"two notebooks share a number: {numbers}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_code_cell_is_stored_executed_in_order(path):
    counts = [c.execution_count for c in code_cells(load(path))]
    assert None not in counts, (
        f"{counts.count(None)} code cell(s) stored unexecuted: nbval would not compare them; "
        "run ./run execute")
    assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts} are not 1..n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_stored_error_or_stderr(path):
    for i, cell in enumerate(code_cells(load(path))):
        for out in cell.outputs:
            assert out.output_type != "error", f"code cell {i} stores an error: {out.get('ename')}"
            assert out.get("name") != "stderr", f"code cell {i} stores stderr: {out.get('text')!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_kernelspec_is_python3(path):
    assert load(path).metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_unstable_reprs_in_stored_outputs(path):
    """Outputs that differ between runs or numpy versions would make nbval flaky."""
    unstable = re.compile(r"np\.(float|int|bool|str)\w*\(|<Figure size|at 0x[0-9a-f]+>|/tmp/ipykernel_")
    for i, cell in enumerate(code_cells(load(path))):
        for out in cell.outputs:
            if "image/png" in out.get("data", {}):
                continue       # a plot's text/plain is "<Figure size ...>"; the sanitizer handles it
            text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
            assert not unstable.search(text), f"code cell {i} stores an unstable repr: {text[:200]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_links_and_images_in_notebook_resolve(path):
    text = "\n".join(c.source for c in load(path).cells if c.cell_type == "markdown")
    assert check_links(text, path.parent) == []


def test_links_and_images_in_readme_resolve():
    assert check_links((ROOT / "README.md").read_text(encoding="utf-8"), ROOT) == []


def test_navigation_and_readme_table_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_nav.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_notebook_has_title_learning_goals_summary_and_exercises(path):
    text = "\n".join(c.source for c in load(path).cells if c.cell_type == "markdown")
    for pattern in (r"\*\*What you will learn\*\*", r"^## .*Summary", r"^## Exercises"):
        assert re.search(pattern, text, re.M), f"{path.name} lacks a section matching {pattern!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_saved_figure_is_stored_and_captioned(path):
    cells = load(path).cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        for name in SAVE_FIGURE.findall(cell.source):
            assert (ROOT / "figures" / f"{name}.png").exists(), f"figures/{name}.png is not stored"
            following = cells[i + 1] if i + 1 < len(cells) else None
            assert following is not None and following.cell_type == "markdown" \
                and f"figures/{name}.png" in following.source, \
                f"the cell after the one saving {name} must be its caption naming figures/{name}.png"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_the_first_cell_says_what_to_run_when_the_module_is_not_installed(path, monkeypatch):
    first = code_cells(load(path))[0].source
    block = first[first.index("try:"):first.index("from None") + len("from None")]
    monkeypatch.setitem(sys.modules, "rawnn_helpers", None)     # import now fails as if not installed
    with pytest.raises(ModuleNotFoundError, match=r"^open the series with \./run lab \(Windows: py run\.py lab\)$"):
        exec(block, {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_code_depends_on_the_working_directory(path):
    """A notebook's code names no path relative to where the kernel happens to run."""
    relative = re.compile(r"""["'](\.\.?/|figures/|bench/|notebooks/)""")
    for i, cell in enumerate(code_cells(load(path))):
        assert not relative.search(cell.source), f"code cell {i} names a relative path: {cell.source[:200]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebooks_do_not_redefine_helpers(path):
    """One definition of each thing: a notebook imports helpers instead of copying them."""
    public = set(rawnn_helpers.__all__)
    for cell in code_cells(load(path)):
        source = "\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                assert node.name not in public, f"{path.name} redefines rawnn_helpers.{node.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_figures_in_outputs_are_shown_once_per_plot_cell(path):
    """A plot cell shows its figure as an image and ends with plt.show(), leaving no Figure repr."""
    for i, cell in enumerate(code_cells(load(path))):
        if "plt.subplots" in cell.source or "plt.figure" in cell.source:
            assert cell.source.rstrip().endswith("plt.show()"), f"code cell {i} must end with plt.show()"
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), \
                f"code cell {i} draws a figure but stores no image"


# --- nbval is not a no-op ----------------------------------------------------------------

def run_nbval(notebook, workdir):
    """Run nbval alone on one notebook, as the test command does, and return the result."""
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
           "--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"),
           "--rootdir", str(workdir), notebook.name]
    return subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=600)


def tamper_first_verdict(nb):
    """Flip the first stored 'True' verdict in a stdout output; return the cell's index."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.get("name") == "stdout" and ": True" in out["text"]:
                out["text"] = out["text"].replace(": True", ": False", 1)
                return i
    raise AssertionError("no stored verdict to tamper with")


@pytest.fixture(scope="module")
def notebook_copy(tmp_path_factory):
    """A copy of notebook 03 in a folder of its own, next to nothing else."""
    workdir = tmp_path_factory.mktemp("nbval-proof")
    source = NOTEBOOK_DIR / "03_softmax_nll.ipynb"
    shutil.copy(source, workdir / source.name)
    return workdir / source.name


def test_nbval_fails_on_a_tampered_stored_output(notebook_copy, tmp_path):
    nb = load(notebook_copy)
    nb.cells = nb.cells[:tamper_first_verdict(nb) + 1]      # the notebook up to the tampered cell
    tampered = tmp_path / notebook_copy.name
    nbformat.write(nb, tampered)
    result = run_nbval(tampered, tmp_path)
    assert result.returncode == 1, f"nbval did not fail on a tampered output:\n{result.stdout[-3000:]}"
    # Exactly the tampered cell fails: every cell before it passes, so the copy itself is sound.
    assert re.search(r"\b1 failed, \d+ passed\b", result.stdout), result.stdout[-3000:]
    assert "False" in result.stdout and "True" in result.stdout


@pytest.mark.parametrize("name", rawnn_helpers.__all__)
def test_every_public_helper_is_documented_with_its_notebook(name):
    """Each helper's docstring names the notebook that introduces it, and that notebook exists."""
    obj = getattr(rawnn_helpers, name)
    if not callable(obj):
        return                                      # the constants PARAM_NAMES and FIGURES_DIR
    doc = obj.__doc__ or ""
    named = re.findall(r"\d\d_[a-z_]+\.ipynb", doc)
    assert named, f"{name}'s docstring names no notebook"
    for nb in named:
        assert (NOTEBOOK_DIR / nb).exists(), f"{name}'s docstring names {nb}, which does not exist"
