import atexit
import errno
import io
import os
import shutil
import tempfile

import pytest

# Qt must see this before it is first imported, so every test runs without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Recent files and logs of the app go to a throw-away folder, not the user's.
_home = tempfile.mkdtemp(prefix="netviz-tests-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")
os.environ["XDG_STATE_HOME"] = os.path.join(_home, "state")


class _FullDisk:
    """A file whose writes fail with ENOSPC once `room` bytes are written, as on a full disk."""

    def __init__(self, f, room: int):
        self._f, self._room = f, room

    def write(self, data) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._f.write(data)

    def fileno(self):
        raise io.UnsupportedOperation("fileno")  # so that encoders write through write(), not to the descriptor

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every file netviz writes runs out of space after 1,000 bytes."""
    import netviz.atomic

    real_open = netviz.atomic._open
    monkeypatch.setattr(netviz.atomic, "_open", lambda *a, **k: _FullDisk(real_open(*a, **k), 1000))
