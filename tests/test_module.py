"""The module a learner opens reads top to bottom: in notebook order, one screen per function.

``rawnn_helpers.py`` is the one file of code a learner opens: its sections
follow the notebooks, each public function holds its own math in at most 25
code lines (a few tools at most 45), and the input checks sit together in the
last section, reached by one line.
"""

import ast
import re
from pathlib import Path

import rawnn_helpers as rn

SOURCE = Path(rn.__file__).read_text(encoding="utf-8")
TREE = ast.parse(SOURCE)
LINES = SOURCE.splitlines()
LONGER = {"train", "check_answer", "check_that", "save_params", "load_params", "save_figure"}


def code_lines(fn):
    """Non-blank, non-comment lines of a function's body after its docstring."""
    body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
    rows = LINES[body[0].lineno - 1: fn.end_lineno] if body else []
    return sum(1 for r in rows if r.strip() and not r.strip().startswith("#"))


def public_functions():
    for node in TREE.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            yield node.name, node
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for f in node.body:
                if isinstance(f, ast.FunctionDef):
                    yield f"{node.name}.{f.name}", f


def test_every_public_function_fits_on_a_screen():
    too_long = {name: n for name, fn in public_functions()
                if (n := code_lines(fn)) > (45 if name in LONGER else 25)}
    assert too_long == {}


def test_sections_follow_the_notebooks_and_the_checks_come_last():
    numbers = [int(m) for m in re.findall(r"^# (\d\d)_\w+\.ipynb", SOURCE, re.M)]
    assert numbers == sorted(numbers) and len(numbers) >= 7, numbers
    first_check = min(n.lineno for n in TREE.body if isinstance(n, ast.FunctionDef) and n.name.startswith("_check"))
    last_public = max(fn.lineno for _, fn in public_functions())
    assert last_public < first_check


def test_the_functions_train_calls_skip_their_checks_with_one_keyword():
    """forward, softmax, nll_loss, backward and every step take check=...; its line is the first after the docstring."""
    for name, fn in public_functions():
        if "check" in [a.arg for a in fn.args.kwonlyargs]:
            first = fn.body[1]
            assert isinstance(first, ast.If) and ast.unparse(first.test) == "check" and len(first.body) == 1, name
    assert {"forward", "softmax", "nll_loss", "backward", "SGD.step", "Momentum.step", "Adam.step"} <= {
        name for name, fn in public_functions() if "check" in [a.arg for a in fn.args.kwonlyargs]}
