"""A recording whose writer stopped without closing it: the follower says so instead of "recording…" forever."""

import os
import socket
import subprocess
import sys
import textwrap

import numpy as np

from netviz import Recorder
from netviz.api import read_session
from netviz.engine.session import journal_writer
from netviz.live import STALL_GAPS, STALL_SECONDS, LiveRecording
from tests.test_live import ROOT

CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    import numpy as np
    sys.path.insert(0, {root!r})
    from netviz import Recorder

    rec = Recorder(sys.argv[1], layers=[2, 3, 1])
    for epoch in range(3):
        rec.record([np.full((2, 3), epoch), np.full((3, 1), epoch)], loss=1.0 / (epoch + 1))
    os._exit(0)  # ends as a crash does: the recording is never closed
    """
)


def crashed_recording(path) -> None:
    """A recording of 3 epochs whose writer process ended without closing it."""
    script = CRASHING_WRITER.format(root=str(ROOT))
    subprocess.run([sys.executable, "-c", script, str(path)], check=True, timeout=120)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def record(rec: Recorder, epoch: int) -> None:
    rec.record([np.full((2, 3), epoch), np.full((3, 1), epoch)], loss=1.0 / (epoch + 1))


def test_a_recording_names_the_process_that_writes_it(tmp_path):
    with Recorder(tmp_path / "run.netviz", layers=[2, 3, 1]) as rec:
        record(rec, 0)
        assert journal_writer(tmp_path / "run.netviz") == (socket.gethostname(), os.getpid())


def elsewhere(monkeypatch) -> None:
    """This test's recordings are read as if written on a cluster node: this machine cannot ask about the writer."""
    monkeypatch.setattr(socket, "gethostname", lambda: "the-desktop")


def test_a_recording_from_elsewhere_that_stops_growing_is_said_to_have_stopped_until_it_grows(tmp_path, monkeypatch):
    path, clock = tmp_path / "run.netviz", Clock()
    with Recorder(path, layers=[2, 3, 1]) as rec:
        record(rec, 0)
        elsewhere(monkeypatch)
        live = LiveRecording(path, read_session(path)[0], clock=clock)
        clock.now += STALL_SECONDS - 1
        assert live.stopped_reason() is None
        clock.now += 1
        assert live.stopped_reason() == f"no new epochs for {STALL_SECONDS} s"
        record(rec, 1)
        assert live.poll() and live.stopped_reason() is None
        # An epoch every 100 s: a wait of 3 such gaps is still a slow writer, not a stopped one.
        clock.now += 100
        record(rec, 2)
        assert live.poll()
        clock.now += STALL_GAPS * 100 - 1
        assert live.stopped_reason() is None
        clock.now += 1
        assert live.stopped_reason() == f"no new epochs for {STALL_GAPS * 100} s"
    live.poll()
    assert not live.recording and live.stopped_reason() is None  # closed: it did not stop, it ended


def test_a_slow_writer_on_this_machine_is_never_said_to_have_stopped(tmp_path):
    path, clock = tmp_path / "run.netviz", Clock()
    with Recorder(path, layers=[2, 3, 1]) as rec:
        record(rec, 0)
        live = LiveRecording(path, read_session(path)[0], clock=clock)
        clock.now += 3600  # an hour for an epoch: its process runs, so it records
        assert live.stopped_reason() is None


def test_a_writer_on_this_machine_that_ended_without_closing_is_noticed_at_once(tmp_path):
    path = tmp_path / "run.netviz"
    crashed_recording(path)
    session, recording = read_session(path)
    assert recording and session.history.latest_epoch == 2
    live = LiveRecording(path, session)
    assert not live.poll()
    reason = live.stopped_reason()
    assert reason is not None and "ended without closing it" in reason and f"process {live.writer[1]}" in reason


def test_a_writer_on_another_machine_is_only_judged_by_time(tmp_path, monkeypatch):
    path, clock = tmp_path / "run.netviz", Clock()
    crashed_recording(path)
    elsewhere(monkeypatch)
    live = LiveRecording(path, read_session(path)[0], clock=clock)
    assert live.stopped_reason() is None
    clock.now += STALL_SECONDS
    assert live.stopped_reason() == f"no new epochs for {STALL_SECONDS} s"


def test_opening_a_recording_before_its_first_epoch_says_when_it_will_exist(tmp_path, capsys):
    from netviz.cli import main

    assert main(["open", str(tmp_path / "run.netviz")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"netviz: error: {tmp_path / 'run.netviz'}: no such file (a recorder writes it with its first epoch)"


def test_netviz_load_says_a_recording_whose_writer_ended_is_not_recording(tmp_path, monkeypatch):
    import netviz

    path = tmp_path / "run.netviz"
    crashed_recording(path)
    run = netviz.load(path)
    assert not run.recording and run.epochs == 2 and "recording" not in repr(run)
    elsewhere(monkeypatch)  # a writer on another machine cannot be asked: it may be slow
    assert netviz.load(path).recording


def test_saving_over_a_crashed_recording_removes_its_journal(tmp_path, capsys):
    from netviz.cli import main
    from netviz.engine.session import journal_path

    path = tmp_path / "run.netviz"
    crashed_recording(path)
    assert os.path.exists(journal_path(path))
    assert main(["train", "--epochs", "20", "--save", str(path)]) == 0
    capsys.readouterr()
    assert sorted(os.listdir(tmp_path)) == ["run.netviz"]
    assert not read_session(path)[1] and read_session(path)[0].history.latest_epoch == 20


def test_saving_over_a_recording_still_written_keeps_its_journal(tmp_path):
    from netviz.engine.session import journal_path, save_session

    path = tmp_path / "run.netviz"
    with Recorder(path, layers=[2, 3, 1]) as rec:
        record(rec, 0)
        save_session(tmp_path / "copy.netviz", read_session(path)[0].history)
        save_session(path, read_session(path)[0].history)  # its writer runs: the journal is still its
        assert os.path.exists(journal_path(path))
