"""Files from animations of synthetic frames (no Qt): formats, atomic writes, cancel and failure."""

import os
import re
import subprocess
import threading

import numpy as np
import pytest
from PIL import Image

from netviz.export import Animation, Cancelled, VideoSupportMissing, export, export_steps
from netviz.export.animation import to_rgb

WIDTH, HEIGHT = 64, 40


def moving_square(i: int) -> np.ndarray:
    """White frame (0xffRRGGBB) with a blue square that moves one pixel per frame."""
    frame = np.full((HEIGHT, WIDTH), 0xFFFFFFFF, dtype=np.uint32)
    frame[10:20, i : i + 10] = 0xFF2166AC
    return frame


def animation(n_frames=12, frame=moving_square, **options) -> Animation:
    colours = ((255, 255, 255), (33, 102, 172))
    return Animation((WIDTH, HEIGHT), n_frames, frame, exact_colours=colours, **options)


def leftovers(folder) -> list[str]:
    return [name for name in os.listdir(folder) if name.startswith(".netviz-")]


def test_gif_has_every_frame_exactly(tmp_path):
    path = tmp_path / "a.gif"
    export(str(path), animation(fps=25, hold_s=0.5, loop=2))
    with Image.open(path) as gif:
        assert (gif.n_frames, gif.size, gif.info["loop"]) == (12, (WIDTH, HEIGHT), 1)
        for i in range(gif.n_frames):
            gif.seek(i)
            assert gif.info["duration"] == (40 if i < 11 else 540)
            assert np.array_equal(np.array(gif.convert("RGB")), to_rgb(moving_square(i)))
    assert leftovers(tmp_path) == []


def test_webp_is_animated_and_lossless(tmp_path):
    path = tmp_path / "a.webp"
    export(str(path), animation(fps=20))
    with Image.open(path) as webp:
        assert (webp.n_frames, webp.size, webp.info["loop"]) == (12, (WIDTH, HEIGHT), 0)
        webp.seek(11)
        assert np.array_equal(np.array(webp.convert("RGB")), to_rgb(moving_square(11)))


def test_png_is_the_last_frame(tmp_path):
    path = tmp_path / "a.png"
    export(str(path), animation())
    with Image.open(path) as png:
        assert np.array_equal(np.array(png.convert("RGB")), to_rgb(moving_square(11)))


def probe_mp4(path) -> tuple[tuple[int, int], str, int]:
    """(size, frame rate, frame count) of a video, decoded by the same ffmpeg."""
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-i", str(path), "-map", "0:v", "-f", "null", "-"]
    log = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    width, height = re.search(r"Video: h264.*?, (\d+)x(\d+)", log).groups()
    fps = re.search(r"([\d.]+) fps", log).group(1)
    frames = int(re.findall(r"frame=\s*(\d+)", log)[-1])
    return (int(width), int(height)), fps, frames


def test_mp4_holds_the_last_frame(tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    path = tmp_path / "a.mp4"
    export(str(path), animation(n_frames=10, fps=10, hold_s=1.0))
    assert probe_mp4(path) == ((WIDTH, HEIGHT), "10", 20)


def test_mp4_pads_odd_sizes_to_even(tmp_path):
    pytest.importorskip("imageio_ffmpeg")
    odd = Animation((33, 21), 3, lambda i: np.full((21, 33), 0xFFFFFFFF, dtype=np.uint32))
    export(str(tmp_path / "odd.mp4"), odd)
    assert probe_mp4(tmp_path / "odd.mp4")[0] == (34, 22)


def test_mp4_without_imageio_ffmpeg_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "imageio_ffmpeg", None)
    with pytest.raises(VideoSupportMissing, match=r'pip install "netviz\[video\]"'):
        export(str(tmp_path / "a.mp4"), animation())
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["a.gif", "a.webp", "a.mp4", "a.png"])
def test_cancel_leaves_no_file_and_keeps_an_existing_one(tmp_path, name):
    if name.endswith(".mp4"):
        pytest.importorskip("imageio_ffmpeg")
    path = tmp_path / name
    path.write_bytes(b"an earlier export")
    cancel = threading.Event()

    def progress(done, total):
        if done >= 1:
            cancel.set()

    with pytest.raises(Cancelled):
        export(str(path), animation(), progress=progress, cancel=cancel)
    assert path.read_bytes() == b"an earlier export"
    assert leftovers(tmp_path) == []


def test_closing_the_steps_half_way_leaves_nothing(tmp_path):
    steps = export_steps(str(tmp_path / "a.gif"), animation())
    next(steps)
    next(steps)
    assert len(leftovers(tmp_path)) == 1  # the temporary file, being written
    steps.close()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["a.gif", "a.webp", "a.png"])
def test_a_failure_half_way_keeps_the_existing_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"an earlier export")

    def failing(i):
        if i == 11:
            raise RuntimeError("render failed")
        return moving_square(i)

    with pytest.raises(RuntimeError, match="render failed"):
        export(str(path), animation(frame=failing))
    assert path.read_bytes() == b"an earlier export"
    assert leftovers(tmp_path) == []


def test_written_files_get_ordinary_permissions(tmp_path):
    export(str(tmp_path / "a.gif"), animation())
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(tmp_path / "a.gif").st_mode & 0o777 == 0o666 & ~umask


def test_unknown_extension_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown file type"):
        export(str(tmp_path / "a.jpg"), animation())


def test_webp_keeps_only_a_few_frames_in_memory(tmp_path, monkeypatch):
    """Frames go to the encoder as they are drawn: 1,000 frames at 800x500 once took 1.6 GB."""
    import gc
    import weakref

    import netviz.export.writer as writer

    made, most_alive = [], []
    real_pil_image = writer.pil_image

    def counted(frame):
        gc.collect()
        most_alive.append(sum(ref() is not None for ref in made))
        image = real_pil_image(frame)
        made.append(weakref.ref(image))
        return image

    monkeypatch.setattr(writer, "pil_image", counted)
    export(str(tmp_path / "a.webp"), animation(n_frames=30))
    assert len(made) == 30 and max(most_alive) <= 4  # queued, being encoded, being drawn
    with Image.open(tmp_path / "a.webp") as webp:
        assert webp.n_frames == 30
        for i in (0, 17, 29):
            webp.seek(i)
            assert np.array_equal(np.array(webp.convert("RGB")), to_rgb(moving_square(i)))


def test_closing_webp_steps_half_way_stops_the_encoder(tmp_path):
    steps = export_steps(str(tmp_path / "a.webp"), animation(n_frames=12))
    for _ in range(5):
        next(steps)
    steps.close()
    assert os.listdir(tmp_path) == []
    assert not [t for t in threading.enumerate() if t.name == "netviz-webp"]
