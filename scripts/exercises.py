"""What the student-edition builder and the grader share: finding exercises and their solution regions."""

from __future__ import annotations

import re

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISE_ID = re.compile(r"^ex\d\d\.\d+$")


def role(cell):
    """'solution', 'check' or None, from the cell's metadata."""
    return cell.get("metadata", {}).get("rawnn", {}).get("role")


def exercise_id(cell):
    return cell.get("metadata", {}).get("rawnn", {}).get("exercise")


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
