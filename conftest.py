"""Shared test setup.

Running the notebooks under nbval executes their `rn.save_figure` calls; the
kernels inherit this process's environment, so pointing RAWNN_FIGURES_DIR at a
temporary folder keeps the test run from rewriting the stored figures/.
"""

import os
import tempfile

os.environ.setdefault("RAWNN_FIGURES_DIR", tempfile.mkdtemp(prefix="rawnn-figures-"))
