"""Shared test setup: the environment every kernel of the test run inherits.

- No ``RAWNN_FIGURES_DIR``: ``rn.save_figure`` writes where it does in a
  learner's run, a temporary folder, never the stored ``figures/``.
- One BLAS thread, while ``./run execute`` stores the outputs with the
  machine's default: nbval then proves no output depends on the thread count.
- ``tests/guard`` on ``PYTHONPATH``: its ``sitecustomize`` refuses every
  non-loopback connection, and every write into the checkout
  (``RAWNN_READONLY_ROOT``), in every Python process started from here,
  kernels included: so nbval proves that every data set is local and that a
  notebook's Run All works on a read-only install and changes no file of the
  project. Each guarded process leaves a file in ``RAWNN_GUARD_MARKERS``.
"""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
GUARD = ROOT / "tests" / "guard"

os.environ.pop("RAWNN_FIGURES_DIR", None)
os.environ["RAWNN_READONLY_ROOT"] = str(ROOT)
os.environ.setdefault("RAWNN_GUARD_MARKERS", tempfile.mkdtemp(prefix="rawnn-guarded-"))
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
if str(GUARD) not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD), os.environ.get("PYTHONPATH")) if p)
