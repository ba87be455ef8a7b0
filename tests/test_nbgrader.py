"""Real nbgrader on the series: the notebooks carry nbgrader's metadata, and nbgrader takes them as they are.

In a temporary course folder, `nbgrader generate_assignment` makes the
student release of the whole series; `nbgrader autograde` grades a few
submissions (the master edition, the untouched release, one plausible wrong
answer); `nbgrader export` writes the scores. Autograding every notebook of
every submission would cost a minute; notebook 03 for the three students shows
each behaviour. (nbgrader autogrades no other notebook here; the series' own
grader, scripts/grade.py, gives the master full marks on 01 and 05 in
tests/test_teaching.py.)
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from exercises import BEGIN, END, exercise_id, exercise_ids, hint, role, split_solution, with_solution  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
NBGRADER = shutil.which("nbgrader", path=str(Path(sys.executable).parent))
WRONG = "e = np.exp(h)\nreturn e / e.sum(axis=1, keepdims=True)"     # ex03.1: a softmax that overflows


def nbgrader(course, *args):
    # nbgrader runs `alembic` from PATH to make its gradebook: the venv's, beside nbgrader.
    env = dict(os.environ, PATH=str(Path(NBGRADER).parent) + os.pathsep + os.environ.get("PATH", ""))
    result = subprocess.run([NBGRADER, *args], cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'rawnn'\n"
        f"c.CourseDirectory.db_url = 'sqlite:///{course / 'gradebook.db'}'\n", encoding="utf-8")
    (course / "source" / "series").mkdir(parents=True)
    for path in [*NOTEBOOKS, ROOT / "rawnn_helpers.py"]:       # the module travels with the release
        shutil.copy(path, course / "source" / "series" / path.name)
    nbgrader(course, "generate_assignment", "series", "--force")
    name = next(p.name for p in NOTEBOOKS if p.name.startswith("03"))
    submissions = {"master": [ROOT / "notebooks" / name], "released": [course / "release" / "series" / name]}
    for student, paths in submissions.items():
        (course / "submitted" / student / "series").mkdir(parents=True)
        for path in paths:
            shutil.copy(path, course / "submitted" / student / "series" / path.name)
    (course / "submitted" / "wrong" / "series").mkdir(parents=True)
    nbformat.write(with_solution(nbformat.read(ROOT / "notebooks" / name, as_version=4), "ex03.1", WRONG),
                   course / "submitted" / "wrong" / "series" / name)
    nbgrader(course, "autograde", "series", "--create", "--force")
    nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return course


def cell_scores(course, student, notebook):
    """{grade_id: score} of one autograded notebook, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(Path(notebook).stem, "series", student)
        return {g.name: g.score for g in nb.grades}


def test_the_release_clears_every_solution_and_keeps_every_hint(course):
    assert (course / "release" / "series" / "rawnn_helpers.py").read_bytes() == (ROOT / "rawnn_helpers.py").read_bytes()
    for path in NOTEBOOKS:
        master = nbformat.read(path, as_version=4)
        release = nbformat.read(course / "release" / "series" / path.name, as_version=4)
        assert len(release.cells) == len(master.cells)
        for m, r in zip(master.cells, release.cells):
            if role(m) == "solution":
                _, region, _ = split_solution(m.source)
                assert BEGIN not in r.source and END not in r.source and "raise NotImplementedError()" in r.source
                assert not any(line.strip() and line in r.source for line in region.split("\n")[1:-1]), \
                    f"{path.name} {exercise_id(m)}: a solution line is in the release"
                assert f"# Hint: {hint(m)}" in r.source
            if r.cell_type == "code":
                assert r.outputs == []


def test_autograded_master_scores_full_marks_the_release_zero_and_a_wrong_answer_loses_its_exercise(course):
    name = next(p.name for p in NOTEBOOKS if p.name.startswith("03"))
    assert cell_scores(course, "master", name) == {"ex03_1": 1.0, "ex03_2": 1.0}
    assert cell_scores(course, "released", name) == {"ex03_1": 0.0, "ex03_2": 0.0}
    assert cell_scores(course, "wrong", name) == {"ex03_1": 0.0, "ex03_2": 1.0}


def test_export_writes_the_scores(course):
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    total = sum(len(exercise_ids(nbformat.read(p, as_version=4))) for p in NOTEBOOKS)
    assert {s: (float(r["score"]), float(r["max_score"])) for s, r in rows.items()} == {
        "master": (2.0, total), "released": (0.0, total), "wrong": (1.0, total)}
