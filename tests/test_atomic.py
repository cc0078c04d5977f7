"""netviz.atomic: whole files or none, on errors, a full disk, SIGTERM/SIGHUP, and after a killed run."""

import os
import signal
import subprocess
import sys
import time

import pytest

from netviz import atomic
from netviz.atomic import Terminated, WriteError, atomic_file, atomic_path, is_temporary, remove_stale, write_bytes
from netviz.engine.data import blog, save_csv


def names(folder) -> list[str]:
    return sorted(os.listdir(folder))


def test_the_file_appears_whole_and_replaces_the_old_one(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with atomic_file(target) as f:
        f.write(b"new ")
        assert target.read_bytes() == b"old"  # not yet
        f.write(b"bytes")
    assert target.read_bytes() == b"new bytes"
    assert names(tmp_path) == ["a.bin"]


def test_an_error_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as f:
        f.write(b"half")
        raise RuntimeError("the encoder failed")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["a.bin"]


def test_a_full_disk_is_one_write_error_and_leaves_nothing(tmp_path, full_disk):
    with pytest.raises(WriteError) as caught:
        write_bytes(tmp_path / "big.bin", bytes(5000))
    assert str(caught.value) == f"{tmp_path / 'big.bin'}: cannot write (No space left on device)"
    assert names(tmp_path) == []


def test_a_missing_folder_is_a_write_error(tmp_path):
    with pytest.raises(WriteError, match="cannot write in"):
        write_bytes(tmp_path / "nowhere" / "a.bin", b"x")


def test_temporaries_keep_the_target_extension_for_encoders(tmp_path):
    with atomic_path(tmp_path / "movie.mp4") as tmp:
        assert tmp.endswith(".mp4") and is_temporary(os.path.basename(tmp))
        with open(tmp, "wb") as f:
            f.write(b"x")
    assert names(tmp_path) == ["movie.mp4"]


@pytest.mark.parametrize(
    ("name", "ours"),
    [
        (".netviz-0123456789ab.tmp.gif", True),
        (".netviz-0123456789ab.tmp", True),
        (".run.netviz.0badf00d.tmp", True),  # a session of an earlier netviz
        (".netviz-0123456789ab.webp", True),  # an export of an earlier netviz
        ("netviz-0123456789ab.tmp.gif", False),
        (".netviz-0123456789.tmp.gif", False),
        (".notes.txt.0badf00d.tmp", False),
        ("run.netviz", False),
        ("saved.csv.tmp", False),
    ],
)
def test_only_netviz_temporary_names_count(name, ours):
    assert is_temporary(name) is ours


def _aged(path, seconds: float) -> None:
    path.write_bytes(b"left by a killed run")
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_stale_temporaries_of_a_killed_run_go_at_the_next_write_to_the_folder(tmp_path):
    old_gif = tmp_path / ".netviz-0123456789ab.tmp.gif"
    old_session = tmp_path / ".run.netviz.0badf00d.tmp"
    fresh = tmp_path / ".netviz-ba9876543210.tmp.png"  # maybe another netviz, writing now
    someone_elses = tmp_path / ".notes.txt.0badf00d.tmp"
    for path in (old_gif, old_session, someone_elses):
        _aged(path, 2 * atomic.STALE_SECONDS)
    _aged(fresh, atomic.STALE_SECONDS / 2)
    save_csv(blog(), tmp_path / "blog.csv")
    assert names(tmp_path) == sorted([fresh.name, someone_elses.name, "blog.csv"])


def test_remove_stale_leaves_folders_and_links_alone(tmp_path):
    folder = tmp_path / ".netviz-0123456789ab.tmp"
    folder.mkdir()
    then = time.time() - 600
    os.utime(folder, (then, then))
    assert remove_stale(str(tmp_path)) == []
    assert folder.is_dir()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_unwind_and_remove_the_temporary(tmp_path, signum):
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    atomic.unwind_on_termination()
    try:
        with pytest.raises(Terminated) as caught, atomic_file(tmp_path / "a.gif") as f:
            f.write(b"half a GIF")
            os.kill(os.getpid(), signum)
            time.sleep(5)  # the handler raises before this ends
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    assert caught.value.signum == signum
    assert names(tmp_path) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_export_leaves_nothing_and_exits_128_plus_the_signal(tmp_path, signum):
    out = tmp_path / "long.gif"
    command = [sys.executable, "-m", "netviz", "export", str(out), "--epochs", "3000", "--frames", "3000"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not any(is_temporary(name) for name in os.listdir(tmp_path)):
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
            time.sleep(0.02)
        process.send_signal(signum)
        assert process.wait(timeout=60) == 128 + signum
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert names(tmp_path) == []
