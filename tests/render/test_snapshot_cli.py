import os
import subprocess
import sys

import pytest
from PyQt6.QtGui import QImage

from netviz.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_snapshot_draws_the_requested_epoch_at_the_requested_size(tmp_path, qapp, capsys):
    out = tmp_path / "net.png"
    assert (
        main(["snapshot", str(out), "--epochs", "300", "--epoch", "120", "--size", "640x400", "--theme", "dark"]) == 0
    )
    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 400)
    assert image.pixelColor(3, 3).name() == "#16181d"  # the dark theme's background
    assert "epoch 120" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["net.png"]  # no temporary file left


def test_a_full_disk_exits_2_with_one_line_and_leaves_an_earlier_still(tmp_path, qapp, capsys, full_disk):
    out = tmp_path / "net.png"
    out.write_bytes(b"yesterday's picture")
    assert main(["snapshot", str(out), "--epochs", "30"]) == 2
    assert capsys.readouterr().err == f"netviz: error: {out}: cannot write (No space left on device)\n"
    assert out.read_bytes() == b"yesterday's picture"
    assert os.listdir(tmp_path) == ["net.png"]


def test_snapshot_runs_without_a_display_or_platform_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = ROOT
    out = tmp_path / "still.png"
    done = subprocess.run(
        [sys.executable, "-m", "netviz", "snapshot", str(out), "--epochs", "50"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).size().width() == 1280


def test_snapshot_draws_offscreen_when_no_x_server_answers_on_the_display(tmp_path):
    number = next(n for n in range(9917, 9999) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=ROOT, DISPLAY=f":{number}")
    out = tmp_path / "still.png"
    done = subprocess.run(
        [sys.executable, "-m", "netviz", "snapshot", str(out), "--epochs", "50"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")  # Qt would abort with exit 134 trying the display
    assert QImage(str(out)).size().width() == 1280


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot", "{d}/x.jpg"], "unknown file type"),
        (["snapshot", "{d}/missing/x.png"], "does not exist"),
        (["snapshot", "{d}/x.png", "--size", "banana"], "not a size"),
        (["snapshot", "{d}/x.png", "--size", "0x10"], "16 to 8192"),
        (["snapshot", "{d}/x.png", "--epochs", "10", "--epoch", "11"], "beyond the run"),
        (["snapshot", "{d}/x.png", "--input", "1,1"], "--input has 2 values"),
        (["snapshot", "{d}/x.png", "--theme", "pink"], "invalid choice"),
        (["snapshot", "{d}/x.png", "--weight-scale", "cubic"], "invalid choice: 'cubic'"),
    ],
)
def test_snapshot_bad_options_exit_2_with_one_line(tmp_path, capsys, argv, message):
    code = main([a.format(d=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_snapshot_of_a_diverging_run_exits_3(tmp_path, capsys):
    code = main(["snapshot", str(tmp_path / "x.png"), "--activation", "linear,linear", "--lr", "1000"])
    assert code == 3
    assert "diverged at epoch" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_existing_png_is_replaced_whole(tmp_path, qapp):
    out = tmp_path / "net.png"
    out.write_bytes(b"old")
    assert main(["snapshot", str(out), "--epochs", "20", "--size", "320x200"]) == 0
    assert QImage(str(out)).width() == 320


def test_snapshots_draw_on_the_log_scale_unless_told_otherwise(tmp_path, qapp):
    pictures = {}
    for name, option in (("default", []), ("log", ["log"]), ("run", ["run"]), ("clamp", ["clamp"])):
        out = tmp_path / f"{name}.png"
        scale = ["--weight-scale", *option] if option else []
        assert main(["snapshot", str(out), "--epochs", "200", "--size", "320x200", *scale]) == 0
        pictures[name] = QImage(str(out))
    assert pictures["default"] == pictures["log"]
    assert pictures["run"] != pictures["log"] and pictures["clamp"] != pictures["log"]
    assert pictures["run"] != pictures["clamp"]


@pytest.mark.parametrize("command", ["snapshot", "think"])
def test_a_run_whose_neurons_overflow_draws(tmp_path, qapp, capsys, command):
    """A linear network fed 1e308 has infinite activations; they draw as ∞ (warnings are errors here)."""
    big = ["--epochs", "1", "--activation", "linear", "--input", "1e308,1e308,1e308"]
    if command == "snapshot":
        argv = ["snapshot", str(tmp_path / "inf.png"), *big]
    else:
        argv = ["export", str(tmp_path / "inf.gif"), "--think", "--frames", "4", *big]
    assert main(argv) == 0, capsys.readouterr().err
    assert len(list(tmp_path.iterdir())) == 1
