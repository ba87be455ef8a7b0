"""Copy the top of one browser-test screenshot into figures/, for the README.

    ./run test tests/test_browser.py -k 03_softmax   # makes test-output/browser/03_softmax_nll.png
    .venv/bin/python scripts/readme_screenshot.py

The browser test (tests/test_browser.py) takes a full-page screenshot of each
notebook after JupyterLab has run it; this keeps its first 1100 pixels.
"""

from __future__ import annotations

import sys

from PIL import Image

from notebook_list import ROOT

SOURCE = ROOT / "test-output" / "browser" / "03_softmax_nll.png"
TARGET = ROOT / "figures" / "jupyterlab_03_softmax_nll.png"


def main():
    if not SOURCE.exists():
        print(f"{SOURCE} is missing: run the browser test first", file=sys.stderr)
        return 1
    with Image.open(SOURCE) as image:
        image.crop((0, 0, image.width, min(1100, image.height))).save(TARGET, optimize=True)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
