"""Atomic file writes: every file netviz writes goes to a temporary file beside its target,
which replaces the target only once it is complete.

So a full disk, a failed encoder, Ctrl-C, SIGTERM or SIGHUP leaves no partial file and an
earlier file as it was. A process killed outright (kill -9) cannot clean up: the next write
into the same folder removes such leftovers, recognised by netviz's own temporary names and
an age of over a minute (a younger one may belong to another netviz writing right now).
Standard library only: the engine, the exports and the window all write through here.
"""

import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

STALE_SECONDS = 60.0
# .netviz-<12 hex>.tmp, then the target's extension (encoders such as ffmpeg choose the format by it).
_TEMPORARY = re.compile(r"\.netviz-[0-9a-f]{12}\.tmp(\.[A-Za-z0-9]{1,8})?")
# What earlier versions of netviz left: sessions (.run.netviz.<8 hex>.tmp) and exports (.netviz-<12 hex>.gif).
_EARLIER = (re.compile(r"\..+\.netviz\.[0-9a-f]{8}\.tmp"), re.compile(r"\.netviz-[0-9a-f]{12}\.(gif|webp|mp4|png)"))

_live: set[str] = set()  # temporaries being written now, removed at once on SIGTERM or SIGHUP


class WriteError(OSError):
    """A file that could not be written; str() is one line; nothing was left behind."""

    def __init__(self, path, problem: str):
        self.path, self.problem = os.fspath(path), problem
        super().__init__(f"{self.path}: {problem}")


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like KeyboardInterrupt, so that every writer cleans up."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


def is_temporary(name: str) -> bool:
    """True for the name of a temporary file that this or an earlier netviz writes."""
    return any(pattern.fullmatch(name) for pattern in (_TEMPORARY, *_EARLIER))


def remove_stale(folder: str, now: float | None = None) -> list[str]:
    """Remove netviz temporaries in folder older than STALE_SECONDS (left by a killed process); their names."""
    now = time.time() if now is None else now
    removed = []
    with suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not is_temporary(entry.name) or entry.path in _live:
                continue
            with suppress(OSError):
                age = now - entry.stat(follow_symlinks=False).st_mtime
                if entry.is_file(follow_symlinks=False) and age > STALE_SECONDS:
                    os.unlink(entry.path)
                    removed.append(entry.name)
    return removed


def _suffix(path: str) -> str:
    ext = os.path.splitext(path)[1]
    return ext if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", ext) else ""


def _create_temporary(path: str) -> str:
    """A new empty temporary file beside path, with the permissions the umask gives any new file."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        tmp = os.path.join(folder, f".netviz-{os.urandom(6).hex()}.tmp{_suffix(path)}")
        try:
            # 0o666, not mkstemp's owner-only 0o600: the result is an ordinary file of the user's.
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            return tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise WriteError(path, f"cannot write in {folder} ({exc.strerror or exc})") from None


def _sync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path) -> Iterator[str]:
    """A temporary path to write the file to; it replaces `path` when the block ends without an error.

    Any OSError becomes a WriteError (one line); on any exception the temporary file is removed.
    """
    path = os.fspath(path)
    remove_stale(os.path.dirname(os.path.abspath(path)))
    tmp = _create_temporary(path)
    _live.add(tmp)
    try:
        yield tmp
        _sync(tmp)  # the data is on disk before the rename makes it the file
        os.replace(tmp, path)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(path, f"cannot write ({exc.strerror or exc})") from None
    finally:
        _live.discard(tmp)
        with suppress(FileNotFoundError):
            os.unlink(tmp)


def _open(path: str, mode: str, **kwargs):
    return open(path, mode, **kwargs)


@contextmanager
def atomic_file(path, mode: str = "wb", **kwargs):
    """An open file (as open(path, mode, ...)) that replaces `path` once closed without an error."""
    with atomic_path(path) as tmp, _open(tmp, mode, **kwargs) as f:
        yield f


def write_bytes(path, data: bytes) -> None:
    """Write data to path atomically."""
    with atomic_file(path) as f:
        f.write(data)


def _on_termination(signum, frame) -> None:
    for tmp in list(_live):  # at once: unwinding may wait for an encoder thread to finish
        with suppress(OSError):
            os.unlink(tmp)
    raise Terminated(signum)


def unwind_on_termination() -> None:
    """Make SIGTERM and SIGHUP raise Terminated in the main thread, as SIGINT raises KeyboardInterrupt."""
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_termination)
