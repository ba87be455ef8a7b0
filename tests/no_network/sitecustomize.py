"""Imported at start-up by any Python whose PYTHONPATH holds this folder: no network.

Every attempt to resolve a host name or to connect a socket to anything but
the loopback interface or a local (Unix) socket raises OSError before a
single packet leaves. The kernels that nbval starts inherit PYTHONPATH, so
a notebook run under this guard proves that it needs no network: every data
set is local. When RAWNN_GUARD_MARKERS names a folder, each guarded process
leaves a file there, so a test can tell that the kernels really ran guarded.
"""

import ipaddress
import os
import socket

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

if os.environ.get("RAWNN_GUARD_MARKERS"):
    with open(os.path.join(os.environ["RAWNN_GUARD_MARKERS"], f"guarded-{os.getpid()}"), "w") as f:
        f.write("guarded\n")
