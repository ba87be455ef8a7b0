"""Shared test setup: the environment every kernel of the test run inherits.

- ``RAWNN_FIGURES_DIR`` points ``rn.save_figure`` at a temporary folder, so a
  test run never rewrites the stored ``figures/``.
- One BLAS thread, while ``./run execute`` stores the outputs with the
  machine's default: nbval then proves no output depends on the thread count.
- ``tests/no_network`` on ``PYTHONPATH``: its ``sitecustomize`` refuses every
  non-loopback connection in every Python process started from here, kernels
  included, so nbval proves every data set is local. Each guarded process
  leaves a file in ``RAWNN_GUARD_MARKERS``.
"""

import os
import tempfile
from pathlib import Path

GUARD = Path(__file__).resolve().parent / "tests" / "no_network"

os.environ.setdefault("RAWNN_FIGURES_DIR", tempfile.mkdtemp(prefix="rawnn-figures-"))
os.environ.setdefault("RAWNN_GUARD_MARKERS", tempfile.mkdtemp(prefix="rawnn-guarded-"))
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
if str(GUARD) not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD), os.environ.get("PYTHONPATH")) if p)
