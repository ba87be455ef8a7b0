"""The notebooks reproduce with one BLAS thread, with no network at all, and on a read-only checkout.

``./run execute`` stores every output with the machine's default number of
BLAS threads and the network available. The test run's kernels get one BLAS
thread, no network, and a checkout they cannot write to (``conftest.py``):
nbval, comparing their outputs with the stored ones, fails on an output that
depends on thread scheduling or on a data set fetched from the network, and
on a notebook that writes into the project. These tests prove that the
guards refuse, and that a kernel started in this test run, as nbval starts
one, runs guarded and with one thread.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent


def test_the_guard_refuses_every_non_local_address():
    code = (
        "import socket, sitecustomize as g\n"
        "assert getattr(socket.socket.connect, '__rawnn_guard__', False)\n"
        "assert not g.allowed(('192.0.2.1', 80)) and not g.allowed(('example.org', 443))\n"
        "assert g.allowed(('127.0.0.1', 80)) and g.allowed(('::1', 80)) and g.allowed('/tmp/sock')\n"
        f"assert g.read_only({str(ROOT / 'figures' / 'x.png')!r}) and g.read_only({str(ROOT / 'README.md')!r})\n"
        f"assert not g.read_only({str(ROOT / '.venv' / 'x')!r}) and not g.read_only('/tmp/x.png')\n"
        "try:\n    socket.getaddrinfo('example.org', 443)\nexcept OSError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "network disabled for this test: look up 'example.org'" in result.stdout


def test_a_kernel_of_this_test_run_has_no_network_and_one_blas_thread():
    code = (
        "import os, socket\n"
        "from threadpoolctl import threadpool_info\n"
        "import numpy\n"
        "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\nexcept OSError as e:\n    print(e)\n"
        "print('blas threads', sorted({p['num_threads'] for p in threadpool_info()}))\n"
        "try:\n    open(os.path.join(os.environ['RAWNN_READONLY_ROOT'], 'figures', 'x.png'), 'wb')\n"
        "except PermissionError as e:\n    print(e)\n"
        "print('marker', os.path.exists(os.path.join(os.environ['RAWNN_GUARD_MARKERS'], f'guarded-{os.getpid()}')))\n"
    )
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"))
    out = []
    try:
        kc.execute_interactive(code, timeout=60, output_hook=lambda msg: out.append(msg["content"].get("text", "")))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(out)
    assert "read-only checkout for this test run" in text, text
    assert "network disabled for this test: look up '192.0.2.1'" in text, text
    assert "blas threads [1]" in text and "marker True" in text, text
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
