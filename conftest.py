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
import re
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
GUARD = ROOT / "tests" / "guard"

os.environ.pop("RAWNN_FIGURES_DIR", None)
os.environ["RAWNN_READONLY_ROOT"] = str(ROOT)
os.environ.setdefault("RAWNN_GUARD_MARKERS", tempfile.mkdtemp(prefix="rawnn-guarded-"))
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
if str(GUARD) not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(GUARD), os.environ.get("PYTHONPATH")) if p)


# `--dist loadfile` keeps a file's tests in one worker, in order: a notebook's cells share its
# kernel, and a test file shares its fixtures. Two changes to it, so that the two workers end
# together: the browser test's notebooks 01, 03, 05, 06 and 07 run apart from the rest of that file,
# with a JupyterLab and a Chromium of their own (each half takes about a minute); and the slowest
# units (whole files, or the half) start first, in this order (their times: DEVELOPERS.md), the rest after them.
BROWSER_FIRST_HALF = re.compile(r"tests/test_browser\.py::test_notebook_in_jupyterlab\[0[13567]_")
SLOWEST_FIRST = ["tests/test_browser.py (first half)", "tests/test_browser.py", "tests/test_student_edition.py",
                 "tests/test_teaching.py", "tests/test_site.py", "tests/test_nbgrader.py", "tests/test_slides.py"]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid):
            scope = super()._split_scope(nodeid)
            return f"{scope} (first half)" if BROWSER_FIRST_HALF.match(nodeid) else scope

        def _assign_work_unit(self, node):
            slowest = next((scope for scope in SLOWEST_FIRST if scope in self.workqueue), None)
            if slowest:
                self.workqueue.move_to_end(slowest, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)
