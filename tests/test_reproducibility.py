"""The notebooks reproduce under other conditions: one BLAS thread, and no network at all.

The main test run executes every notebook under nbval with the machine's
default number of BLAS threads. Here the whole nbval run is repeated in a
separate process with OPENBLAS_NUM_THREADS=1 (and the other thread limits),
and with networking made impossible for every Python process it starts,
kernels included (tests/no_network/sitecustomize.py): so a stored output
that depends on thread scheduling, or a data set fetched from the network,
fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "no_network"


def guarded_env(markers):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    env["RAWNN_GUARD_MARKERS"] = str(markers)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


def test_the_guard_refuses_every_non_local_address(tmp_path):
    code = (
        "import socket, sitecustomize as g\n"
        "assert getattr(socket.socket.connect, '__rawnn_guard__', False)\n"
        "assert not g.allowed(('192.0.2.1', 80)) and not g.allowed(('example.org', 443))\n"
        "assert g.allowed(('127.0.0.1', 80)) and g.allowed(('::1', 80)) and g.allowed('/tmp/sock')\n"
        "try:\n    socket.getaddrinfo('example.org', 443)\nexcept OSError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=guarded_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "network disabled for this test: look up 'example.org'" in result.stdout


def test_notebooks_reproduce_with_one_blas_thread_and_no_network(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q",
           "-p", "no:xdist", "--nbval", "--nbval-current-env",
           "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"), str(ROOT / "notebooks")]
    result = subprocess.run(cmd, cwd=ROOT, env=guarded_env(markers), capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout.splitlines()[-1]
    notebooks = len(list((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb")))
    # pytest itself plus one kernel per notebook ran with the guard in place.
    assert len(list(markers.iterdir())) >= notebooks + 1
