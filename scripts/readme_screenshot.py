"""Take the README's screenshot: notebook 03 in JupyterLab, from a clean clone, after Run All Cells.

    .venv/bin/python scripts/readme_screenshot.py     # writes figures/jupyterlab_03_softmax_nll.png

A fresh `git clone` of this checkout (committed work only) is served by the
same launcher as `./run lab`; Chromium opens notebook 03 at the clone's
path, runs every cell from the Run menu, saves (so no unsaved-changes
marker shows) and photographs the top of the window. Nothing of a test run
(run folders, stripped copies) is in the picture.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

import nbformat

from notebook_list import ROOT

sys.path.insert(0, str(ROOT / "tests"))
import browser_lab as lab  # noqa: E402  the browser tests' JupyterLab driver

NOTEBOOK = "notebooks/03_softmax_nll.ipynb"
TARGET = ROOT / "figures" / "jupyterlab_03_softmax_nll.png"
SIZE = {"width": 1280, "height": 1100}


def main():
    reason = lab.browser_unavailable()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="rawnn-screenshot-") as tmp:
        server = lab.LabServer(base=tmp)
        subprocess.run(["git", "clone", "-q", str(ROOT), str(server.root)], check=True)
        with server, sync_playwright() as pw:
            browser = lab.launch_chromium(pw)
            page = browser.new_context(viewport=SIZE).new_page()
            report = lab.Report(notebook=NOTEBOOK)
            facts = lab.notebook_facts(nbformat.read(server.root / NOTEBOOK, as_version=4))
            lab._drive(page, server, NOTEBOOK, facts, report, 120, time.monotonic())
            if report.problems:
                print(report.describe(), file=sys.stderr)
                return 1
            page.keyboard.press("Control+s")
            page.locator(".jp-mod-dirty").first.wait_for(state="detached", timeout=10000)
            page.evaluate(r"""() => document.querySelectorAll('.jp-NotebookPanel .jp-WindowedPanel-outer')
                                           .forEach(e => { e.scrollTop = 0; })""")
            page.wait_for_timeout(500)
            page.screenshot(path=str(TARGET))
            browser.close()
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
