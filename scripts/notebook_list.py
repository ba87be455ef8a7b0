"""The notebooks of the series, in order, with their titles (shared by the scripts and tests)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAME = re.compile(r"^\d\d[a-z]?_[a-z0-9_]+\.ipynb$")


def notebook_paths():
    """Every numbered notebook under notebooks/, sorted by its number."""
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb") if NAME.match(p.name))


def answer_paths():
    """The teacher's worked answers to the further exercises, teaching/answers_*.ipynb (the master's alone)."""
    return sorted((ROOT / "teaching").glob("answers_*.ipynb"))


def is_nav(cell):
    return cell.get("metadata", {}).get("rawnn", {}).get("nav") is not None


def title(nb):
    """The text of the notebook's first '# ' heading, outside the navigation cells."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not is_nav(cell):
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError("notebook has no '# ' title heading")
