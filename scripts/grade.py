"""Grade submitted notebooks: run each in a fresh kernel against the master edition's checks.

    ./run grade submissions/*/*.ipynb [--csv grades.csv] [--timeout 120]

A submission is a copy of one of the series' notebooks with the solution
regions filled in. Its student is the name of the folder it sits in
(submissions/<student>/<notebook>.ipynb). For each submission the grader

1. reads it (a file that is not a valid notebook gets a row saying so);
2. tells which notebook it is from its exercise ids (a renamed file is
   graded all the same, and its row says so);
3. replaces every check cell with the master edition's check cell of the
   same exercise (inserted after the solution cell if the student deleted
   it), so that a submission cannot weaken a check, and has it call a
   private copy of rawnn_helpers loaded just before it, so that a solution
   that replaces the checker or a helper cannot make it pass;
4. runs the result top to bottom in a fresh kernel, on a temporary copy,
   with a time limit per cell, continuing past errors;
5. reads, for each exercise, whether its check cell passed, failed (an
   AssertionError), was not attempted (the untouched stub's
   NotImplementedError) or raised another error, with the whole message:
   what was expected, what came and the hint;
6. notes any lesson cell (neither a solution nor a check) that raised an
   error, since it can change what the checks after it see.

It prints a table of exercise ids against pass / FAIL / todo / ERR, each
message in full below it, a total per student, and writes a CSV with one row
per exercise if asked. Paths are read from where the command was typed. It
never stops at a broken submission: each gets its row with the reason.

Grading runs the students' code with the rights of whoever runs the grader.
Run it in a container or a throwaway account.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from exercises import exercise_id, exercise_ids, role
from notebook_list import ROOT, notebook_paths

NOT_ATTEMPTED = "not attempted"


@dataclass
class Result:
    student: str
    submission: str
    notebook: str = ""
    note: str = ""
    exercises: dict = field(default_factory=dict)     # id -> (status, message)
    seconds: float = 0.0


def masters():
    """Master notebooks by name, and the notebook name of each exercise id."""
    books = {p.name: nbformat.read(p, as_version=4) for p in notebook_paths()}
    owner = {ex: name for name, nb in books.items() for ex in exercise_ids(nb)}
    return books, owner


def first_line(text):
    """The first non-empty line, whole: a check's message is one line, with what came and the hint."""
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


# Run before every check, which is rewritten to call this private copy of rawnn_helpers (`rn.` becomes
# `_rawnn_check.`): a solution cell that replaces rn.check_answer, a helper the check takes its reference
# from, or rn itself, at the top of the cell or inside the function the check calls, changes `rn` only.
# (It could still patch numpy's functions, or files: grading in the kernel is not tamper-proof.)
RESTORE = ("import importlib.util as _rawnn_util\nimport numpy as np\n"
           f"_rawnn_spec = _rawnn_util.spec_from_file_location('_rawnn_check', {str(ROOT / 'rawnn_helpers.py')!r})\n"
           "_rawnn_check = _rawnn_util.module_from_spec(_rawnn_spec)\n_rawnn_spec.loader.exec_module(_rawnn_check)")


def guarded(check):
    """A copy of a master check cell that uses the private copy of the helpers."""
    cell = nbformat.from_dict(check)
    cell.source = re.sub(r"\brn\.", "_rawnn_check.", cell.source)
    return cell


def graded_notebook(submission, master):
    """The submission's cells, every check cell taken from the master edition, each after a RESTORE cell."""
    checks = {exercise_id(c): c for c in master.cells if role(c) == "check"}
    cells, placed = [], set()

    def place(ex):
        cells.extend([nbformat.v4.new_code_cell(RESTORE), guarded(checks[ex])])
        placed.add(ex)

    for cell in submission.cells:
        if role(cell) == "check":
            ex = exercise_id(cell)
            if ex in checks and ex not in placed:
                place(ex)
            continue                                      # a check we do not know, or a duplicate: dropped
        cells.append(cell)
        if role(cell) == "solution" and exercise_id(cell) in checks:
            # If the student deleted the check cell, put ours right after the solution.
            ex = exercise_id(cell)
            later = [c for c in submission.cells if role(c) == "check" and exercise_id(c) == ex]
            if not later and ex not in placed:
                place(ex)
    nb = nbformat.from_dict(master)
    nb.cells = cells
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def error_in(cell, where, timeout):
    """(status, message) of the first error a cell shows, or None if it shows none."""
    for out in cell.get("outputs", []):
        if out.get("output_type") != "error":
            continue
        if out["ename"] == "KeyboardInterrupt":
            return "error", f"{where} ran past the {timeout} s limit"
        if out["ename"] == "NotImplementedError":        # the student edition's stub, untouched
            return NOT_ATTEMPTED, first_line(out["evalue"])          # the hint
        status = "fail" if out["ename"] in ("AssertionError", "ExerciseFailed") else "error"
        place = " in the solution cell" if where == "the solution cell" else ""
        return status, f"{out['ename']}{place}: {first_line(out['evalue'])}"
    return None


def outcome(cells, ex, timeout):
    """(status, message) of one exercise from the executed cells."""
    solution = next((c for c in cells if role(c) == "solution" and exercise_id(c) == ex), None)
    check = next((c for c in cells if role(c) == "check" and exercise_id(c) == ex), None)
    if solution is None:
        return "missing", "the solution cell of this exercise is not in the submission"
    if check is None or check.get("execution_count") is None:
        return error_in(solution, "the solution cell", timeout) or (
            "error", "the check did not run (an earlier cell timed out or the kernel died)")
    return error_in(solution, "the solution cell", timeout) or error_in(check, "the check", timeout) \
        or ("pass", "")


def grade_one(path, books, owner, timeout):
    path = Path(path)
    result = Result(student=path.resolve().parent.name or "-", submission=path.name)
    t0 = time.perf_counter()
    try:
        try:
            submission = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except Exception as err:                         # noqa: BLE001 - any unreadable file gets a row
            result.note = f"not a valid notebook: {first_line(err)}"
            return result
        ids = [exercise_id(c) for c in submission.cells if role(c) in ("solution", "check")]
        names = {owner[ex] for ex in ids if ex in owner}
        if len(names) == 1:
            name = names.pop()
        elif path.name in books:
            name = path.name
        else:
            result.note = "cannot tell which notebook this is: no known exercise ids in it"
            return result
        result.notebook = name
        if path.name != name:
            result.note = f"renamed: graded as {name}"
        master = books[name]
        nb = graded_notebook(submission, master)
        with tempfile.TemporaryDirectory(prefix="rawnn-grade-") as tmp:
            tmp = Path(tmp)
            (tmp / "notebooks").mkdir()
            nbformat.write(nb, tmp / "notebooks" / name)
            os.environ["RAWNN_FIGURES_DIR"] = str(tmp / "figures")     # the kernel inherits it
            # The outputs are all in once the last cell has run: kill the kernel (and its process
            # group) then, rather than wait 0.2 to 3 s for it to shut down by itself.
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                    interrupt_on_timeout=True, record_timing=False, shutdown_kernel="immediate",
                                    resources={"metadata": {"path": str(tmp / "notebooks")}})
            try:
                client.execute()
            except CellTimeoutError:
                result.note = (result.note + "; " if result.note else "") + f"a cell ran past the {timeout} s limit"
            except DeadKernelError:
                result.note = (result.note + "; " if result.note else "") + "the kernel died"
        interrupted = any(out.get("ename") == "KeyboardInterrupt"
                          for c in nb.cells if c.cell_type == "code" for out in c.get("outputs", []))
        if interrupted:
            result.note = (result.note + "; " if result.note else "") + \
                f"a cell ran past the {timeout} s limit and was interrupted"
        for ex in exercise_ids(master):
            result.exercises[ex] = outcome(nb.cells, ex, timeout)
        broken = [(c.get("id", "?"), error_in(c, "a lesson cell", timeout)) for c in nb.cells
                  if c.cell_type == "code" and role(c) is None]
        broken = [f"lesson cell {cell_id} raised {err[1]}" for cell_id, err in broken if err]
        if broken:
            result.note = "; ".join(([result.note] if result.note else []) + broken[:1]
                                    + ([f"and {len(broken) - 1} more lesson cells"] if len(broken) > 1 else []))
    except Exception as err:                              # noqa: BLE001 - the grader never crashes
        result.note = f"grader error: {type(err).__name__}: {first_line(err)}"
    finally:
        result.seconds = time.perf_counter() - t0
    return result


def print_table(results, out=sys.stdout):
    ids = sorted({ex for r in results for ex in r.exercises})
    width = max([len("student / notebook")] + [len(f"{r.student} / {r.submission}") for r in results])
    symbol = {"pass": "pass", "fail": "FAIL", NOT_ATTEMPTED: "todo", "error": "ERR", "missing": "miss"}
    print(f"{'student / notebook':<{width}}  " + "  ".join(f"{ex:>6}" for ex in ids) + "   score   time  note", file=out)
    for r in results:
        marks = [symbol[r.exercises[ex][0]] if ex in r.exercises else "" for ex in ids]
        done = sum(s == "pass" for s, _ in r.exercises.values())
        score = f"{done}/{len(r.exercises)}" if r.exercises else "-"
        print(f"{r.student + ' / ' + r.submission:<{width}}  " + "  ".join(f"{m:>6}" for m in marks)
              + f"  {score:>6}  {r.seconds:4.0f}s  {r.note}", file=out)
    print(file=out)
    for r in results:
        for ex, (status, message) in r.exercises.items():
            if status != "pass":
                print(f"{r.student} {ex} {status}: {message}", file=out)
    print(file=out)
    totals = {}
    for r in results:
        got, of = totals.get(r.student, (0, 0))
        totals[r.student] = (got + sum(s == "pass" for s, _ in r.exercises.values()), of + len(r.exercises))
    for student, (got, of) in totals.items():
        print(f"total {student}: {got}/{of}", file=out)


def write_csv(results, path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "submission", "notebook", "exercise", "status", "message", "note"])
        for r in results:
            if not r.exercises:
                writer.writerow([r.student, r.submission, r.notebook, "", "not graded", "", r.note])
            for ex, (status, message) in r.exercises.items():
                writer.writerow([r.student, r.submission, r.notebook, ex, status, message, r.note])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", nargs="+", type=Path)
    parser.add_argument("--csv", type=Path, help="write one row per exercise to this file")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell (default 120)")
    args = parser.parse_args(argv)
    books, owner = masters()
    results = []
    for path in args.submissions:
        results.append(grade_one(path, books, owner, args.timeout))
        r = results[-1]
        print(f"graded {r.student}/{r.submission} in {r.seconds:.1f} s", file=sys.stderr, flush=True)
    print_table(results)
    if args.csv:
        write_csv(results, args.csv)
        print(f"wrote {args.csv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
