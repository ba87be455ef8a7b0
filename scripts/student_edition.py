"""Build the student edition: every solution region replaced by a hint, outputs cleared.

    ./run student                      # writes build/student/

Each code cell whose metadata marks it as an exercise's solution has the
lines from `### BEGIN SOLUTION` to `### END SOLUTION` replaced by
`raise NotImplementedError("<hint>")`; every other cell's source is left
exactly as it is. All outputs and execution counts are cleared. The folder
also gets what the notebooks link to (README.md, figures/,
bench/RESULTS.md), so the edition can be handed out as it is; no notebook
reads bench/results (tests/test_quoted_figures.py).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

from exercises import exercise_id, hint, role, split_solution, student_region
from notebook_list import ROOT, notebook_paths


def student_notebook(nb):
    nb = nbformat.from_dict(nb)                         # a copy
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        if role(cell) == "solution":
            before, region, after = split_solution(cell.source)
            parts = [before, student_region(region, f"{exercise_id(cell)}: {hint(cell) or 'complete this function'}")]
            if after:
                parts.append(after)
            cell.source = "\n".join(parts)
    return nb


def build(out):
    if out.exists():
        shutil.rmtree(out)
    (out / "notebooks").mkdir(parents=True)
    for path in notebook_paths():
        nbformat.write(student_notebook(nbformat.read(path, as_version=4)), out / "notebooks" / path.name)
    shutil.copy(ROOT / "README.md", out / "README.md")
    shutil.copytree(ROOT / "figures", out / "figures")
    (out / "bench").mkdir()
    shutil.copy(ROOT / "bench" / "RESULTS.md", out / "bench" / "RESULTS.md")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    args = parser.parse_args(argv)
    out = build(args.out)
    print(f"student edition: {len(notebook_paths())} notebooks in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
