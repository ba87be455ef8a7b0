"""Imported at start-up by any Python whose PYTHONPATH holds this folder (conftest.py puts it there).

Two guards, for every process the test run starts, kernels included:

- No network: resolving a host name or connecting a socket to anything but the
  loopback interface or a local (Unix) socket raises OSError before a single
  packet leaves. A notebook run under this guard proves every data set is local.
- A read-only checkout: opening a file for writing under ``RAWNN_READONLY_ROOT``
  raises PermissionError, as on a shared read-only install, except in the
  folders that are not the project's content (virtual environments, caches,
  build and test output). A notebook run under this guard proves that a
  learner's Run All writes nothing into the project.

When RAWNN_GUARD_MARKERS names a folder, each guarded process leaves a file
there, so a test can tell that the kernels really ran guarded.
"""

import errno
import ipaddress
import os
import socket
import sys

_LOCAL_NAMES = {None, "", "localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(host):
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def allowed(address):
    """True for a Unix socket path or a loopback (host, port) address."""
    if isinstance(address, (str, bytes)):
        return True
    return _is_local(address[0])


def _refuse(what):
    raise OSError(f"network disabled for this test: {what}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _guarded_connect(self, address):
    if not allowed(address):
        _refuse(f"connect to {address!r}")
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    if not allowed(address):
        _refuse(f"connect to {address!r}")
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _is_local(host):
        _refuse(f"look up {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


_guarded_connect.__rawnn_guard__ = True
socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.getaddrinfo = _guarded_getaddrinfo

# --- the read-only checkout --------------------------------------------------------------

READONLY_ROOT = os.environ.get("RAWNN_READONLY_ROOT")
WRITABLE = (".venv", "build", "test-output", "__pycache__", ".pytest_cache", ".ipynb_checkpoints")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def read_only(path):
    """True for a path inside the checkout that a learner's run must not write."""
    if not READONLY_ROOT or isinstance(path, int):
        return False
    rel = os.path.relpath(os.path.realpath(os.fsdecode(path)), READONLY_ROOT)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return False
    parts = rel.split(os.sep)
    return not any(p.startswith(WRITABLE) or p.endswith(".egg-info") for p in parts)


def _audit(event, args):
    if event == "open" and len(args) == 3 and isinstance(args[2], int) and args[2] & _WRITE_FLAGS \
            and read_only(args[0]):
        raise PermissionError(errno.EACCES, "read-only checkout for this test run", os.fsdecode(args[0]))


if READONLY_ROOT:
    sys.addaudithook(_audit)

if os.environ.get("RAWNN_GUARD_MARKERS"):
    with open(os.path.join(os.environ["RAWNN_GUARD_MARKERS"], f"guarded-{os.getpid()}"), "w") as f:
        f.write("guarded\n")
