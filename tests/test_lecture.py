"""The lecture kit's plan and marks: teaching/lecture.md against the notebooks it routes through.

The route's minutes add up to 90; every section it names is a heading of its
notebook, every figure it projects is stored, every cell it runs live is a
code cell of that notebook and on its slides; the homework's exercises exist
and its total is the sum of its rows. Every cell of every notebook carries a
slide mark, and no solution, check or navigation cell is on a slide. The
worked answers (teaching/answers_*.ipynb) are the master's alone.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from exercises import exercise_ids, role  # noqa: E402
from notebook_list import is_nav  # noqa: E402

LECTURE = ROOT / "teaching" / "lecture.md"
NOTEBOOKS = {p.name[:2]: p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))}
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}


def table(heading):
    """The rows of the first table after a '## ' heading of lecture.md, as lists of cells."""
    text = LECTURE.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip().strip("|").split(" | ") for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def notebook_of(cell):
    match = re.search(r"\]\(\.\./notebooks/(\d\d)_", cell)
    return nbformat.read(NOTEBOOKS[match.group(1)], as_version=4) if match else None


def test_the_route_takes_90_minutes_through_sections_figures_and_cells_that_exist():
    rows = table("The route")
    assert sum(int(row[0]) for row in rows) == 90
    for minutes, where, sections, _, figures, live in rows:
        nb = notebook_of(where)
        if nb is None:
            continue                                      # questions
        headings = {line[3:].strip() for c in nb.cells if c.cell_type == "markdown"
                    for line in c.source.splitlines() if line.startswith("## ")}
        for section in re.findall(r'"([^"]+)"', sections):
            assert section in headings, f"{where}: no section {section!r}"
        for figure in re.findall(r"\]\(\.\./(figures/[\w.]+)\)", figures):
            assert (ROOT / figure).exists(), figure
        for first in re.findall(r"`([^`]+)`", live):
            cells = [c for c in nb.cells if c.cell_type == "code" and c.source.split("\n")[0] == first]
            assert len(cells) == 1, f"{where}: {len(cells)} code cells begin with {first!r}"
            assert cells[0].metadata.get("slideshow", {}).get("slide_type") != "skip", f"{first!r} is not on a slide"


def test_the_homework_is_the_checked_exercises_and_its_total_adds_up():
    rows = table("A week of homework")
    ids = {ex for p in NOTEBOOKS.values() for ex in exercise_ids(nbformat.read(p, as_version=4))}
    assert rows and all(row[0] in ids for row in rows)
    total = sum(int(row[-1]) for row in rows)
    assert f"**Total: {total} minutes**" in LECTURE.read_text(encoding="utf-8")


def test_every_link_of_the_lecture_plan_resolves():
    for target in re.findall(r"\]\(([^)#\s]+)", LECTURE.read_text(encoding="utf-8")):
        assert "://" in target or (LECTURE.parent / target).exists(), target


@pytest.mark.parametrize("path", NOTEBOOKS.values(), ids=[p.name for p in NOTEBOOKS.values()])
def test_every_cell_has_a_slide_mark_and_no_exercise_is_on_a_slide(path):
    for cell in nbformat.read(path, as_version=4).cells:
        mark = cell.metadata.get("slideshow", {}).get("slide_type")
        assert mark in SLIDE_TYPES, f"{path.name} cell {cell.id}: slide mark {mark!r}"
        if role(cell) is not None or is_nav(cell):
            assert mark == "skip", f"{path.name} cell {cell.id} ({role(cell) or 'navigation'}) is on a slide"


def test_the_worked_answers_stay_in_the_master(tmp_path):
    from student_edition import build
    answers = sorted((ROOT / "teaching").glob("answers_*.ipynb"))
    assert len(answers) == 2
    edition = build(tmp_path / "student")
    assert not list(edition.rglob("answers*")) and not (edition / "teaching").exists()
    from build_site import EXTRA_PAGES
    assert not any(page.startswith("teaching/") for page in EXTRA_PAGES)


def test_the_readme_counts_the_slides_as_the_marks_make_them():
    counts = [sum(c.metadata["slideshow"]["slide_type"] in ("slide", "subslide")
                  for c in nbformat.read(p, as_version=4).cells) for p in NOTEBOOKS.values()]
    said = ", ".join(map(str, counts[:-1])) + f" and {counts[-1]} slides"
    assert f"{len(counts)} decks of {said}" in " ".join((ROOT / "README.md").read_text(encoding="utf-8").split()), said
