"""Build the series as a static web site in build/site/, offline, from the stored outputs.

    ./run site            # then open build/site/index.html

The pages come from a "site edition" of the notebooks: as the student edition,
every solution region is replaced by its stub and hint, and the outputs of the
exercises' solution and check cells are cleared (no "passed" under a stub);
every other cell keeps its stored output, nothing is re-executed. The README
is the front page. Sphinx with myst-nb and sphinx-book-theme renders them;
MathJax comes from the sphinx-mathjax-offline package and is served from the
site, so no page asks another host for anything.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from exercises import role
from notebook_list import ROOT, notebook_paths
from student_edition import student_notebook

SOURCE, OUT = ROOT / "build" / "site-src", ROOT / "build" / "site"
EXTRA_PAGES = ["bench/RESULTS.md", "DEVELOPERS.md"]       # linked from the README
README_LINK = re.compile(r"\.\./README\.md(#[\w-]+)?")
CAPTION = re.compile(r"^\*Figure \d+")
TEACHING_LINK = re.compile(r"\[[^\]]*\]\((teaching/[^)]+)\)")


def site_notebook(nb):
    """The master notebook with the exercises as students get them, every other output kept."""
    stubs = student_notebook(nb)
    for cell, stub, following in zip(nb.cells, stubs.cells, nb.cells[1:] + [None]):
        if role(cell) in ("solution", "check"):
            cell.source, cell.outputs, cell.execution_count = stub.source, [], None
        if following is not None and following.cell_type == "markdown" and CAPTION.match(following.source):
            # A plot's alt text is the caption that follows it.
            alt = re.sub(r"[*`$]", "", following.source.split("\n\n")[0]).strip()
            cell.metadata["mystnb"] = {"image": {"alt": alt}}
        if cell.cell_type == "markdown":      # the README is the site's index page
            cell.source = README_LINK.sub(lambda m: "../index.md" + (m.group(1) or "").lower(), cell.source)
    return nb


def build(source=SOURCE, out=OUT):
    for folder in (source, out):
        shutil.rmtree(folder, ignore_errors=True)
    (source / "notebooks").mkdir(parents=True)
    for path in notebook_paths():
        nbformat.write(site_notebook(nbformat.read(path, as_version=4)), source / "notebooks" / path.name)
    pages = [f"notebooks/{p.stem}" for p in notebook_paths()] + [p.removesuffix(".md") for p in EXTRA_PAGES]
    toctree = "\n\n```{toctree}\n:hidden:\n:maxdepth: 1\n\n" + "\n".join(pages) + "\n```\n"
    # The teacher's folder (the lecture plan, the worked answers) is not on the site: its links become paths.
    readme = TEACHING_LINK.sub(r"`\1` (in the repository)", (ROOT / "README.md").read_text(encoding="utf-8"))
    (source / "index.md").write_text(readme + toctree, encoding="utf-8")
    for name in EXTRA_PAGES + ["rawnn_helpers.py"]:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "figures", source / "figures")
    shutil.copy(Path(__file__).parent / "site" / "conf.py", source / "conf.py")
    # -W: a broken link, a missing image or a notebook Sphinx cannot read fails the build.
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
                    str(source), str(out)], check=True)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    t0 = time.perf_counter()
    out = build()
    print(f"site: {len(list(out.rglob('*.html')))} pages in {out} ({time.perf_counter() - t0:.1f} s); "
          f"open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
