"""Whether the X display named in DISPLAY answers: Qt aborts the process when it does not (no Qt here)."""

import os
import socket
import sys


def display_problem() -> str | None:
    """Why the X display in DISPLAY cannot be reached, or None; Qt aborts the process instead of saying so."""
    display = os.environ.get("DISPLAY", "")
    platform = (os.environ.get("QT_QPA_PLATFORM") or "xcb").partition(":")[0]
    if not sys.platform.startswith("linux") or platform != "xcb" or os.environ.get("WAYLAND_DISPLAY"):
        return None  # another platform plugin, which reports its own problems
    if not display:
        return "DISPLAY is not set"
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return f"DISPLAY={display} is not a display name like :0 or host:0"
    if host in ("", "unix"):
        where = f"/tmp/.X11-unix/X{number}"
        reached = _unix_connects(where) or _unix_connects("\0" + where)  # a socket file, or Linux's abstract one
    else:
        where = f"{host} port {6000 + int(number)}"
        reached = _tcp_connects(host, 6000 + int(number))
    return None if reached else f"no X server answers on DISPLAY={display} ({where})"


def _unix_connects(path: str) -> bool:
    """Whether a Unix socket at path accepts a connection."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(path)
    except OSError:
        return False
    return True


def _tcp_connects(host: str, port: int) -> bool:
    """Whether host accepts a TCP connection on port within a second."""
    try:
        socket.create_connection((host, port), timeout=1.0).close()
    except OSError:
        return False
    return True
