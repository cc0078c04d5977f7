"""netviz export --learn: one learning step as an animation, its stages captioned in order."""

import numpy as np
import pytest
from PIL import Image

from netviz import Recorder
from netviz.cli import main
from netviz.scene.learn import learn_schedule

SMALL_RUN = ["--epochs", "30"]
CAPTION = (slice(8, 38), slice(0, 110))  # the stage's name, top left


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.array(gif.convert("RGB")))
    return frames


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_learn_gif_has_every_frame_and_the_four_captions_in_order(qapp, tmp_path, capsys, theme):
    out = tmp_path / "learn.gif"
    assert main(["export", str(out), "--learn", "--epoch", "12", "--row", "3", "--theme", theme, *SMALL_RUN]) == 0
    assert "60 frames" in capsys.readouterr().out
    frames = gif_frames(out)
    assert len(frames) == 60  # every frame differs from the one before: none merged
    stages = [stage for stage, _ in learn_schedule(60)]
    captions = [frame[CAPTION] for frame in frames]
    # One caption per stage: the same picture through a stage, a new one where the next begins.
    for i in range(1, len(frames)):
        same = np.array_equal(captions[i], captions[i - 1])
        assert same == (stages[i] == stages[i - 1]), f"frame {i}"
    assert len({c.tobytes() for c in captions}) == 4


def test_learn_gif_caption_names_the_stage(qapp, tmp_path):
    """Each stage's caption is the picture of its name: rendered alone, it matches the GIF's."""
    from PyQt6.QtCore import QRectF, Qt
    from PyQt6.QtGui import QFont, QFontMetricsF, QImage, QPainter

    from netviz.render.painter import pixel_font, qcolor
    from netviz.scene.style import THEMES

    out = tmp_path / "learn.gif"
    assert main(["export", str(out), "--learn", "--frames", "20", "--epoch", "3", *SMALL_RUN]) == 0
    frames = gif_frames(out)
    theme = THEMES["light"]
    for index, name in ((0, "forward"), (5, "error"), (10, "backward"), (15, "update")):
        image = QImage(800, 500, QImage.Format.Format_RGB32)
        image.fill(qcolor(theme.rgb("background")))
        painter = QPainter(image)
        bold = pixel_font(17)
        bold.setWeight(QFont.Weight.Bold)
        painter.setFont(bold)
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QRectF(16, 8, 100, 30), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.end()
        drawn = np.array(Image.frombytes("RGBA", (800, 500), image.constBits().asstring(800 * 500 * 4)))
        right = 16 + int(QFontMetricsF(bold).horizontalAdvance(name)) + 2  # the explanation starts further on
        expected = drawn[:, :, [2, 1, 0]][8:38, 0:right]  # BGRA in memory
        got = frames[index][8:38, 0:right]
        assert np.abs(got.astype(int) - expected.astype(int)).max() <= 8, name


@pytest.mark.parametrize(
    "args, words",
    [
        (["--learn", "--frames", "19"], "at least 20 frames"),
        (["--learn", "--epoch", "30"], "the step from epoch 30 to 31 is beyond"),
        (["--learn", "--row", "8"], "--row 8: the data has rows 1 to 7"),
        (["--epoch", "3"], "--epoch needs --learn"),
        (["--row", "3"], "--row needs --learn"),
        (["--learn", "--think"], "think, from, schedule and input do not apply"),
        (["--learn", "--epoch", "3", "--to", "4"], "--epoch and --to both name the epoch"),
    ],
)
def test_bad_learn_options_exit_2_with_one_line_and_no_file(tmp_path, capsys, args, words):
    out = tmp_path / "learn.gif"
    assert main(["export", str(out), *args, *SMALL_RUN]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "name, args, words",
    [
        ("l.html", ["--learn", "--epoch", "5"], "learn does not apply to .html"),  # not "60 frames do not fit"
        ("l.svg", ["--learn"], "learn does not apply to .svg"),
        ("t.svg", ["--think"], "think does not apply to .svg"),
        ("f.svg", ["--frames", "10"], "--frames does not apply to .svg"),
        ("f.svg", ["--from", "3"], "--from does not apply to .svg"),
        ("f.svg", ["--hold", "1"], "--hold does not apply to .svg"),
    ],
)
def test_options_are_refused_where_they_do_not_apply(tmp_path, capsys, name, args, words):
    out = tmp_path / name
    assert main(["export", str(out), *args, *SMALL_RUN]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_recorded_run_has_no_learning_step_to_show(tmp_path, capsys):
    recorded = tmp_path / "rec.netviz"
    rows = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    with Recorder(recorded, layers=[2, 1], inputs=rows, targets=rows[:, :1]) as rec:
        for epoch in range(60):
            rec.record([np.full((2, 1), epoch / 60)])
    out = tmp_path / "learn.gif"
    assert main(["export", str(out), "--session", str(recorded), "--learn", "--epoch", "50"]) == 2
    err = capsys.readouterr().err
    assert "rec.netviz: a recorded run holds no training settings" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
