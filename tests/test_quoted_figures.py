"""Figures a notebook quotes from the benchmark match bench/results, so a rerun cannot leave the prose stale.

A notebook computes what it shows, except figures from `./run bench`, which
take minutes. Such a figure is written in a markdown cell and registered in
that cell's metadata, ``rawnn.quotes``: its text, the results file, the key
path into it, and the format that turns the stored value into the text. No
notebook's code reads bench/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))
RESULTS = ROOT / "bench" / "results"
# The figures that go stale when the benchmark is rerun: accuracies, and paired differences.
ACCURACY = re.compile(r"(?<![\d.])(0\.9\d\d|1\.000)(?![\d.])")
DIFFERENCE = re.compile(r"[+-]\d+\.\d ± \d+\.\d")


def quoted_cells():
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            quotes = cell.metadata.get("rawnn", {}).get("quotes")
            if quotes or (cell.cell_type == "markdown" and "./run bench" in cell.source):
                yield pytest.param(cell, quotes or [], id=f"{path.name}:{cell.get('id')}")


def stored(quote, results=RESULTS):
    value = json.loads((results / quote["file"]).read_text())
    for key in quote["key"]:
        value = value[key]
    value = {"min": min, "max": max, None: lambda v: v}[quote.get("reduce")](value)
    return quote["format"].format(value * quote.get("scale", 1))


def test_some_figures_are_quoted():
    assert len(list(quoted_cells())) >= 2


@pytest.mark.parametrize("cell, quotes", list(quoted_cells()))
def test_quoted_figures_match_the_benchmark_results(cell, quotes):
    assert cell.cell_type == "markdown" and "./run bench" in cell.source, \
        "a cell that quotes the benchmark names the command that produces the figures"
    for quote in quotes:
        assert quote["text"] in cell.source, f"{quote['text']!r} is registered but not in the text"
        assert stored(quote) == quote["text"], f"{quote['key']}: the text says {quote['text']}, " \
                                               f"bench/results says {stored(quote)}"
    registered = {q["text"] for q in quotes}
    for figure in ACCURACY.findall(cell.source) + [m.split(" ± ")[0] for m in DIFFERENCE.findall(cell.source)]:
        assert figure in registered, f"{figure} in a cell that quotes the benchmark is not registered"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_notebook_code_reads_bench(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            assert "bench" not in cell.source, f"{path.name}: a code cell mentions bench/"


def test_a_changed_result_is_caught(tmp_path):
    """The check can fail: with one stored figure changed, a quote no longer matches."""
    cell, quotes = next((p.values for p in quoted_cells() if p.values[1]))
    quote = quotes[0]
    results = json.loads((RESULTS / quote["file"]).read_text())
    target = results
    for key in quote["key"][:-1]:
        target = target[key]
    last = target[quote["key"][-1]]
    target[quote["key"][-1]] = [x + 1 for x in last] if isinstance(last, list) else (
        str(last) + "?" if isinstance(last, str) else last + 0.5)
    (tmp_path / quote["file"]).write_text(json.dumps(results))
    assert stored(quote) == quote["text"] and stored(quote, tmp_path) != quote["text"]


def test_readme_notebook_times_are_the_measured_ones():
    """The README's table of notebook times is the one in bench/results/suite_time.json, every notebook in it."""
    block = re.search(r"<!-- times:start -->\n(.*?)<!-- times:end -->", (ROOT / "README.md").read_text(), re.S)
    rows = dict(re.findall(r"^\| (\S+\.ipynb) \| (\d+\.\d) \|$", block[1], re.M))
    measured = json.loads((RESULTS / "suite_time.json").read_text())["notebooks"]
    assert rows == {name: f"{sec:.1f}" for name, sec in measured.items()}
    assert sorted(rows) == [p.name for p in NOTEBOOKS]
