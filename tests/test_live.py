"""Reading a recording while it is written: every read a whole prefix of the run, also across processes."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

import netviz
from netviz import Recorder
from netviz.api import read_session
from netviz.live import LiveRecording

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [3, 5, 2]  # with biases: 32 parameters
N_PARAMS = 32


def theta(recording: int, epoch: int) -> np.ndarray:
    """What the writer records: every value tells which recording and epoch it belongs to."""
    return recording * 1000.0 + epoch + np.arange(N_PARAMS) / 100


def record(rec: Recorder, recording: int, epoch: int) -> None:
    t = theta(recording, epoch)
    rec.record([t[:15].reshape(3, 5), t[20:30].reshape(5, 2)], [t[15:20], t[30:]], loss=recording * 1000.0 + epoch)


WRITER = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, {root!r})
    from tests.test_live import record
    from netviz import Recorder

    path, stop = sys.argv[1], sys.argv[2]
    recording = 0
    while not os.path.exists(stop):  # recording after recording at one path: each one closes under the reader
        with Recorder(path, layers=[3, 5, 2]) as rec:
            for epoch in range(150):
                record(rec, recording, epoch)
                time.sleep(0.0005)
        recording += 1
    """
)


def check_prefix(run) -> int:
    """The recording a run read belongs to; fails unless it holds epochs 0..n of that one recording, exactly."""
    recording = int(run.loss[0] // 1000)
    n = run.epochs + 1
    assert np.array_equal(run.loss, recording * 1000.0 + np.arange(n))
    thetas = run.session.history.keyframes() if run.session.recorded else None
    expected = recording * 1000.0 + np.arange(n)[:, None] + np.arange(N_PARAMS) / 100
    assert np.array_equal(thetas, expected[:, [*range(15), *range(15, 20), *range(20, 30), *range(30, 32)]])
    return recording


def test_a_reader_in_another_process_always_reads_a_whole_prefix(tmp_path):
    path, stop = tmp_path / "live.netviz", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(root=str(ROOT)), str(path), str(stop)],
    )
    try:
        while not path.exists():
            assert writer.poll() is None, "the writer stopped before its first record"
        recordings, in_progress = set(), 0
        for _ in range(2000):
            run = netviz.load(path)
            recordings.add(check_prefix(run))
            in_progress += run.recording
    finally:
        stop.touch()
        assert writer.wait(timeout=30) == 0
    assert len(recordings) >= 2 and in_progress >= 100  # it read during recordings and across their closes
    run = netviz.load(path)
    assert not run.recording and run.epochs == 149


def test_a_live_recording_grows_by_polling_and_stops_when_closed(tmp_path):
    path = tmp_path / "live.netviz"
    rec = Recorder(path, layers=LAYERS)
    for epoch in range(3):
        record(rec, 0, epoch)
    live = LiveRecording(path, read_session(path)[0])
    assert live.recording and live.history.latest_epoch == 2
    assert not live.poll()
    for epoch in range(3, 200):  # past the follower's first buffer
        record(rec, 0, epoch)
    assert live.poll() and live.history.latest_epoch == 199
    assert np.array_equal(live.history.weights_at(150), netviz.load(path).session.history.weights_at(150))
    record(rec, 0, 200)
    rec.close()
    assert live.poll() and not live.recording  # the last epoch comes from the folded file
    assert live.history.latest_epoch == 200 and live.history.loss[200] == 200.0
    assert not live.poll()


def test_a_new_recording_at_the_same_path_is_not_mixed_in(tmp_path):
    path = tmp_path / "live.netviz"
    with Recorder(path, layers=LAYERS) as rec:
        record(rec, 0, 0)
        live = LiveRecording(path, read_session(path)[0])
    with Recorder(path, layers=LAYERS) as again:  # closed, then recorded anew before the follower looked
        for epoch in range(5):
            record(again, 1, epoch)
        live.poll()
        assert not live.recording
        assert live.history.loss.tolist() == [0.0]


def test_netviz_open_follows_unless_told_not_to(tmp_path, monkeypatch):
    import netviz.ui.app
    from netviz.cli import main

    calls = []
    monkeypatch.setattr(netviz.ui.app, "main", lambda argv: calls.append(list(argv)) or 0)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    with Recorder(tmp_path / "run.netviz", layers=LAYERS) as rec:
        record(rec, 0, 0)
    assert main(["open", str(tmp_path / "run.netviz")]) == 0
    assert main(["open", "--no-follow", str(tmp_path / "run.netviz")]) == 0
    assert calls == [[str(tmp_path / "run.netviz")], [str(tmp_path / "run.netviz"), "--no-follow"]]


def test_netviz_open_prints_what_a_recorder_left_out(tmp_path, monkeypatch, capsys):
    import netviz.ui.app
    from netviz.cli import main

    monkeypatch.setattr(netviz.ui.app, "main", lambda argv: 0)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    path = str(tmp_path / "run.netviz")
    with Recorder(path, layers=[2, 1], notes=["layer 'norm' (BatchNormalization) was left out"]) as rec:
        rec.record([np.ones((2, 1))], loss=1.0)
    assert main(["open", path]) == 0
    assert capsys.readouterr().err == f"netviz: note: {path}: layer 'norm' (BatchNormalization) was left out\n"


def test_a_recording_that_closes_as_it_is_opened_still_gives_its_last_epochs(tmp_path):
    path = tmp_path / "live.netviz"
    rec = Recorder(path, layers=LAYERS)
    for epoch in range(3):
        record(rec, 0, epoch)
    session, recording = read_session(path)
    record(rec, 0, 3)
    rec.close()  # between reading the session and following it
    live = LiveRecording(path, session)
    assert recording and live.recording and live.history.latest_epoch == 2
    assert live.poll() and not live.recording and live.history.latest_epoch == 3
