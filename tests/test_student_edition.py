"""The student edition (`./run student`): what it holds, and that a student can use it alone.

The standalone test does what the edition's README tells a student: on
Linux, `python3 -m venv .venv` and `pip install -r requirements.txt` in the
edition's folder, away from the repository; offline, from a wheelhouse of the
learner's requirements that `./run test` keeps in `.venv/wheelhouse`, with
pip's own configuration ignored, no bytecode precompiled, and the test run's
network guard on. Then it
runs every notebook of the edition, as Run All in JupyterLab would, with the
edition's interpreter (which does not have rawnn installed): every lesson cell
runs, and every exercise is "not attempted", its stub raising its hint.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from exercises import BEGIN, END, exercise_id, hint, role, split_solution  # noqa: E402
from grade import NOT_ATTEMPTED, error_in  # noqa: E402
from student_edition import MASTER_ONLY, STUDENT_IMPORT_HINT, build, edition_source  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
WHEELHOUSE = Path(sys.prefix) / "wheelhouse"


def load(path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    return build(tmp_path_factory.mktemp("edition") / "student")


def test_student_edition_changes_nothing_outside_the_solution_regions(student):
    for path in NOTEBOOKS:
        master, copy = load(path), load(student / "notebooks" / path.name)
        assert len(master.cells) == len(copy.cells)
        for m, s in zip(master.cells, copy.cells):
            locked = {"editable": False, "deletable": False} if role(m) == "check" else {}
            assert (m.cell_type, {**m.metadata, **locked}, m.get("id")) == (s.cell_type, s.metadata, s.get("id"))
            if role(m) == "solution":
                before, region, after = split_solution(m.source)
                assert s.source.startswith(before + "\n") and s.source.endswith(after)
                middle = s.source[len(before) + 1: len(s.source) - len(after)]
                assert "raise NotImplementedError(" in middle and BEGIN not in middle and END not in middle
                assert region.split("\n")[1] not in middle, "the solution leaked into the student edition"
            else:
                assert edition_source(m.source) == s.source, f"{path.name}: a cell outside the solutions differs"
                assert MASTER_ONLY not in s.source
            if s.cell_type == "code":
                assert s.outputs == [] and s.execution_count is None


LINK = re.compile(r"\]\(([^)#\s]+)(?:#([^)]*))?\)")        # markdown links: (target, anchor)


def test_student_edition_carries_what_a_student_needs_alone(student):
    assert (student / "notebooks" / "rawnn_helpers.py").read_bytes() == (ROOT / "rawnn_helpers.py").read_bytes()
    def requirements(folder):
        text = (folder / "requirements.txt").read_text()
        return text, [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert requirements(student)[1] == requirements(ROOT)[1] and "./run" not in requirements(student)[0]
    assert not (student / "bench" / "results").exists() and not list(student.rglob("*solution*"))
    readme = (student / "README.md").read_text(encoding="utf-8")
    for needed in ("-m pip install -r requirements.txt", "-m jupyterlab", "## The notebooks", "# YOUR CODE HERE"):
        assert needed in readme
    assert "git clone" not in readme and "./run" not in readme        # nothing the edition does not hold
    pages = [(student / "README.md", readme)] + [
        (p, "\n".join(c.source for c in load(p).cells if c.cell_type == "markdown"))
        for p in sorted((student / "notebooks").glob("*.ipynb"))]
    for page, text in pages:
        for target, anchor in LINK.findall(text):
            if "://" not in target:
                assert (page.parent / target).resolve().is_relative_to(student.resolve()), (page.name, target)
                assert (page.parent / target).exists(), f"{page.name} links to {target}, not in the edition"
                if anchor and target.endswith(".md"):           # JupyterLab's anchors: the heading, spaces as -
                    headings = re.findall(r"^#+ (.+)$", (page.parent / target).read_text(encoding="utf-8"), re.M)
                    assert anchor in {h.strip().replace(" ", "-") for h in headings}, (page.name, target, anchor)


def test_student_edition_refuses_to_overwrite_a_students_work(tmp_path):
    out = build(tmp_path / "student")
    work = out / "notebooks" / "03_softmax_nll.ipynb"
    work.write_text("a student's work", encoding="utf-8")
    with pytest.raises(FileExistsError, match="--force"):
        build(out)
    assert work.read_text(encoding="utf-8") == "a student's work"
    build(out, force=True)
    assert work.read_text(encoding="utf-8") != "a student's work"


# --- a student alone with the edition ----------------------------------------------------

def readme_commands(readme, section, system="Linux, macOS"):
    """The commands of one system's row in a section of the edition's README, in order."""
    text = readme.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in text.splitlines() if line.startswith(f"| {system} |"))
    return re.findall(r"`([^`]+)`", row)


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """An edition set up by its README's commands, offline, its notebooks run; (folder, executed notebooks)."""
    if not (WHEELHOUSE / ".." / ".rawnn-wheelhouse").exists():
        pytest.fail(f"no wheelhouse in {WHEELHOUSE}: `./run test` makes it (python run.py setup does not)")
    edition = build(tmp_path_factory.mktemp("alone") / "rawnn-student")
    readme = (edition / "README.md").read_text(encoding="utf-8")
    # A student's shell: no pip settings, no venv active, bytecode written (PYTHONDONTWRITEBYTECODE
    # would make each of the 8 kernels compile numpy, matplotlib and scikit-learn again).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_", "VIRTUAL_ENV")) and k != "PYTHONDONTWRITEBYTECODE"}
    # Offline, from the wheelhouse alone; PYTHONPATH keeps the test run's network guard. PIP_NO_COMPILE=0 is
    # pip's spelling of --no-compile: Python compiles what the notebooks import, not all 600 MB ahead.
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE), PIP_CONFIG_FILE=os.devnull,
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_COMPILE="0")
    for command in readme_commands(readme, "Set up, once"):
        result = subprocess.run(shlex.split(command), cwd=edition, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    python = edition / ".venv" / "bin" / "python"
    opened = readme_commands(readme, "Open the notebooks")[0]
    assert opened.startswith(".venv/bin/python -m jupyterlab "), opened     # that interpreter, as below
    # Run All on every notebook, with the edition's interpreter: nbconvert runs each in its own folder.
    # Two nbconvert processes, each taking every other notebook: much of a run is waiting on a kernel.
    notebooks = sorted(str(p) for p in (edition / "notebooks").glob("*.ipynb"))
    runs = [subprocess.Popen([str(python), "-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                              "--inplace", *notebooks[i::2]], cwd=edition, env=env, stderr=subprocess.PIPE, text=True)
            for i in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-3000:]
    return edition, {Path(p).name: load(p) for p in notebooks}


def test_the_edition_alone_runs_every_notebook_each_exercise_not_attempted_with_its_hint(alone):
    edition, executed = alone
    assert sorted(executed) == [p.name for p in NOTEBOOKS]
    for name, nb in executed.items():
        hints = {exercise_id(c): hint(c) for c in load(ROOT / "notebooks" / name).cells if role(c) == "solution"}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            assert cell.execution_count is not None, f"{name}: a cell did not run"
            ex, status = exercise_id(cell), error_in(cell, "the check", 0)
            if role(cell) == "check":
                assert status == (NOT_ATTEMPTED, f"{ex}: {hints[ex]} (replace this line with your code)"), \
                    f"{name} {ex}: {status}"
            else:                                   # a lesson cell, or a solution cell defining its stub
                assert status is None, f"{name}: cell {cell.get('id')} ({ex or 'lesson'}) raised {status}"


def test_the_edition_alone_imports_the_module_beside_the_notebooks(alone):
    """The edition's interpreter finds rawnn_helpers only beside the notebooks; elsewhere the first cell says so."""
    edition, executed = alone
    python = edition / ".venv" / "bin" / "python"
    where = "import rawnn_helpers; print(rawnn_helpers.__file__)"
    beside = subprocess.run([str(python), "-c", where], cwd=edition / "notebooks", capture_output=True, text=True)
    assert beside.stdout.strip() == str(edition / "notebooks" / "rawnn_helpers.py"), beside.stderr
    first = next(c.source for c in executed[NOTEBOOKS[0].name].cells if c.cell_type == "code")
    elsewhere = subprocess.run([str(python), "-c", first], cwd=edition, capture_output=True, text=True)
    assert elsewhere.stderr.strip().endswith(f"ModuleNotFoundError: {STUDENT_IMPORT_HINT}"), elsewhere.stderr
