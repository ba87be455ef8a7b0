"""What the student-edition builder, the grader and the tests share: finding exercises, their solution regions, and filling one in."""

from __future__ import annotations

import re

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISE_ID = re.compile(r"^ex\d\d\.\d+$")


def role(cell):
    """'solution', 'check' or None, from the cell's nbgrader metadata."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return "solution" if meta.get("solution") else "check" if meta.get("grade") else None


def exercise_id(cell):
    """The exercise a cell belongs to, from its nbgrader grade_id ("ex03_1", "ex03_1-solution": ex03.1).

    nbgrader allows only letters, digits, _ and - in a grade_id, so the id's dot is an underscore there.
    """
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return grade_id.removesuffix("-solution").replace("_", ".", 1) if grade_id else None


def hint(cell):
    """The solution cell's hint: its '# Hint: ...' line, kept outside the solution region."""
    return next((line.strip()[len("# Hint: "):] for line in cell.source.split("\n")
                 if line.strip().startswith("# Hint: ")), "")


def exercise_ids(nb):
    """The exercise ids of a notebook, in order of their solution cells."""
    return [exercise_id(c) for c in nb.cells if role(c) == "solution"]


def split_solution(source):
    """Split a solution cell's source into (before, region, after), region holding the markers."""
    lines = source.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ValueError(f"a solution cell needs exactly one '{BEGIN}' followed by one '{END}'")
    b, e = starts[0], ends[0]
    return "\n".join(lines[:b]), "\n".join(lines[b:e + 1]), "\n".join(lines[e + 1:])


def student_region(region, hint):
    """What replaces a solution region in the student edition."""
    indent = region[: len(region) - len(region.lstrip())]
    message = f"{hint} (replace this line with your code)"
    return f"{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError({message!r})"


def with_solution(nb, ex, code):
    """A copy of notebook ``nb`` whose solution region of exercise ``ex`` holds ``code`` (the tests' submissions)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if role(cell) == "solution" and exercise_id(cell) == ex:
            before, region, after = split_solution(cell.source)
            indent = region[: len(region) - len(region.lstrip())]
            body = "\n".join(indent + line for line in code.strip("\n").split("\n"))
            cell.source = "\n".join(part for part in (before, body, after) if part)
    return nb
