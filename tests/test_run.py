"""The entry point `run.py` (and `./run`, its wrapper), with the operating system faked where it matters.

The commands must work for a student on Windows, macOS or Linux, and as root in
a container; only Linux runs here, so the platform logic is tested by faking
what differs: the venv's layout and the user id.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import run  # noqa: E402


@pytest.mark.parametrize("os_name, expected", [("nt", "Scripts/python.exe"), ("posix", "bin/python")])
def test_the_venv_python_is_where_each_platform_puts_it(os_name, expected):
    assert run.venv_python(Path("venv"), os_name) == Path("venv") / expected


@pytest.mark.parametrize("uid, root", [(0, True), (1000, False)])
def test_root_is_told_by_the_user_id(monkeypatch, uid, root):
    monkeypatch.setattr(os, "geteuid", lambda: uid, raising=False)
    assert run.running_as_root() is root


def test_windows_has_no_root(monkeypatch):
    monkeypatch.delattr(os, "geteuid", raising=False)
    assert run.running_as_root() is False


@pytest.mark.parametrize("as_root", [True, False])
def test_lab_serves_the_top_folder_and_opens_notebook_01_adding_allow_root_only_for_root(as_root):
    cmd = run.lab_command("python", as_root=as_root)
    assert cmd[:3] == ["python", "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={run.ROOT}" in cmd
    assert cmd[-1] == str(run.ROOT / "notebooks" / "01_network.ipynb") and Path(cmd[-1]).exists()
    assert ("--allow-root" in cmd) is as_root


def test_lab_settings_make_markdown_files_open_rendered():
    viewers = run.LAB_OVERRIDES["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"markdown": "Markdown Preview"}
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.exists(), "run.py setup installs the settings into the venv"


def test_the_shell_wrapper_and_run_py_list_the_same_commands():
    wrapper = subprocess.run(["sh", str(ROOT / "run"), "help"], capture_output=True, text=True)
    direct = subprocess.run([sys.executable, str(ROOT / "run.py"), "help"], capture_output=True, text=True)
    assert wrapper.returncode == direct.returncode == 0
    assert wrapper.stdout == direct.stdout and "py run.py <command>" in direct.stdout


def test_an_unknown_command_lists_the_commands_and_fails(capsys):
    assert run.main(["lap"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("unknown command 'lap'") and "lab        set up" in out


@pytest.mark.skipif(os.name != "posix", reason="./run is the shell wrapper; on Windows run.py is called from where one stands")
def test_grade_reads_its_paths_from_where_it_was_typed(tmp_path):
    (tmp_path / "submissions" / "ada").mkdir(parents=True)
    (tmp_path / "submissions" / "ada" / "03_softmax_nll.ipynb").write_text("not json", encoding="utf-8")
    result = subprocess.run([str(ROOT / "run"), "grade", "submissions/ada/03_softmax_nll.ipynb", "--csv", "grades.csv"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not a valid notebook: Notebook does not appear to be JSON" in result.stdout
    assert "ada / 03_softmax_nll.ipynb" in result.stdout and (tmp_path / "grades.csv").exists()
    assert not (ROOT / "grades.csv").exists()


def test_a_learner_installs_only_what_the_notebooks_need():
    """`./run lab` installs requirements.txt alone; the teacher's and maintainer's tools sit in their own files."""
    assert "lab" not in run.EXTRA
    def names(path):
        return {line.split(">")[0].split("=")[0].split("<")[0].strip().lower()
                for line in (ROOT / path).read_text().splitlines() if line.strip() and not line.startswith("#")}
    learner = names("requirements.txt")
    assert learner == {"numpy", "matplotlib", "scikit-learn", "jupyterlab", "ipykernel"}
    assert {"nbgrader", "jupyterlab-rise"} <= names("requirements-teacher.txt")
    assert {"pytest", "nbval", "playwright"} <= names("requirements-dev.txt")
    assert run.EXTRA["teach"] == ("requirements-teacher.txt",)         # `./run teach`: lab with the teacher's tools
    assert set(run.EXTRA["test"]) == {"requirements-teacher.txt", "requirements-dev.txt", "requirements-site.txt"}
    assert "student" not in run.EXTRA and "grade" not in run.EXTRA      # JupyterLab brings nbformat and nbclient
