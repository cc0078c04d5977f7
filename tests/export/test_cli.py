"""`netviz export` end to end: decoded GIFs against `netviz snapshot`, and every bad input."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from netviz.cli import main
from netviz.engine.data import blog
from netviz.engine.history import History
from netviz.engine.training import TrainConfig, Trainer
from netviz.export.schedule import epoch_schedule

SMALL_RUN = ["--epochs", "300"]


def gif_frames(path) -> tuple[list[np.ndarray], list[int], dict]:
    frames, delays = [], []
    with Image.open(path) as gif:
        info = dict(gif.info)
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.array(gif.convert("RGB")))
            delays.append(gif.info["duration"])
    return frames, delays, info


def rgb(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.array(image.convert("RGB"))


def test_gif_frames_match_snapshots_of_the_same_epochs(qapp, tmp_path, capsys):
    out = tmp_path / "run.gif"
    assert main(["export", str(out), "--frames", "12", "--fps", "25", "--hold", "1.5", *SMALL_RUN]) == 0
    assert "wrote" in capsys.readouterr().out
    frames, delays, info = gif_frames(out)
    assert len(frames) == 12
    assert frames[0].shape == (500, 800, 3)
    assert delays == [40] * 11 + [1540]
    assert info["loop"] == 0  # forever
    config = TrainConfig(epochs=300)
    history = History(config, blog())
    Trainer(config, blog()).run(history, 300)
    epochs = epoch_schedule(0, 300, 12, "change", history)  # the default schedule, on the run's weights
    assert not np.array_equal(epochs, epoch_schedule(0, 300, 12, "log"))
    for k in (0, 7, 11):
        still = tmp_path / f"epoch{k}.png"
        assert main(["snapshot", str(still), "--epoch", str(epochs[k]), "--size", "800x500", *SMALL_RUN]) == 0
        expected = rgb(still).astype(int)
        diff = np.abs(frames[k].astype(int) - expected)
        assert diff.mean() < 0.5  # equal up to palette quantisation
        background = (expected == 255).all(axis=2)
        assert (frames[k][background] == 255).all()  # the background stays pure
    assert [name for name in os.listdir(tmp_path) if name.startswith(".")] == []


def test_sixty_frames_give_sixty_frames_even_without_captions(qapp, tmp_path):
    out = tmp_path / "late.gif"
    # Late in a long run consecutive epochs often draw the same picture.
    args = ["export", str(out), "--frames", "60", "--from", "240", "--to", "300", "--no-caption", "--size", "160x100"]
    assert main([*args, "--schedule", "linear", *SMALL_RUN]) == 0
    frames, _, _ = gif_frames(out)
    assert len(frames) == 60
    assert any(np.array_equal(a, b) for a, b in zip(frames, frames[1:]))  # identical pictures still count


def test_think_animates_one_forward_pass(qapp, tmp_path):
    out = tmp_path / "think.gif"
    assert main(["export", str(out), "--think", "--frames", "8", "--input", "1,0,0", "--loop", "3", *SMALL_RUN]) == 0
    frames, delays, info = gif_frames(out)
    assert len(frames) == 8 and info["loop"] == 2  # three plays: the first and two repeats
    assert delays[-1] == 50 + 2000  # holds two seconds on the answer by default, as every animation
    assert not np.array_equal(frames[0], frames[-1])


@pytest.mark.parametrize("name", ["still.png", "clip.webp"])
def test_other_formats_follow_the_extension(qapp, tmp_path, name):
    out = tmp_path / name
    assert main(["export", str(out), "--frames", "5", "--size", "320x200", *SMALL_RUN]) == 0
    with Image.open(out) as image:
        assert image.size == (320, 200)
        assert getattr(image, "n_frames", 1) == (5 if name.endswith(".webp") else 1)


@pytest.mark.parametrize("kind", ["run", "clamp"])
def test_exports_take_the_weight_scale_as_stills_do(qapp, tmp_path, kind):
    """The last frame of an export is the snapshot of that epoch on the same scale, and not the default's."""
    size = ["--size", "320x200"]
    pictures = {}
    for name, scale in (("default", []), (kind, ["--weight-scale", kind])):
        assert main(["export", str(tmp_path / f"{name}.png"), *size, *scale, *SMALL_RUN]) == 0
        assert main(["snapshot", str(tmp_path / f"{name}-still.png"), *size, *scale, *SMALL_RUN]) == 0
        pictures[name] = rgb(tmp_path / f"{name}.png")
        assert np.array_equal(pictures[name], rgb(tmp_path / f"{name}-still.png"))
    assert not np.array_equal(pictures[kind], pictures["default"])
    think = tmp_path / "think.png"
    assert main(["export", str(think), "--think", "--frames", "3", *size, "--weight-scale", kind, *SMALL_RUN]) == 0
    assert main(["export", str(tmp_path / "t.png"), "--think", "--frames", "3", *size, *SMALL_RUN]) == 0
    assert not np.array_equal(rgb(think), rgb(tmp_path / "t.png"))


@pytest.mark.parametrize(
    "args",
    [
        ["--size", "0x10"],
        ["--size", "banana"],
        ["--fps", "0"],
        ["--fps", "101"],
        ["--fps", "0.0001"],
        ["--fps", "1e-300"],
        ["--frames", "0"],
        ["--frames", "302"],
        ["--from", "200", "--to", "100"],
        ["--to", "301"],
        ["--from", "400"],
        ["--hold", "-1"],
        ["--loop", "-2"],
        ["--input", "1,0"],
        ["--think", "--from", "3"],
        ["--weight-scale", "cubic"],
    ],
)
def test_bad_options_exit_2_with_one_line(tmp_path, capsys, args):
    out = tmp_path / "a.gif"
    assert main(["export", str(out), *args, *SMALL_RUN]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("netviz export: error:") and "\n" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [("missing/a.gif", "does not exist"), ("a.jpg", "unknown file type"), ("folder.gif", "is a folder")],
)
def test_bad_targets_exit_2(tmp_path, capsys, target, message):
    (tmp_path / "folder.gif").mkdir()
    assert main(["export", str(tmp_path / target), *SMALL_RUN]) == 2
    assert message in capsys.readouterr().err


def test_an_unwritable_folder_exits_2_before_training(tmp_path, capsys):
    if os.geteuid() == 0:
        target = "/proc/netviz.gif"  # even root cannot create files here
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = str(locked / "a.gif")
    assert main(["export", target, *SMALL_RUN]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err or "not writable" in err


def test_mp4_without_the_video_extra_names_the_pip_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)
    assert main(["export", str(tmp_path / "a.mp4"), *SMALL_RUN]) == 2
    assert 'pip install "netviz[video]"' in capsys.readouterr().err


def test_an_existing_file_survives_a_failed_export(qapp, tmp_path, monkeypatch, capsys):
    out = tmp_path / "keep.gif"
    out.write_bytes(b"last week's GIF")
    import netviz.export.animation as animation

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(animation, "pixels", broken)
    assert main(["export", str(out), "--frames", "4", *SMALL_RUN]) == 2
    assert capsys.readouterr().err == f"netviz: error: {out}: cannot write (disk full)\n"
    assert out.read_bytes() == b"last week's GIF"
    assert sorted(os.listdir(tmp_path)) == ["keep.gif"]
    assert main(["export", str(out), "--frames", "0", *SMALL_RUN]) == 2
    assert out.read_bytes() == b"last week's GIF"


@pytest.mark.parametrize("name", ["full.gif", "full.webp", "full.png"])
def test_a_full_disk_exits_2_with_one_line_and_leaves_nothing(qapp, tmp_path, capsys, full_disk, name):
    out = tmp_path / name
    assert main(["export", str(out), "--frames", "4", "--size", "200x120", *SMALL_RUN]) == 2
    assert capsys.readouterr().err == f"netviz: error: {out}: cannot write (No space left on device)\n"
    assert os.listdir(tmp_path) == []


def test_runs_with_no_display_and_no_qt_platform_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "server.gif"
    command = [sys.executable, "-m", "netviz", "export", str(out), "--frames", "3", "--size", "200x120", *SMALL_RUN]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert gif_frames(out)[0][0].shape == (120, 200, 3)


def test_the_slowest_frame_rate_plays_ten_seconds_a_frame(qapp, tmp_path, capsys):
    out = tmp_path / "slow.gif"
    argv = ["export", str(out), "--frames", "3", "--fps", "0.1", "--size", "160x100", "--hold", "0", *SMALL_RUN]
    assert main(argv) == 0
    assert "3 frames, 160x100, 30.0 s" in capsys.readouterr().out
    assert gif_frames(out)[1] == [10_000] * 3
