"""Build the student edition: every solution region replaced by a hint, outputs cleared.

    ./run student                      # writes build/student/

Each code cell whose metadata marks it as an exercise's solution has the
lines from `### BEGIN SOLUTION` to `### END SOLUTION` replaced by
`raise NotImplementedError("<hint>")`; every other cell's source is left
exactly as it is, but for what the first cell says when rawnn_helpers is
missing (the edition has no ./run) and the exercises' note that the page
may show a solution (EDITION_CHANGES). All outputs and execution counts are cleared. The folder
also gets what a student needs alone: rawnn_helpers.py beside the notebooks,
a learner's requirements.txt, a README that says how to set up and check an
exercise, and what the notebooks link to (figures/, bench/RESULTS.md). It
refuses to overwrite a folder that holds anything (a student's work?)
unless told --force.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

from exercises import exercise_id, hint, role, split_solution, student_region
from notebook_list import ROOT, notebook_paths


# What the first cell says when `import rawnn_helpers` fails: the master's names the launcher the
# edition does not have; the edition's module sits beside its notebooks.
MASTER_IMPORT_HINT = "open the series with ./run lab (Windows: py run.py lab)"
STUDENT_IMPORT_HINT = "keep rawnn_helpers.py in this notebook's folder, as the student edition's notebooks/ has it"
# What the master says that is not so in a copy without solutions (the edition, the slides).
MASTER_ONLY = " (this page may show a solution there instead)"
EDITION_CHANGES = [(MASTER_IMPORT_HINT, STUDENT_IMPORT_HINT), (MASTER_ONLY, "")]


def edition_source(source):
    """A cell's source as the edition shows it (solution regions apart)."""
    for master, student in EDITION_CHANGES:
        source = source.replace(master, student)
    return source


def student_notebook(nb):
    nb = nbformat.from_dict(nb)                         # a copy
    for cell in nb.cells:
        cell.source = edition_source(cell.source)
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if role(cell) == "check":                       # as nbgrader's release: a check cannot be edited or deleted
            cell.metadata.update(editable=False, deletable=False)
        if role(cell) == "solution":
            before, region, after = split_solution(cell.source)
            parts = [before, student_region(region, f"{exercise_id(cell)}: {hint(cell) or 'complete this function'}")]
            if after:
                parts.append(after)
            cell.source = "\n".join(parts)
    return nb


STUDENT_README = """# rawnn, student edition: backpropagation from scratch

Eight Jupyter notebooks that teach how a neural network learns, from the
forward pass to a hand-written backward pass, training, and autograd. Every
notebook computes what it shows, and ends with exercises that check
themselves. The code the notebooks share is `notebooks/rawnn_helpers.py`.

## Set up, once

You need Python 3.11 or newer. In this folder:

| system | commands |
|---|---|
| Linux, macOS | `python3 -m venv .venv` then `.venv/bin/python -m pip install -r requirements.txt` |
| Windows | `py -m venv .venv` then `.venv\\Scripts\\python -m pip install -r requirements.txt` |

## Open the notebooks

| system | command |
|---|---|
| Linux, macOS | `.venv/bin/python -m jupyterlab --ServerApp.root_dir=. notebooks/01_network.ipynb` |
| Windows | `.venv\\Scripts\\python -m jupyterlab --ServerApp.root_dir=. notebooks\\01_network.ipynb` |

Run the cells in order (Run > Run All Cells, then work from the top). As
root (a container), add `--allow-root`. Each notebook's "Contents" link opens
this README as text: to see it rendered, right-click README.md in
JupyterLab's file browser > Open With > Markdown Preview.

## The exercises

Each exercise is a function whose body is `# YOUR CODE HERE` and a
`raise NotImplementedError(...)`, with a `# Hint:` line above them: replace
both lines with your code, run the cell, then run the check cell below it.
It prints `ex03.1: passed`, or says what is wrong and gives a hint, then
what it expected and what came.

To hand your work in, save the notebooks (File > Save) and send them with
their names unchanged (`03_softmax_nll.ipynb`), as your teacher asks.

## The notebooks

{table}

{sections}
"""


def student_readme():
    """The edition's README: how to set up and check an exercise, and the master README's table of notebooks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("<!-- notebooks:start -->\n", 1)[1].split("<!-- notebooks:end -->", 1)[0].strip()
    keep = ("To keep a trained net", "## The post this grows from")     # what the notebooks point to in it
    sections = "\n\n".join(block.strip() for block in re.split(r"\n(?=## )|\n\n(?=To keep a trained net)", text)
                            if block.strip().startswith(keep))
    sections = sections.replace(" (`tests/test_save_load.py`)", "")      # the edition has no tests
    return STUDENT_README.format(table=table, sections=sections)


def student_requirements():
    """A learner's requirements.txt, the master's requirement lines under a header for the edition."""
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return "\n".join(["# What the notebooks need, Python >= 3.11: see README.md, \"Set up, once\"."]
                     + [line for line in lines if line.strip() and not line.startswith("#")]) + "\n"


def build(out, force=False):
    """Write the edition into ``out``; refuse if ``out`` holds anything, unless ``force`` (it may hold a student's work)."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} exists and is not empty (a student's work?): name another folder with "
                                  "--out, or replace it with --force")
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    for path in notebook_paths():
        nbformat.write(student_notebook(nbformat.read(path, as_version=4)), out / "notebooks" / path.name)
    shutil.copy(ROOT / "rawnn_helpers.py", out / "notebooks" / "rawnn_helpers.py")   # importable beside them
    (out / "requirements.txt").write_text(student_requirements(), encoding="utf-8")
    (out / "README.md").write_text(student_readme(), encoding="utf-8")
    shutil.copytree(ROOT / "figures", out / "figures")
    (out / "bench").mkdir()
    shutil.copy(ROOT / "bench" / "RESULTS.md", out / "bench" / "RESULTS.md")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    parser.add_argument("--force", action="store_true", help="replace the folder if it exists")
    args = parser.parse_args(argv)
    try:
        out = build(args.out, force=args.force)
    except FileExistsError as err:
        sys.exit(f"error: {err}")
    print(f"student edition: {len(notebook_paths())} notebooks in {out}; its README.md says how to start")
    return 0


if __name__ == "__main__":
    sys.exit(main())
