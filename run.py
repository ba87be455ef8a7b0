"""rawnn's commands, the same on Linux, macOS and Windows.

    python3 run.py <command>      on Linux and macOS, or ./run <command>
    py run.py <command>           on Windows

Each command first makes (or refreshes) the project's own virtual environment
in .venv, so nothing is installed outside it. The commands:

    lab        set up, then open the series in JupyterLab at notebook 01
    teach      as lab, with the teacher's tools too: live slides (RISE: View > Render as
               Reveal Slideshow) and nbgrader
    test       set up, then run every test (unit tests, nbval, browser, grader, site)
    quick      the maintainer's quick loop: unit tests and nbval (no browser, grader, site, slides or student edition)
    execute    re-execute notebooks in place after a change to the helpers
               (all of them, or the ones named: run.py execute notebooks/03_*.ipynb)
    nav        regenerate the navigation cells of every notebook
    site       build the series as a web site in build/site/ (open build/site/index.html)
    slides     build a slide deck per notebook in build/slides/ (open build/slides/index.html)
    handout    build the site, then print it to one PDF, build/handout.pdf
    student    build the student edition (solutions removed) in build/student/
    grade F... grade submitted notebooks (see scripts/grade.py; runs their code!)
    bench      run the benchmarks and write bench/RESULTS.md (not part of the tests)
    oldest     run every test in .venv-oldest, with the oldest supported versions
    setup      only set up the environment
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FIRST_NOTEBOOK = "notebooks/01_network.ipynb"
# JupyterLab opens .md files in its text editor unless told otherwise: the README,
# which every notebook's Contents link opens, should show rendered.
LAB_OVERRIDES = {"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}}}


def venv_python(venv: Path, os_name: str = os.name) -> Path:
    """The venv's interpreter: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    return venv / ("Scripts/python.exe" if os_name == "nt" else "bin/python")


def running_as_root() -> bool:
    """True for the root user on Linux and macOS (a container, a cloud VM); never on Windows."""
    return getattr(os, "geteuid", lambda: 1)() == 0


def lab_command(python, root_dir=ROOT, notebook: str | None = FIRST_NOTEBOOK, as_root=None,
                extra=()) -> list[str]:
    """The command line that serves ``root_dir`` in JupyterLab, opening ``notebook`` (relative to it).

    ``./run lab`` and the browser test both start JupyterLab with this function.
    """
    as_root = running_as_root() if as_root is None else as_root
    # `-m jupyterlab`, not the `jupyter` launcher: the kernel then runs on this very interpreter.
    cmd = [str(python), "-m", "jupyterlab", f"--ServerApp.root_dir={root_dir}"]
    if as_root:
        cmd.append("--allow-root")
    if notebook:
        cmd.append(str(Path(root_dir) / notebook))
    return cmd + list(extra)


# What each command installs beyond a learner's requirements.txt (which `./run lab`, and
# `./run student` and `./run grade`, need alone: JupyterLab brings nbformat and nbclient):
# the teacher's nbgrader and the maintainer's tools for the tests, the site's for the site.
EXTRA = {"test": ("requirements-teacher.txt", "requirements-dev.txt", "requirements-site.txt"),
         "quick": ("requirements-teacher.txt", "requirements-dev.txt"),
         "site": ("requirements-site.txt",), "handout": ("requirements-site.txt",),
         "teach": ("requirements-teacher.txt",)}


def setup(*extra, venv=None, wheelhouse=False) -> Path:
    """Make the venv if needed, install what changed since the last time; return its python.

    ``requirements.txt`` (or ``RAWNN_REQUIREMENTS``) always, then the ``extra`` files such as
    the site's tools; each file is installed again only when it, or ``pyproject.toml``, changed.
    With ``wheelhouse``, also keep the learner's requirements as wheels (``make_wheelhouse``).
    """
    venv = Path(venv or os.environ.get("RAWNN_VENV") or ROOT / ".venv")
    if sys.version_info < (3, 11):
        sys.exit(f"error: rawnn needs Python >= 3.11, this is {sys.version.split()[0]} ({sys.executable}); "
                 "name a newer one, e.g. PYTHON=python3.12 ./run lab, or python3.12 run.py lab")
    python = venv_python(venv)
    if not python.exists():
        print(f"==> creating the virtual environment {venv}", flush=True)
        if subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode != 0:
            sys.exit("error: 'python -m venv' failed; on Debian or Ubuntu: sudo apt-get install python3-venv")
    stamps = {}                                   # requirements file -> (its stamp, the hash it must hold)
    for name in (os.environ.get("RAWNN_REQUIREMENTS") or "requirements.txt", *extra):
        stamp = venv / f".rawnn-installed-{Path(name).stem}"
        want = hashlib.sha256((ROOT / name).read_bytes() + (ROOT / "pyproject.toml").read_bytes()
                              + json.dumps(LAB_OVERRIDES).encode()).hexdigest()
        if not (stamp.exists() and stamp.read_text().strip() == want):
            stamps[name] = (stamp, want)
    if stamps:
        print(f"==> installing {', '.join(stamps)} into {venv}", flush=True)
        pip = [str(python), "-m", "pip", "install", "--quiet"]
        subprocess.run(pip + ["--upgrade", "pip"], check=True)
        subprocess.run(pip + [arg for name in stamps for arg in ("-r", str(ROOT / name))], check=True)
        subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
        settings = venv / "share" / "jupyter" / "lab" / "settings"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2) + "\n")
        for stamp, want in stamps.values():
            stamp.write_text(want + "\n")
    if wheelhouse:                  # what the tests need from the network, fetched before they run offline
        make_wheelhouse(python, venv)
        # The slides' pinned JavaScript, fetched again when the script that pins it changes or a
        # package of it is missing (the stamp lists them).
        stamp, assets = venv / ".rawnn-slides-assets", venv / "slides-assets"
        want = hashlib.sha256((ROOT / "scripts" / "build_slides.py").read_bytes()).hexdigest()
        have = stamp.read_text().split() if stamp.exists() else []
        if not (have[:1] == [want] and all((assets / name).is_dir() for name in have[1:])):
            subprocess.run([str(python), str(ROOT / "scripts" / "build_slides.py"), "--fetch-only"], check=True)
            stamp.write_text("\n".join([want, *sorted(p.name for p in assets.iterdir() if p.is_dir())]) + "\n")
    os.environ["PATH"] = str(python.parent) + os.pathsep + os.environ.get("PATH", "")
    return python


def make_wheelhouse(python, venv) -> Path:
    """The learner's requirements.txt as wheels in ``<venv>/wheelhouse``, refreshed when it changes.

    The student edition's test sets the edition up from these, offline, as its README says.
    """
    folder, stamp = venv / "wheelhouse", venv / ".rawnn-wheelhouse"
    want = hashlib.sha256((ROOT / "requirements.txt").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text().strip() == want):
        print(f"==> downloading the wheels of requirements.txt into {folder}", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([str(python), "-m", "pip", "download", "-qq", "--dest", str(folder),
                        "-r", str(ROOT / "requirements.txt")], check=True)
        stamp.write_text(want + "\n")
    return folder


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command, rest = (args[0], args[1:]) if args else ("help", [])
    caller = os.environ.pop("RAWNN_CALLER_DIR", None) or os.getcwd()   # ./run cds to the project; run.py does not
    os.chdir(ROOT)
    if command == "oldest":          # Python 3.11 and tests/requirements-oldest.txt, in .venv-oldest
        env = dict(os.environ, RAWNN_VENV=str(ROOT / ".venv-oldest"),
                   RAWNN_REQUIREMENTS="tests/requirements-oldest.txt")
        oldest = shutil.which(os.environ.get("PYTHON_OLDEST", "python3.11"))
        if oldest is None:
            sys.exit("error: python3.11 not found; name the oldest supported Python with PYTHON_OLDEST=...")
        return subprocess.run([oldest, __file__, "test", *rest], env=env).returncode
    scripts = {"execute": "scripts/execute_notebooks.py", "nav": "scripts/make_nav.py", "site": "scripts/build_site.py",
               "student": "scripts/student_edition.py", "grade": "scripts/grade.py", "bench": "bench/run_all.py",
               "slides": "scripts/build_slides.py", "handout": "scripts/build_handout.py"}
    if command not in {"setup", "lab", "teach", "test", "quick", *scripts}:
        known = command in ("help", "-h", "--help")
        print(("" if known else f"unknown command {command!r}\n\n") + __doc__.split("\n\n", 1)[1].rstrip())
        return 0 if known else 2
    python = setup(*EXTRA.get(command, ()), wheelhouse=command == "test")
    workers = ["-n", os.environ.get("RAWNN_TEST_WORKERS", "2"), "--dist", "loadfile"]
    if command == "setup":
        return 0
    if command in ("lab", "teach"):
        if running_as_root():
            print("==> running as root (a container or a VM?): starting JupyterLab with --allow-root", flush=True)
        return replace_process(lab_command(python, extra=rest))
    if command in ("test", "quick"):
        skip = [] if command == "test" else [arg for name in ("browser", "teaching", "nbgrader", "site", "slides",
                                                              "student_edition") for arg in ("--ignore", f"tests/test_{name}.py")]
        return replace_process([str(python), "-m", "pytest", *workers, *skip, *rest])
    if command == "execute":
        subprocess.run([str(python), scripts["nav"]], check=True)
    os.chdir(caller)                 # the scripts find the project from their own path; their arguments, from here
    return replace_process([str(python), str(ROOT / scripts[command]), *rest])


def replace_process(cmd):
    """Run ``cmd`` in place of this process where the system can (so Ctrl+C reaches it alone), else wait for it."""
    sys.stdout.flush()
    if os.name == "posix":
        os.execv(cmd[0], cmd)
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:        # Ctrl+C stops the command, not with a traceback
        sys.exit(130)
