"""Regenerate the navigation cells of every notebook and the README's table of notebooks.

Each notebook gets a markdown cell at its top and its bottom:
    < previous | Contents | next >
built from the notebooks' own titles, so no link goes stale when a notebook is
added or renamed. The README's table between the markers
<!-- notebooks:start --> and <!-- notebooks:end --> is rebuilt from each
notebook's title and its metadata field rawnn.summary.

Run through `./run nav` (or `./run execute`, which calls it first).
With --check it changes nothing and exits 1 if anything is out of date.
"""

from __future__ import annotations

import sys

import nbformat

from notebook_list import ROOT, is_nav, notebook_paths, title

CONTENTS = "../README.md#The-notebooks"  # JupyterLab's heading anchors keep the case


def nav_text(prev, nxt):
    parts = []
    parts.append(f"< [{prev[1]}]({prev[0]})" if prev else "<")
    parts.append(f"[Contents]({CONTENTS})")
    parts.append(f"[{nxt[1]}]({nxt[0]}) >" if nxt else ">")
    return " | ".join(parts)


def nav_cell(where, text):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = f"nav-{where}"
    cell.metadata["rawnn"] = {"nav": where}
    return cell


def main(argv=None):
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    paths = notebook_paths()
    books = [nbformat.read(p, as_version=4) for p in paths]
    labels = [(p.name, f"{p.name[:2]} · {title(nb)}") for p, nb in zip(paths, books)]
    changed = []
    for i, (path, nb) in enumerate(zip(paths, books)):
        text = nav_text(labels[i - 1] if i > 0 else None,
                        labels[i + 1] if i + 1 < len(labels) else None)
        body = [c for c in nb.cells if not is_nav(c)]
        new_cells = [nav_cell("top", text)] + body + [nav_cell("bottom", text)]
        if [c.source for c in new_cells] != [c.source for c in nb.cells]:
            changed.append(path.name)
            if not check:
                nb.cells = new_cells
                nbformat.write(nb, path)

    readme = ROOT / "README.md"
    if readme.exists():
        start, end = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
        text = readme.read_text(encoding="utf-8")
        if start in text and end in text:
            rows = ["| # | notebook | what it teaches |", "|---|---|---|"]
            for path, nb in zip(paths, books):
                summary = nb.metadata.get("rawnn", {}).get("summary", "")
                rows.append(f"| {path.name[:2]} | [{title(nb)}](notebooks/{path.name}) | {summary} |")
            head, rest = text.split(start, 1)
            _, tail = rest.split(end, 1)
            new = head + start + "\n" + "\n".join(rows) + "\n" + end + tail
            if new != text:
                changed.append("README.md")
                if not check:
                    readme.write_text(new, encoding="utf-8")
    if check:
        print("navigation: " + (", ".join(changed) + " out of date: run ./run nav"
                                if changed else "all up to date"))
        return 1 if changed else 0
    print("navigation: " + (", ".join(changed) + " updated" if changed else "all up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
