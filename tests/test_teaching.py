"""Teaching with the series: the exercises and the grader (the student edition: test_student_edition.py).

The grader is run as a teacher runs it, as a separate process, on
submissions made from the master notebooks: the master itself, a notebook of
the student edition, plausible wrong answers, and broken submissions.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from exercises import BEGIN, exercise_id, exercise_ids, hint, role, split_solution, with_solution  # noqa: E402
from student_edition import build  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
IDS = [p.name for p in NOTEBOOKS]
REQUIRED = {  # the topics the exercises must cover, and where
    "a stable softmax": "ex03.1", "Xavier initialisation": "ex02.1", "the NLL loss, both reductions": "ex03.2",
    "the softmax Jacobian": "ex04.1", "the backward pass for W1 and b1": "ex05.1", "overfitting a tiny batch": "ex06.1",
    "the loss at initialisation": "ex06.2", "a training loop with momentum": "ex07.3",
}


def load(path):
    return nbformat.read(path, as_version=4)


def by_name(name):
    return next(p for p in NOTEBOOKS if p.name.startswith(name))


# --- the exercises ----------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_notebook_has_at_least_two_exercises(path):
    ids = exercise_ids(load(path))
    assert len(ids) >= 2, f"{path.name} has {len(ids)} exercises"
    assert all(re.fullmatch(rf"ex{path.name[:2]}\.\d+", ex) for ex in ids), ids
    assert len(set(ids)) == len(ids), f"duplicate exercise ids {ids}"


def test_at_least_twelve_exercises_covering_the_required_topics():
    all_ids = [ex for p in NOTEBOOKS for ex in exercise_ids(load(p))]
    assert len(all_ids) >= 12, all_ids
    for topic, ex in REQUIRED.items():
        assert ex in all_ids, f"no exercise on {topic} ({ex})"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_exercise_has_heading_solution_with_markers_hint_and_check(path):
    cells = load(path).cells
    for ex in exercise_ids(load(path)):
        sol = [i for i, c in enumerate(cells) if role(c) == "solution" and exercise_id(c) == ex]
        chk = [i for i, c in enumerate(cells) if role(c) == "check" and exercise_id(c) == ex]
        assert len(sol) == 1 and len(chk) == 1, f"{ex}: solution cells {sol}, check cells {chk}"
        assert sol[0] < chk[0], f"{ex}: the check must come after the solution"
        assert any(c.cell_type == "markdown" and re.search(rf"^### Exercise {re.escape(ex)}\b", c.source, re.M)
                   for c in cells[:sol[0]]), f"{ex}: no '### Exercise {ex}' heading before it"
        split_solution(cells[sol[0]].source)          # raises unless exactly one BEGIN ... END
        before, _, _ = split_solution(cells[sol[0]].source)
        assert hint(cells[sol[0]]) and "# Hint: " in before, f"{ex}: the solution cell needs a hint before its region"
        assert BEGIN not in cells[chk[0]].source, f"{ex}: the check cell must not hold a solution"


# --- the grader -------------------------------------------------------------------------
# A grader run costs a process, and a fresh kernel per submission. So the submissions
# graded with the default time limit (the master edition, the student edition, the wrong
# answers) are graded in one run, once for the tests that read its rows; the broken ones
# get a run of their own with a short time limit.

HANG_LIMIT = 5  # s per cell: notebook 03's slowest cell (its imports) took up to 3.6 s on 2 cores at load 7


def grade(paths, tmp_path, timeout=120):
    """Run the grader on submissions; return its printed table and its CSV rows."""
    out = tmp_path / "grades.csv"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "grade.py"), *map(str, paths),
                             "--csv", str(out), "--timeout", str(timeout)],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(out, newline="", encoding="utf-8") as f:
        return result.stdout, list(csv.DictReader(f))


def submit(tmp_path, student_name, nb, file_name):
    folder = tmp_path / "submissions" / student_name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / file_name)
    return folder / file_name


def statuses(rows, student_name):
    return {r["exercise"]: r["status"] for r in rows if r["student"] == student_name}


WRONG_ANSWERS = {
    "the post's dW1 without the ReLU mask": ("05", "ex05.1", """
h1 = X @ W1 + b1
P = rn.softmax(rn.relu(h1) @ W2 + b2)
dh2 = (P - Y) / len(X)
dh1 = dh2 @ W2.T
return X.T @ dh1, dh1.sum(axis=0)"""),
    "a softmax that overflows on large logits": ("03", "ex03.1", """
e = np.exp(h)
return e / e.sum(axis=1, keepdims=True)"""),
    "a summed loss where the mean was asked": ("03", "ex03.2", """
return -np.sum(Y * np.log(P))"""),
    "the series' own softmax called": ("03", "ex03.1", """
return rn.softmax(h)"""),
}
WRONG_STUDENT = {case: f"wrong{i}" for i, case in enumerate(WRONG_ANSWERS, 1)}   # one folder per case


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(table, rows) of one grader run: notebooks 01 and 05 of the master edition as "teacher" (03's
    exercises each pass in a wrong answer's submission), notebook 05 of the
    student edition as "notebooks" (its folder), and each wrong answer as its WRONG_STUDENT.
    (Every notebook of the edition runs in test_student_edition.py, each exercise not attempted.)"""
    tmp = tmp_path_factory.mktemp("graded")
    paths = [submit(tmp, "teacher", load(by_name(n)), by_name(n).name) for n in ("01", "05")]
    paths.append(build(tmp / "student") / "notebooks" / by_name("05").name)
    for case, (number, ex, code) in WRONG_ANSWERS.items():
        path = by_name(number)
        paths.append(submit(tmp, WRONG_STUDENT[case], with_solution(load(path), ex, code), path.name))
    return grade(paths, tmp)


def test_grading_the_master_edition_gives_full_marks(graded):
    table, rows = graded
    rows = [r for r in rows if r["student"] == "teacher"]
    assert rows and all(r["status"] == "pass" for r in rows), table
    assert "total teacher: 4/4" in table


def test_grading_the_student_edition_gives_zero_each_not_attempted_with_its_hint(graded):
    table, rows = graded
    rows = [r for r in rows if r["student"] == "notebooks"]
    expected = len(exercise_ids(load(by_name("05"))))
    assert len(rows) == expected, table
    hints = {exercise_id(c): hint(c) for c in load(by_name("05")).cells if role(c) == "solution"}
    assert all(r["status"] == "not attempted" and hints[r["exercise"]] in r["message"] for r in rows), table
    lines = [line for line in table.splitlines() if line.startswith("notebooks / ")]
    assert lines and all("todo" in line and "FAIL" not in line for line in lines), table
    assert f"total notebooks: 0/{expected}" in table


@pytest.mark.parametrize("case", list(WRONG_ANSWERS), ids=list(WRONG_ANSWERS))
def test_a_plausible_wrong_answer_fails_exactly_its_exercise(case, graded):
    table, rows = graded
    _, ex, _ = WRONG_ANSWERS[case]
    rows = [r for r in rows if r["student"] == WRONG_STUDENT[case]]
    got = {r["exercise"]: r["status"] for r in rows}
    assert got[ex] == "fail", table
    assert all(status == "pass" for other, status in got.items() if other != ex), table
    message = next(r["message"] for r in rows if r["exercise"] == ex)
    assert "ExerciseFailed" in message and "Hint: " in message      # whole: what came, then the hint
    if "own softmax" in case:
        assert "your answer calls rn.softmax" in message
    assert message in table


def test_broken_submissions_each_get_their_row(tmp_path):
    master = by_name("03")
    malformed = tmp_path / "submissions" / "malformed" / master.name
    malformed.parent.mkdir(parents=True)
    malformed.write_text('{"cells": [ this is not json', encoding="utf-8")

    # A cell that never ends (asleep: a busy loop would also take a core from the other tests meanwhile).
    hanging = submit(tmp_path, "hanging", with_solution(load(master), "ex03.1", "import time\ntime.sleep(3600)"), master.name)

    tampered_nb = with_solution(load(master), "ex03.1", "return np.exp(h) / np.exp(h).sum(axis=1, keepdims=True)")
    for cell in tampered_nb.cells:
        if role(cell) == "check" and exercise_id(cell) == "ex03.1":
            cell.source = 'print("ex03.1: passed")'      # a check weakened to nothing
    tampered = submit(tmp_path, "tampering", tampered_nb, master.name)

    # Wrong answers whose solution cells replace the checker: rn.check_answer, or rn itself.
    cheat_nb = with_solution(load(master), "ex03.1", "rn.check_answer = lambda ex, *a, **k: print(ex + ': passed')\n"
                                               "return np.exp(h) / np.exp(h).sum(axis=1, keepdims=True)")
    cheat_nb = with_solution(cheat_nb, "ex03.2", "import sys, types\n"
                                                 "fake = types.SimpleNamespace(**{**vars(rn), 'check_answer': lambda *a, **k: None})\n"
                                                 "sys.modules['rawnn_helpers'] = fake\n"
                                                 "globals()['rn'] = fake\n"
                                                 "return 0.0")
    cheating = submit(tmp_path, "cheating", cheat_nb, master.name)

    renamed_nb = load(master)              # renamed, exercise 03.2 deleted, and a lesson cell broken at its end
    renamed_nb.cells = [c for c in renamed_nb.cells if exercise_id(c) != "ex03.2"]
    lesson = [c for c in renamed_nb.cells if c.cell_type == "code" and role(c) is None][-1]
    lesson.source += "\nundefined_name"
    renamed = submit(tmp_path, "renamed", renamed_nb, "my_homework.ipynb")

    table, rows = grade([malformed, hanging, tampered, cheating, renamed], tmp_path, timeout=HANG_LIMIT)
    by_student = {r["student"]: r for r in rows}
    assert by_student["malformed"]["status"] == "not graded"
    assert "not a valid notebook" in by_student["malformed"]["note"]
    hang = statuses(rows, "hanging")
    assert hang == {"ex03.1": "error", "ex03.2": "pass"}, table
    assert f"past the {HANG_LIMIT} s limit" in by_student["hanging"]["note"], table
    assert statuses(rows, "tampering") == {"ex03.1": "fail", "ex03.2": "pass"}, table
    assert statuses(rows, "cheating") == {"ex03.1": "fail", "ex03.2": "fail"}, table
    assert statuses(rows, "renamed") == {"ex03.1": "pass", "ex03.2": "missing"}, table
    assert "renamed: graded as 03_softmax_nll.ipynb" in by_student["renamed"]["note"]
    assert "raised NameError: name 'undefined_name' is not defined" in by_student["renamed"]["note"], table


def test_a_failed_check_shows_its_message_first_not_a_traceback(tmp_path):
    """In a kernel, a failing check shows one line: the message and its hint, not frames of rawnn_helpers."""
    from nbclient import NotebookClient
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import numpy as np\nimport rawnn_helpers as rn\n"
        "rn.check_answer('ex03.1', np.array([1.0, 2.0]), np.array([1.0, 1.0]), hint='look again')")])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    error, = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert error.ename == "ExerciseFailed" and len(error.traceback) == 1, error.traceback
    assert error.traceback[0].startswith("ExerciseFailed: ex03.1: wrong values") and "Hint: look again" in error.traceback[0]
