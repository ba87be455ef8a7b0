"""Run a notebook in a real JupyterLab, in headless Chromium, the way a reader does.

The core is :func:`run_in_lab`: it copies a notebook (outputs stripped) into a
JupyterLab server's folder, opens it in Chromium, waits for the kernel JupyterLab
starts for it to be idle, clicks
Run > Run All Cells, waits for the run to end and then looks at the page. It
returns a :class:`Report` whose ``problems`` list says, in words, everything a
reader would see go wrong: a cell that did not run, an error or a warning
(stderr) in an output, a formula MathJax did not typeset or marked as an
error, a plot that is not a decoded image, a JavaScript error in the page.

Support code for tests/test_browser.py; also usable by hand::

    .venv/bin/python tests/browser_lab.py notebooks/01_network.ipynb

Needs Debian's Chromium (``apt-get install chromium``) at /usr/bin/chromium and
the ``playwright`` Python package; Playwright's own browser downloads are never
used.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run as launcher  # noqa: E402  the project's run.py: `./run lab` starts JupyterLab with it too

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "apt-get update && apt-get install -y chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# Screenshots grow to the notebook's height, up to this many pixels.
MAX_SCREENSHOT_HEIGHT = 15000
DEFAULT_TIMEOUT = 300.0  # seconds for one notebook's run, from Run All Cells to the last cell's end
OPEN_TIMEOUT = 60.0  # seconds for JupyterLab to show the notebook
KERNEL_TIMEOUT = 90.0  # seconds, after that, for its kernel to be idle
TIMEOUT_ENV = "RAWNN_BROWSER_TIMEOUT"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# JupyterLab user settings (JUPYTERLAB_SETTINGS_DIR/<package>/<plugin>.jupyterlab-settings).
LAB_SETTINGS = {
    # JupyterLab 4 puts only the cells near the viewport in the page otherwise.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "scrollPastEnd": False},
    # No news pop-up over the page and no update check (there is no network).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # The extension manager would search PyPI.
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}

# Environment variables that must not reach the server and its kernels: they
# would change where Jupyter looks for kernels and settings, or how matplotlib
# draws (MPLBACKEND=Agg, as `./run` sets it, turns plt.show() into a warning
# instead of an inline image).
_DROPPED_ENV = re.compile(r"^(JUPYTER_.*|JUPYTERLAB_.*|JPY_.*|IPYTHONDIR|MPLBACKEND|MPLCONFIGDIR|PYTHONSTARTUP)$")


def browser_unavailable() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: install Debian's Chromium with `{INSTALL_HINT}`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return (f"the playwright Python package is missing ({exc}): `pip install -r requirements-dev.txt`; "
                f"the browser itself comes from `{INSTALL_HINT}`")
    return None


def timeout_from_env() -> float:
    value = os.environ.get(TIMEOUT_ENV, "")
    try:
        return float(value) if value.strip() else DEFAULT_TIMEOUT
    except ValueError:
        raise ValueError(f"{TIMEOUT_ENV} must be a number of seconds, got {value!r}") from None


# --------------------------------------------------------------------------
# What the notebook file says
# --------------------------------------------------------------------------

_FENCE = re.compile(r"^( {0,3})(```+|~~~+).*?^\1\2[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_FORMULA = re.compile(
    r"\$\$.+?\$\$"                           # $$ display $$
    r"|(?<![\\$])\$(?!\s)[^$\n]+?(?<![\s\\])\$(?!\d)"  # $inline$, not \$ nor $5 and $6
    r"|\\\(.+?\\\)|\\\[.+?\\\]"                # \( \) and \[ \]
    r"|\\begin\{([A-Za-z]+\*?)\}.+?\\end\{\1\}",  # \begin{align} ... \end{align}
    re.S,
)


def formulas_in_markdown(source: str) -> list[str]:
    """The LaTeX formulas in a markdown cell's source, outside code."""
    text = _FENCE.sub("", source)
    text = _CODE_SPAN.sub("", text)
    return [m.group(0) for m in _FORMULA.finditer(text)]


@dataclasses.dataclass
class NotebookFacts:
    code_cells: int
    markdown_cells: int
    blank_code_cells: list[int]           # indexes among code cells with no code (never numbered)
    markdown_formulas: dict[int, list[str]]  # markdown cell index (among markdown cells) -> formulas
    markdown_heads: list[str]             # first line of each markdown cell, to name it
    stored_images: dict[int, int] | None  # code cell index -> image/png outputs stored in the file


def notebook_facts(nb) -> NotebookFacts:
    code = [c for c in nb.cells if c.cell_type == "code"]
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    executed = [c for c in code if c.get("execution_count") is not None]
    stored = None
    if code and len(executed) == len([c for c in code if c.source.strip()]):
        stored = {i: sum(1 for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
                  for i, c in enumerate(code)}
    return NotebookFacts(
        code_cells=len(code),
        markdown_cells=len(markdown),
        blank_code_cells=[i for i, c in enumerate(code) if not c.source.strip()],
        markdown_formulas={i: f for i, c in enumerate(markdown) if (f := formulas_in_markdown(c.source))},
        markdown_heads=[next((ln for ln in c.source.splitlines() if ln.strip()), "") for c in markdown],
        stored_images=stored,
    )


def stripped_copy(nb):
    """The notebook with no stored outputs, for the python3 kernel of this environment."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


# --------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------

class LabServerError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab server of its own: own port, token, configuration, data, runtime and settings.

    Everything it writes stays under ``base`` (HOME included), so nothing
    lands in the user's home folder. Use as a context manager, or call
    :meth:`start` and :meth:`stop`.
    """

    def __init__(self, base: Path | str | None = None, startup_timeout: float = 90.0,
                 extra_args: list[str] | None = None):
        self._own_base = base is None
        self.base = Path(tempfile.mkdtemp(prefix="rawnn-lab-")) if base is None else Path(base)
        self.base.mkdir(parents=True, exist_ok=True)
        self.root = self.base / "root"
        self.log_path = self.base / "server.log"
        self.startup_timeout = startup_timeout
        self.extra_args = list(extra_args or [])
        self.token = secrets.token_hex(24)
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._runs = 0

    # -- environment -------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not _DROPPED_ENV.match(k)}
        d = self.base
        env.update(
            HOME=str(d / "home"),
            XDG_CONFIG_HOME=str(d / "home" / ".config"),
            XDG_CACHE_HOME=str(d / "home" / ".cache"),
            XDG_DATA_HOME=str(d / "home" / ".local" / "share"),
            JUPYTER_CONFIG_DIR=str(d / "config"),
            JUPYTER_DATA_DIR=str(d / "data"),
            JUPYTER_RUNTIME_DIR=str(d / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(d / "lab-settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(d / "lab-workspaces"),
            IPYTHONDIR=str(d / "ipython"),
            MPLCONFIGDIR=str(d / "matplotlib"),
            # The kernelspec of this environment (sys.prefix/share/jupyter) comes first.
            JUPYTER_PREFER_ENV_PATH="1",
            JUPYTER_PLATFORM_DIRS="1",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _prepare(self):
        for name in ("home", "config", "data", "runtime", "lab-settings", "lab-workspaces",
                     "ipython", "matplotlib", "root"):
            (self.base / name).mkdir(parents=True, exist_ok=True)
        for plugin, values in LAB_SETTINGS.items():
            path = self.base / "lab-settings" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values, indent=2))

    # -- life cycle ----------------------------------------------------------
    def start(self) -> "LabServer":
        self._prepare()
        env = self.env()
        # Build matplotlib's font cache now: building it inside the kernel can
        # print "Matplotlib is building the font cache" to stderr.
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env,
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        for attempt in range(3):
            log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
            try:
                self._start_once(env)
                return self
            except LabServerError:
                self._kill()
                this_attempt = self.log_path.read_bytes()[log_start:].decode(errors="replace")
                # Another process took the free port first (e.g. a second xdist worker): try another.
                if attempt == 2 or "already in use" not in this_attempt:
                    raise

    def _start_once(self, env):
        self.port = _free_port()
        # The launcher of `./run lab`, with this server's folder as root and no notebook to open;
        # only what a test needs (its own port and token, no browser, no news) comes on top.
        cmd = launcher.lab_command(sys.executable, root_dir=self.root, notebook=None, extra=[
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            "--LabApp.news_url=",
            "--ServerApp.log_level=INFO",
            *self.extra_args,
        ])
        log = open(self.log_path, "ab")
        log.write(f"\n$ {' '.join(cmd)}\n".encode())
        log.flush()
        try:
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                raise LabServerError(
                    f"the JupyterLab server exited at start with code {self.proc.returncode}; its log:\n{self.log()}")
            try:
                status = self.api("GET", "/api/status", timeout=2)
                if isinstance(status, dict) and "started" in status:
                    return
            except (OSError, urllib.error.URLError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise LabServerError(
                    f"the JupyterLab server did not answer /api/status within {self.startup_timeout:.0f} s; "
                    f"its log:\n{self.log()}")
            time.sleep(0.2)

    def alive(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            return False
        try:
            self.api("GET", "/api/status", timeout=5)
            return True
        except (OSError, urllib.error.URLError, ValueError):
            return False

    def check_alive(self):
        if not self.alive():
            code = None if self.proc is None else self.proc.poll()
            raise LabServerError(f"the JupyterLab server is not answering (exit code {code}); its log:\n{self.log()}")

    def log(self, tail: int = 20000) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return text[-tail:]

    def stop(self):
        """Shut the kernels down, then the server (TERM, wait, KILL), kernels included."""
        if self.proc is None:
            return
        kernel_pids = self._descendants()
        if self.proc.poll() is None:
            try:
                self.shutdown_sessions()
            except Exception:
                pass
        self._kill()
        # A kernel is in a process group of its own: end any the server left behind.
        for pid in kernel_pids:
            _kill_pid(pid)
        if self._own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def _kill(self):
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=15)
        else:
            try:  # anything left in its group
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def _descendants(self) -> list[int]:
        if self.proc is None:
            return []
        try:
            import psutil
            return [p.pid for p in psutil.Process(self.proc.pid).children(recursive=True)]
        except Exception:
            return []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- REST API ------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body=None, timeout: float = 10):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def sessions(self) -> list[dict]:
        return self.api("GET", "/api/sessions")

    def kernels(self) -> list[dict]:
        return self.api("GET", "/api/kernels")

    def shutdown_sessions(self, timeout: float = 30):
        """Close every session (which shuts its kernel down) and wait until no kernel is left."""
        for s in self.sessions():
            try:
                self.api("DELETE", f"/api/sessions/{s['id']}", timeout=timeout)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
        for k in self.kernels():
            try:
                self.api("DELETE", f"/api/kernels/{k['id']}", timeout=timeout)
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
        deadline = time.monotonic() + timeout
        while self.kernels() and time.monotonic() < deadline:
            time.sleep(0.05)

    # -- notebooks -----------------------------------------------------------
    def place(self, notebook_path: Path, siblings=()) -> str:
        """Copy a notebook, outputs stripped, to <run>/notebooks/<name> in the server's folder.

        <run>/figures, <run>/bench and <run>/README.md link to those beside the
        notebook's own folder, so '../figures/x.png' and '../bench/RESULTS.md'
        in markdown resolve as in the project.
        Returns the path relative to the server's root.
        """
        notebook_path = Path(notebook_path).resolve()
        self._runs += 1
        run = self.root / f"run{self._runs:03d}"
        (run / "notebooks").mkdir(parents=True)
        # What the notebooks link to beside their folder: figures, benchmark results, README.
        for name in ("figures", "bench", "README.md"):
            target = notebook_path.parent.parent / name
            if target.exists():
                (run / name).symlink_to(target, target_is_directory=target.is_dir())
        for path in {notebook_path, *map(Path, siblings)}:     # siblings: for the links between them
            nbformat.write(stripped_copy(nbformat.read(path, as_version=4)), run / "notebooks" / path.name)
        return f"{run.name}/notebooks/{notebook_path.name}"

    def lab_url(self, relpath: str) -> str:
        # `reset` starts from an empty workspace: no notebook of an earlier run reopens.
        return f"{self.url}/lab/tree/{urllib.request.quote(relpath)}?reset&token={self.token}"


def _kill_pid(pid: int):
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------

# Reads the state of the run from the page.
_JS_RUN_STATE = r"""
() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const prompts = cells.map(c => {
    const p = c.querySelector('.jp-InputArea-prompt');
    return p ? p.textContent.trim() : '';
  });
  const stderr = document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length;
  // A dialog (kernel died, select a kernel, ...) stops the run until someone answers it.
  const dialogs = [...document.querySelectorAll('.jp-Dialog')].map(d => (d.innerText || '').trim());
  return {prompts, stderr, dialogs};
}
"""

# Everything the checks need, read from the page once the run is over.
_JS_INSPECT = r"""
() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook')
          || document.querySelector('.jp-Notebook');
  const textOf = el => (el.innerText || el.textContent || '');
  const code = [...nb.querySelectorAll('.jp-CodeCell')].map((cell, i) => {
    const p = cell.querySelector('.jp-InputArea-prompt');
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
      mime: o.getAttribute('data-mime-type') || '',
      text: textOf(o).slice(0, 2000),
    }));
    const images = [...cell.querySelectorAll('.jp-OutputArea-output img')].map(img => ({
      complete: img.complete, width: img.naturalWidth, height: img.naturalHeight,
      src: (img.getAttribute('src') || '').slice(0, 80),
    }));
    return {prompt: p ? p.textContent.trim() : '', outputs, images,
            pngOutputs: cell.querySelectorAll('.jp-OutputArea-output[data-mime-type="image/png"]').length};
  });
  const markdown = [...nb.querySelectorAll('.jp-MarkdownCell')].map(cell => {
    const html = cell.querySelector('.jp-RenderedMarkdown, .jp-RenderedHTMLCommon');
    let leftover = '';
    if (html) {
      const clone = html.cloneNode(true);
      clone.querySelectorAll('mjx-container, code, pre, script, mjx-assistive-mml').forEach(e => e.remove());
      leftover = clone.textContent;
    }
    return {
      rendered: cell.classList.contains('jp-mod-rendered'),
      math: cell.querySelectorAll('mjx-container').length,
      // MathJax's error elements (the copy in the assistive MathML not counted twice)
      errors: [...cell.querySelectorAll('mjx-merror, [data-mjx-error]')]
        .filter(e => !e.closest('mjx-assistive-mml'))
        .map(e => e.getAttribute('data-mjx-error') || e.getAttribute('title') || textOf(e)),
      // An undefined macro is no error element: MathJax's noundefined package
      // typesets its name in red, seen in the assistive MathML as
      // <mtext mathcolor="red">\\name</mtext>, or (without it, as with the
      // jupyterlab-mathjax3 that RISE brings) as a red mjx-mtext whose
      // characters are only in the class names of its mjx-c children.
      undefinedMacros: [...new Set([
        ...[...cell.querySelectorAll('mjx-container mtext[mathcolor="red"]')].map(e => e.textContent),
        ...[...cell.querySelectorAll('mjx-container mjx-mtext[style*="color: red"]')].map(e =>
          [...e.querySelectorAll('mjx-c')].map(c => String.fromCodePoint(
            parseInt((c.className.match(/mjx-c([0-9A-F]+)/) || [0, '3F'])[1], 16))).join('')),
      ])].filter(t => /^\\[A-Za-z]+/.test(t)),
      leftover,
      images: [...cell.querySelectorAll('img')].map(img => ({
        complete: img.complete, width: img.naturalWidth,
        src: (img.getAttribute('src') || '').slice(0, 120),
      })),
      text: textOf(cell).slice(0, 200),
    };
  });
  const mathErrors = [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
    .filter(e => !e.closest('mjx-assistive-mml')).length;
  return {code, markdown, mathErrors};
}
"""


@dataclasses.dataclass
class Report:
    notebook: str
    problems: list[str] = dataclasses.field(default_factory=list)
    screenshot: Path | None = None
    seconds: float = 0.0
    timings: dict[str, float] = dataclasses.field(default_factory=dict)
    code_cells: int = 0
    images: int = 0
    formulas: int = 0
    formulas_by_cell: list[int] = dataclasses.field(default_factory=list)  # per markdown cell
    prompts: list[str] = dataclasses.field(default_factory=list)  # per code cell: "[3]:", "[ ]:", ...
    outputs: list[list[dict]] = dataclasses.field(default_factory=list)  # per code cell: {mime, text}
    page_errors: list[str] = dataclasses.field(default_factory=list)
    console_errors: list[str] = dataclasses.field(default_factory=list)
    page: object = None  # the page, left open for the next notebook (run_in_lab's keep_page)

    def text_outputs(self) -> str:
        return "\n".join(o["text"] for cell in self.outputs for o in cell)

    def describe(self) -> str:
        lines = [f"{self.notebook}: {len(self.problems)} problem(s) seen in JupyterLab"]
        lines += [f"  - {p}" for p in self.problems]
        if self.screenshot:
            lines.append(f"  screenshot: {self.screenshot}")
        if self.console_errors:
            lines.append("  console errors (for information, not counted): "
                         + "; ".join(_short(e, 200) for e in self.console_errors[:5]))
        return "\n".join(lines)


def _short(text: str, n: int = 600) -> str:
    text = text.strip()
    return text if len(text) <= n else text[: n - 15] + " ...[cut]... " + text[-15:]


def _is_traceback(text: str) -> bool:
    return bool(re.search(r"Traceback \(most recent call last\)|^Cell In\[|^\w*(Error|Exception|Interrupt)\b",
                          text, re.M))


def run_in_lab(notebook_path, screenshot_path=None, *, server: LabServer | None = None,
               browser=None, timeout: float | None = None, siblings=(), then=None,
               page=None, keep_page: bool = False) -> Report:
    """Open a notebook in JupyterLab, Run All Cells from the Run menu, and report what is wrong.

    ``server`` and ``browser`` (a Playwright Chromium Browser) are started for
    this call when not given. The notebook file itself is never changed: a
    copy without outputs runs in the server's folder. The kernel is shut down
    before returning. ``timeout`` (default: RAWNN_BROWSER_TIMEOUT, else 300)
    is the seconds allowed from Run All Cells to the end of the run.
    ``siblings`` are placed beside the notebook, for its links; ``then(page,
    server, relpath)``, if given, goes on in the same page after the run.

    ``page``: a JupyterLab page of this server, with no notebook open, left by
    an earlier call: the notebook then opens in it by File > Open from Path, as
    a learner opens the next one, instead of loading JupyterLab again. With
    ``keep_page`` (and no ``then``), a run without problems saves and closes its
    notebook and leaves the page in ``report.page`` for the next call; else the
    page's browser context is closed.
    """
    notebook_path = Path(notebook_path)
    timeout = timeout_from_env() if timeout is None else timeout
    if server is None:
        with LabServer() as own_server:
            return run_in_lab(notebook_path, screenshot_path, server=own_server, browser=browser, timeout=timeout,
                              siblings=siblings, then=then)
    if browser is None:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as pw:
            own_browser = launch_chromium(pw)
            try:
                return run_in_lab(notebook_path, screenshot_path, server=server, browser=own_browser,
                                  timeout=timeout, siblings=siblings, then=then)
            finally:
                own_browser.close()

    report = Report(notebook=notebook_path.name)
    t0 = time.monotonic()
    try:
        facts = notebook_facts(nbformat.read(notebook_path, as_version=4))
        server.check_alive()
        relpath = server.place(notebook_path, siblings)
    except BaseException:
        if page is not None:
            page.context.close()
        raise
    reuse = page is not None
    context = page.context if reuse else browser.new_context(viewport=VIEWPORT)
    page = page or context.new_page()

    def on_error(exc):
        report.page_errors.append(str(exc))

    def on_console(msg):
        if msg.type == "error":
            report.console_errors.append(msg.text)

    page.on("pageerror", on_error)
    page.on("console", on_console)
    try:
        page.set_viewport_size(VIEWPORT)             # the last screenshot may have left it taller
        _drive(page, server, relpath, facts, report, timeout, t0, reuse)
        if screenshot_path is not None:
            t = time.monotonic()
            report.screenshot = Path(screenshot_path)
            _screenshot(page, report.screenshot, report)
            report.timings["screenshot"] = time.monotonic() - t
        if then is not None:
            t = time.monotonic()
            page.set_viewport_size(VIEWPORT)
            then(page, server, relpath)
            report.timings["then"] = time.monotonic() - t
    finally:
        keep = keep_page and then is None and not report.problems and not report.page_errors
        if keep:
            closed = _close_notebook(page)
            if closed is not None:
                report.problems.append(closed)
        t = time.monotonic()
        try:
            server.shutdown_sessions()
        except Exception as exc:  # the server died: say so, with its log
            report.problems.append(f"could not shut the kernel down: {exc}; server log:\n{server.log(4000)}")
        report.timings["shutdown"] = time.monotonic() - t
        if keep and not report.problems:
            page.evaluate("0")     # a round trip: an error the page raised meanwhile reaches this report
        page.remove_listener("pageerror", on_error)
        page.remove_listener("console", on_console)
        if keep and not report.problems and not report.page_errors:
            report.page = page
        else:
            context.close()
    for err in report.page_errors:
        report.problems.append(f"JavaScript error in the page: {_short(err, 400)}")
    report.seconds = time.monotonic() - t0
    return report


def launch_chromium(playwright):
    """Debian's Chromium, headless, with a HOME of its own (it writes to ~/.config and ~/.cache)."""
    home = Path(tempfile.mkdtemp(prefix="rawnn-chromium-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_DATA_HOME=str(home / ".local" / "share"))
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                                         env=env)
    browser.on("disconnected", lambda _browser: shutil.rmtree(home, ignore_errors=True))
    return browser


class _Abort(Exception):
    pass


def menu_command(page, menu: str, command: str):
    """Choose a command from JupyterLab's menu bar, as a person does: the menu, then its item."""
    page.locator("#jp-MainMenu .lm-MenuBar-item").filter(has_text=re.compile(rf"^\s*{menu}\s*$")).click()
    page.locator(f'.lm-Menu li.lm-Menu-item[data-command="{command}"]').click()


def _close_notebook(page):
    """Save the notebook (so that closing asks nothing) and close its tab; None, or what went wrong."""
    try:
        for command in ("docmanager:save", "application:close"):
            menu_command(page, "File", command)
            if command == "docmanager:save":
                page.locator(".lm-TabBar-tab.jp-mod-dirty").first.wait_for(
                    state="detached", timeout=10_000)
        page.locator(".jp-NotebookPanel").first.wait_for(state="detached", timeout=10_000)
        return None
    except Exception as exc:
        return f"File > Save, then File > Close Tab, did not close the notebook: {_short(str(exc), 400)}"


def _open_from_path(page, relpath):
    """File > Open from Path..., as a learner opens a file of the folder without the file browser."""
    menu_command(page, "File", "filebrowser:open-path")
    page.locator(".jp-Dialog input").fill(relpath)
    page.locator(".jp-Dialog .jp-mod-accept").click()


def _drive(page, server, relpath, facts, report, timeout, t0, reuse=False):
    try:
        # 1. open the notebook and wait for the kernel to be idle. The notebook's session is asked for
        # first, with the request JupyterLab makes when it opens a notebook (POST /api/sessions): its
        # kernel starts while the notebook opens, and JupyterLab connects to it, as after a page reload.
        server.api("POST", "/api/sessions", {"path": relpath, "name": Path(relpath).name, "type": "notebook",
                                             "kernel": {"name": KERNELSPEC["name"]}})
        if reuse:
            _open_from_path(page, relpath)
        else:
            page.goto(server.lab_url(relpath), wait_until="domcontentloaded", timeout=OPEN_TIMEOUT * 1000)
        try:
            page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(state="visible",
                                                                          timeout=OPEN_TIMEOUT * 1000)
        except Exception:
            raise _Abort(f"the notebook did not open in JupyterLab within {OPEN_TIMEOUT:.0f} s")
        t = time.monotonic()
        report.timings["open"] = t - t0
        idle = page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\bIdle\b"))
        try:
            idle.first.wait_for(state="visible", timeout=KERNEL_TIMEOUT * 1000)
        except Exception:
            bar = page.locator("#jp-main-statusbar")
            status = bar.inner_text() if bar.count() else "(no status bar)"
            dialog = page.locator(".jp-Dialog").all_inner_texts()
            raise _Abort(f"the kernel did not become Idle; status bar: {status!r}"
                         + (f"; dialog: {dialog}" if dialog else ""))
        # and the server agrees: this notebook has one session, with an idle kernel
        while True:
            mine = [s for s in server.sessions() if s.get("path") == relpath]
            kernel = mine[0].get("kernel") if len(mine) == 1 else None
            if kernel and kernel.get("execution_state") == "idle":
                break
            if time.monotonic() > t + KERNEL_TIMEOUT:
                raise _Abort(f"the server shows not one idle kernel for {relpath}: {server.sessions()}")
            time.sleep(0.1)
        report.timings["kernel"] = time.monotonic() - t

        # 2. the page has every cell of the file, markdown rendered
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        settle_until = time.monotonic() + 10
        while cells.count() != facts.code_cells and time.monotonic() < settle_until:
            time.sleep(0.2)
        code_in_page = cells.count()
        report.code_cells = code_in_page
        if code_in_page != facts.code_cells:
            report.problems.append(
                f"the page shows {code_in_page} code cells, the file has {facts.code_cells} "
                "(is windowing mode still on?)")
        markdown_in_page = page.locator(".jp-Notebook .jp-MarkdownCell").count()
        if markdown_in_page != facts.markdown_cells:
            report.problems.append(
                f"the page shows {markdown_in_page} markdown cells, the file has {facts.markdown_cells}")

        # 3. Run > Run All Cells, as a person does
        t = time.monotonic()
        menu_command(page, "Run", "runmenu:run-all")
        deadline = time.monotonic() + timeout

        # 4. wait until every code cell has its number, or the run stopped at an error
        numbered = re.compile(r"^\[\d+\]:$")
        blank = set(facts.blank_code_cells)
        started = False
        while True:
            state = page.evaluate(_JS_RUN_STATE)
            prompts = state["prompts"]
            done = all(numbered.match(p) or i in blank for i, p in enumerate(prompts))
            stopped = state["stderr"] and not any(p == "[*]:" for p in prompts)
            if done or stopped:
                break
            if state["dialogs"]:
                raise _Abort(f"a dialog came up during the run: {[_short(d, 300) for d in state['dialogs']]}")
            started = started or any(p != "[ ]:" for p in prompts)
            if not started and time.monotonic() - t > 30:
                raise _Abort("Run > Run All Cells started nothing: after 30 s every code cell still reads [ ]:")
            if time.monotonic() > deadline:
                running = [f"#{i + 1}" for i, p in enumerate(prompts) if p == "[*]:"]
                report.problems.append(
                    f"the run did not finish within {timeout:.0f} s (set {TIMEOUT_ENV} for more); "
                    f"code cells still queued or running: {', '.join(running)}")
                break
            time.sleep(0.1)
        report.timings["run"] = time.monotonic() - t

        # 5. images decoded, MathJax done
        t = time.monotonic()
        _wait_for_images_and_math(page, facts, until=min(deadline, time.monotonic() + 20))
        report.timings["settle"] = time.monotonic() - t
        _check(page.evaluate(_JS_INSPECT), facts, report)
    except _Abort as exc:
        report.problems.append(str(exc))
    except Exception as exc:  # a Playwright timeout or a closed page: report it, with the server's state
        alive = server.alive()
        report.problems.append(
            f"driving the page failed: {type(exc).__name__}: {_short(str(exc), 800)}"
            + ("" if alive else f"\nthe JupyterLab server died; its log:\n{server.log(4000)}"))


_JS_SETTLE = r"""
() => {
  const imgs = [...document.querySelectorAll('.jp-Notebook img')];
  const pending = imgs.filter(i => !i.complete).length;
  const perCell = [...document.querySelectorAll('.jp-Notebook .jp-MarkdownCell')].map(
    c => c.querySelectorAll('mjx-container').length);
  const unrendered = document.querySelectorAll('.jp-Notebook .jp-MarkdownCell:not(.jp-mod-rendered)').length;
  return {pending, perCell, unrendered};
}
"""


def _wait_for_images_and_math(page, facts, until):
    """Wait until images have loaded and MathJax typesetting has stopped changing.

    Stopped means: unchanged for 0.3 s once every markdown cell with a formula
    has typeset math, else (that cell will be reported) unchanged for 2 s.
    """
    last, since = None, time.monotonic()
    while time.monotonic() < until:
        s = page.evaluate(_JS_SETTLE)
        enough = all(i < len(s["perCell"]) and s["perCell"][i] >= 1 for i in facts.markdown_formulas)
        key = (s["pending"], tuple(s["perCell"]), s["unrendered"])
        now = time.monotonic()
        if key != last:
            last, since = key, now
        if s["pending"] == 0 and s["unrendered"] == 0 and now - since >= (0.3 if enough else 2.0):
            return
        time.sleep(0.1)


def _check(seen, facts, report):
    problems = report.problems
    code, markdown = seen["code"], seen["markdown"]
    numbered = re.compile(r"^\[\d+\]:$")
    blank = set(facts.blank_code_cells)

    # every code cell ran
    not_run = [i for i, c in enumerate(code) if i not in blank and not numbered.match(c["prompt"])]
    if not_run:
        problems.append(f"{len(not_run)} of {len(code)} code cells did not run: code cells "
                        + ", ".join(f"#{i + 1} (prompt {code[i]['prompt']!r})" for i in not_run[:10])
                        + (" ..." if len(not_run) > 10 else ""))

    # no error, no stderr
    report.prompts = [c["prompt"] for c in code]
    report.outputs = [c["outputs"] for c in code]
    for i, c in enumerate(code):
        for o in c["outputs"]:
            if o["mime"] == "application/vnd.jupyter.stderr":
                kind = "an error" if _is_traceback(o["text"]) else "stderr output (a warning?)"
                problems.append(f"code cell #{i + 1} {c['prompt']} shows {kind}:\n{_short(o['text'])}")

    # plots are decoded images
    report.images = sum(len(c["images"]) for c in code)
    for i, c in enumerate(code):
        for img in c["images"]:
            if not img["complete"] or img["width"] <= 0:
                problems.append(f"code cell #{i + 1}: an output image is not a decoded picture "
                                f"(complete={img['complete']}, naturalWidth={img['width']}, src={img['src']!r})")
    if facts.stored_images is not None and not not_run:
        for i, c in enumerate(code):
            want = facts.stored_images.get(i, 0)
            if c["pngOutputs"] != want:
                problems.append(f"code cell #{i + 1} shows {c['pngOutputs']} PNG image(s) in JupyterLab, "
                                f"the executed file stores {want}")

    # markdown rendered, formulas typeset by MathJax without errors
    report.formulas_by_cell = [m["math"] for m in markdown]
    report.formulas = sum(report.formulas_by_cell)
    for i, m in enumerate(markdown):
        head = facts.markdown_heads[i] if i < len(facts.markdown_heads) else m["text"]
        where = f"markdown cell #{i + 1} ({_short(head, 60)!r})"
        if not m["rendered"]:
            problems.append(f"{where} is not rendered (still in edit mode)")
        formulas = facts.markdown_formulas.get(i, [])
        if formulas and m["math"] == 0:
            problems.append(f"{where}: MathJax typeset none of its formulas, e.g. {_short(formulas[0], 80)}")
        if m["errors"]:
            problems.append(f"{where}: MathJax marks a formula as an error: {[_short(e, 120) for e in m['errors']]}")
        if m["undefinedMacros"]:
            problems.append(f"{where}: undefined LaTeX macro(s) in a formula: {m['undefinedMacros']}")
        leftover = formulas_in_markdown(m["leftover"])
        if formulas and leftover:
            problems.append(f"{where}: formula(s) left as raw text, not typeset: {[_short(x, 80) for x in leftover[:5]]}")
        for img in m["images"]:
            if not img["complete"] or img["width"] <= 0:
                problems.append(f"{where}: an image does not load (src={img['src']!r})")
    extra = seen["mathErrors"] - sum(len(m["errors"]) for m in markdown)
    if extra > 0:
        problems.append(f"{extra} MathJax error element(s) elsewhere in the page")


def _screenshot(page, path: Path, report: Report):
    """The whole notebook: the viewport grows to the notebook's height first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        height = page.evaluate(r"""
          () => {
            const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
                       || document.querySelector('.jp-NotebookPanel .jp-Notebook');
            return outer ? outer.scrollHeight : 0;
          }""")
        extra = VIEWPORT["height"] - page.evaluate(r"""
          () => {
            const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
                       || document.querySelector('.jp-NotebookPanel .jp-Notebook');
            return outer ? outer.clientHeight : 0;
          }""")
        want = int(min(MAX_SCREENSHOT_HEIGHT, max(VIEWPORT["height"], height + extra)))
        page.set_viewport_size({"width": VIEWPORT["width"], "height": want})
        page.evaluate(r"""() => document.querySelectorAll('.jp-NotebookPanel .jp-WindowedPanel-outer')
                                       .forEach(e => { e.scrollTop = 0; })""")
        # The new size is laid out at the next animation frame; wait for the one after it.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:
        report.problems.append(f"could not take the screenshot {path}: {exc}")


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(description="Run notebooks in JupyterLab in headless Chromium.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--screenshots", type=Path, default=Path("test-output/browser"))
    args = parser.parse_args(argv)
    reason = browser_unavailable()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright
    bad = 0
    with LabServer() as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        for nb in args.notebooks:
            report = run_in_lab(nb, args.screenshots / f"{nb.stem}.png", server=server, browser=browser)
            print(report.describe() if report.problems else f"{nb.name}: ok", f"({report.seconds:.1f} s)")
            bad += bool(report.problems)
        browser.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
