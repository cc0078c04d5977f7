"""Sessions on the command line: train --save, snapshot/export --session without training, open."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import netviz.cli as cli
from netviz import Recorder
from netviz.cli import main
from netviz.engine.session import load_session

ROOT = Path(__file__).resolve().parent.parent
RUN = ["--epochs", "300", "--seed", "4", "--bias", "--lr", "0.8"]


@pytest.fixture
def saved(tmp_path, capsys) -> Path:
    path = tmp_path / "run.netviz"
    assert main(["train", *RUN, "--save", str(path)]) == 0
    capsys.readouterr()
    return path


@pytest.fixture
def no_training(monkeypatch):
    """Rendering a session must not train: any training run fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("trained although a session was given")

    monkeypatch.setattr(cli, "train_whole_run", refuse)
    monkeypatch.setattr("netviz.engine.training.Trainer.run", refuse)


@pytest.fixture
def app_calls(monkeypatch) -> list:
    """Stands in for the window: records what netviz.ui.app.main was asked to open."""
    import netviz.ui.app

    calls = []
    monkeypatch.setattr(netviz.ui.app, "main", lambda argv: calls.append(list(argv)) or 0)
    return calls


def rgb(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.array(image.convert("RGB"))


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.array(gif.convert("RGB")))
        return frames


def test_train_save_writes_the_run_and_prints_as_before(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    assert main(["train", *RUN, "--save", str(path)]) == 0
    saved_out = capsys.readouterr()
    assert main(["train", *RUN]) == 0
    assert capsys.readouterr().out == saved_out.out  # stdout stays what the blog printed
    assert f"saved the session to {path}" in saved_out.err
    session = load_session(path)
    assert session.config.epochs == 300
    assert session.config.arch.bias
    assert session.history.latest_epoch == 300
    assert [p.name for p in tmp_path.iterdir()] == ["run.netviz"]


def test_snapshot_of_a_session_matches_the_trained_snapshot(tmp_path, saved, qapp, monkeypatch, capsys):
    trained = tmp_path / "trained.png"
    assert main(["snapshot", str(trained), *RUN, "--epoch", "120", "--size", "480x320", "--theme", "dark"]) == 0
    monkeypatch.setattr(cli, "train_whole_run", lambda *a: pytest.fail("trained although a session was given"))
    from_session = tmp_path / "session.png"
    argv = ["snapshot", str(from_session), "--session", str(saved), "--epoch", "120", "--size", "480x320"]
    assert main([*argv, "--theme", "dark"]) == 0
    assert "epoch 120" in capsys.readouterr().out
    assert np.array_equal(rgb(from_session), rgb(trained))


def test_snapshot_of_a_session_defaults_to_its_last_epoch(tmp_path, saved, qapp, no_training, capsys):
    assert main(["snapshot", str(tmp_path / "last.png"), "--session", str(saved), "--size", "320x200"]) == 0
    assert "epoch 300" in capsys.readouterr().out


def test_export_of_a_session_matches_the_trained_export(tmp_path, saved, qapp, monkeypatch):
    options = ["--frames", "6", "--size", "320x200"]
    trained = tmp_path / "trained.gif"
    assert main(["export", str(trained), *options, *RUN]) == 0
    monkeypatch.setattr(cli, "train_whole_run", lambda *a: pytest.fail("trained although a session was given"))
    from_session = tmp_path / "session.gif"
    assert main(["export", str(from_session), *options, "--session", str(saved)]) == 0
    a, b = gif_frames(trained), gif_frames(from_session)
    assert len(a) == len(b) == 6
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_export_think_of_a_session(tmp_path, saved, qapp, no_training):
    out = tmp_path / "think.gif"
    assert main(["export", str(out), "--think", "--frames", "5", "--size", "320x200", "--session", str(saved)]) == 0
    assert len(gif_frames(out)) == 5


@pytest.fixture
def recorded(tmp_path) -> Path:
    path = tmp_path / "rec.netviz"
    rng = np.random.default_rng(2)
    with Recorder(path, layers=[2, 5, 2]) as rec:
        for epoch in range(40):
            rec.record(weights=[rng.normal(size=(2, 5)), rng.normal(size=(5, 2))], loss=1.0 / (epoch + 1))
    return path


def test_a_recorded_session_without_data_renders(tmp_path, recorded, qapp, no_training, capsys):
    assert main(["snapshot", str(tmp_path / "rec.png"), "--session", str(recorded), "--epoch", "7"]) == 0
    assert main(["export", str(tmp_path / "rec.gif"), "--session", str(recorded), "--frames", "4"]) == 0
    assert len(gif_frames(tmp_path / "rec.gif")) == 4
    think = ["export", str(tmp_path / "think.gif"), "--session", str(recorded), "--think", "--frames", "3"]
    assert main([*think, "--input", "0.5,1"]) == 0
    capsys.readouterr()
    assert main(think) == 2
    assert "think needs an input: the run holds no data rows" in capsys.readouterr().err


@pytest.mark.parametrize("form", [["open", "{f}"], ["{f}"]])
def test_open_passes_the_session_to_the_app(saved, app_calls, form):
    assert main([part.format(f=saved) for part in form]) == 0
    assert app_calls == [[str(saved)]]


def test_a_session_path_in_capitals_opens_too(tmp_path, saved, app_calls):
    shouted = tmp_path / "RUN.NETVIZ"
    shouted.write_bytes(saved.read_bytes())
    assert main([str(shouted)]) == 0
    assert app_calls == [[str(shouted)]]


def future_version(good: Path, path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "version": 99})
            zout.writestr(info.filename, data)
    path.write_bytes(out.getvalue())


@pytest.fixture
def bad_sessions(tmp_path, saved) -> dict[str, tuple[Path, str]]:
    """name -> (file, what the message must say)."""
    png = tmp_path / "picture.netviz"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    cut = tmp_path / "cut.netviz"
    cut.write_bytes(saved.read_bytes()[:5000])
    future = tmp_path / "future.netviz"
    future_version(saved, future)
    return {
        "missing": (tmp_path / "missing.netviz", "no such file"),
        "foreign": (png, "is a PNG image, not a netviz session"),
        "truncated": (cut, "truncated"),
        "future": (future, "upgrade netviz"),
    }


@pytest.mark.parametrize("kind", ["missing", "foreign", "truncated", "future"])
@pytest.mark.parametrize("command", ["open", "bare", "snapshot", "export"])
def test_bad_session_files_exit_2_with_one_line(tmp_path, bad_sessions, app_calls, capsys, kind, command):
    path, message = bad_sessions[kind]
    argv = {
        "open": ["open", str(path)],
        "bare": [str(path)],
        "snapshot": ["snapshot", str(tmp_path / "out.png"), "--session", str(path)],
        "export": ["export", str(tmp_path / "out.gif"), "--session", str(path)],
    }[command]
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert str(path) in err and message in err
    assert app_calls == []
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot", "{d}/x.png", "--session", "{s}", "--epochs", "10"], "--epochs does not apply to --session"),
        (["snapshot", "{d}/x.png", "--session", "{s}", "--bias"], "--bias does not apply"),
        (["export", "{d}/x.gif", "--session", "{s}", "--predict", "1,1,0"], "--predict does not apply"),
        (["export", "{d}/x.gif", "--session", "{s}", "--activation", "tanh"], "--activation does not apply"),
        (["snapshot", "{d}/x.png", "--session", "{s}", "--epoch", "301"], "beyond the session's last epoch, 300"),
        (["export", "{d}/x.gif", "--session", "{s}", "--to", "400"], "to epoch 400 is beyond the session's last epoch"),
        (["snapshot", "{d}/x.png", "--session", "{s}", "--input", "1,2"], "--input has 2 values"),
        (["snapshot", "{d}/x.jpg", "--session", "{s}"], "unknown file type"),
        (["open"], "the following arguments are required"),
    ],
)
def test_bad_options_with_sessions_exit_2(tmp_path, saved, capsys, no_training, argv, message):
    code = main([a.format(d=tmp_path, s=saved) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("target", "message"),
    [("run.txt", "unknown file type; use .netviz"), ("nowhere/run.netviz", "does not exist")],
)
def test_train_save_checks_the_target_before_training(tmp_path, capsys, target, message):
    code = main(["train", "--epochs", "10", "--save", str(tmp_path / target)])
    out, err = capsys.readouterr()
    assert code == 2
    assert message in err
    assert out == ""  # refused before training
    assert not list(tmp_path.iterdir())


def test_a_diverging_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "run.netviz"
    assert main(["train", "--activation", "linear,linear", "--lr", "1000", "--save", str(path)]) == 3
    assert not path.exists()


def test_the_real_entry_point_reports_a_bad_session_in_one_line(tmp_path):
    path = tmp_path / "broken.netviz"
    path.write_bytes(b"PK\x03\x04 not really")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "netviz", str(path)], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.strip() == f"netviz: error: {path}: is truncated or damaged (its zip directory is missing)"
    assert done.stdout == ""


def test_open_after_a_double_dash_opens_a_file_named_like_an_option(tmp_path, saved, app_calls, monkeypatch):
    (tmp_path / "-x.netviz").write_bytes(saved.read_bytes())
    monkeypatch.chdir(tmp_path)
    for argv in (["open", "--", "-x.netviz"], ["-x.netviz"]):
        app_calls.clear()
        assert main(argv) == 0
        (path,) = app_calls[0]  # the window opens what does not start with "-"
        assert not path.startswith("-") and os.path.samefile(path, tmp_path / "-x.netviz")


@pytest.mark.parametrize("command", ["open", "snapshot"])
def test_odd_view_settings_open_with_a_note(tmp_path, saved, app_calls, qapp, capsys, command):
    odd = tmp_path / "odd.netviz"
    with zipfile.ZipFile(saved) as zin, zipfile.ZipFile(odd, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "view": {"input_row": None, "target": 2**40, "theme": "dark"}})
            zout.writestr(info.filename, data)
    argv = ["open", str(odd)] if command == "open" else ["snapshot", "--session", str(odd), str(tmp_path / "o.png")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    if command == "open":
        assert err.count("netviz: note: ") == 2 and f"{odd}: the view setting 'input_row'" in err
        assert load_session(odd).view == {"theme": "dark"}  # what the window gets
