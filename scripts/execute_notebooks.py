"""Re-execute notebooks top to bottom in a fresh kernel and store their outputs.

This is the only way stored outputs change: never edit them by hand. Use it
after changing rawnn_helpers.py or a notebook, then run the tests. It is also
the only run that writes the stored figures under figures/.

    ./run execute                       # every notebook, and the worked answers in teaching/
    ./run execute notebooks/03_*.ipynb  # only these
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from notebook_list import answer_paths, notebook_paths

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) pieces, which arrive split at random points."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream"
                and merged[-1]["name"] == out["name"]):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def execute(path, timeout):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(Path(path).parent)}},      # the kernel runs in the notebook's folder
    )
    client.execute()
    # Keep only what a reader needs in the stored language_info.
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for out in cell.outputs:
                if out.get("name") == "stderr":
                    raise RuntimeError(f"{path.name}: a cell wrote to stderr:\n{out['text']}")
    nbformat.validate(nb)
    nbformat.write(nb, path)


def main(argv=None):
    # The kernels inherit it: rn.save_figure refreshes the stored figures only in this command.
    os.environ["RAWNN_FIGURES_DIR"] = str(Path(__file__).resolve().parent.parent / "figures")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or notebook_paths() + answer_paths()
    for path in paths:
        t0 = time.perf_counter()
        execute(path, args.timeout)
        print(f"executed {path.name} in {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
