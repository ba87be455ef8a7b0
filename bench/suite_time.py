"""Suite time: wall time of each notebook's execution and of the test commands.

Each notebook is executed top to bottom in a fresh kernel on a temporary copy
(the stored notebooks are not touched); then the maintainer's quick loop
(`./run quick`: unit tests and nbval) and the whole `./run test` are timed,
each with its slowest tests. Writes bench/results/suite_time.json.

    python bench/suite_time.py [--skip-tests]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "suite_time.json"
sys.path.insert(0, str(ROOT / "scripts"))
from notebook_list import notebook_paths  # noqa: E402


def time_notebook(path):
    with tempfile.TemporaryDirectory(prefix="rawnn-suite-") as tmp:
        tmp = Path(tmp)
        (tmp / "notebooks").mkdir()
        os.environ["RAWNN_FIGURES_DIR"] = str(tmp / "figures")
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp / "notebooks")}}).execute()
        return time.perf_counter() - t0


def time_command(command):
    """Wall time of `./run <command>`, its summary line and its five slowest tests."""
    t0 = time.perf_counter()
    proc = subprocess.run(["./run", command, "-q", "--durations=5"], cwd=ROOT, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    slowest = [l for l in lines if l.split(" ", 1)[0].endswith("s") and (" call " in l or " setup " in l)]
    result = {"seconds": time.perf_counter() - t0, "exit_code": proc.returncode,
              "summary": lines[-1] if lines else "", "slowest": slowest}
    print(f"./run {command}: {result['seconds']:.0f} s, {result['summary']}", flush=True)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-tests", action="store_true", help="time only the notebooks")
    args = parser.parse_args(argv)
    results = {"notebooks": {}}
    for path in notebook_paths():
        results["notebooks"][path.name] = time_notebook(path)
        print(f"{path.name}: {results['notebooks'][path.name]:.1f} s", flush=True)
    if not args.skip_tests:
        for command in ("quick", "test"):
            results[command] = time_command(command)
    OUT.parent.mkdir(exist_ok=True)
    if OUT.exists() and args.skip_tests:
        old = json.loads(OUT.read_text())
        results.update({k: old[k] for k in ("quick", "test") if k in old})
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
