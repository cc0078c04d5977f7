"""The shared palette and the GIF stream, without Qt: synthetic frames of flat colours and blends."""

import io

import numpy as np
import pytest
from PIL import Image

from netviz.export.gif import GifStream, delays_cs
from netviz.export.palette import SharedPalette, pack, unpack

WHITE, BLUE, ORANGE = (255, 255, 255), (33, 102, 172), (230, 97, 1)


def frame_with(colour, box, size=(40, 30)) -> np.ndarray:
    """A white (h, w) uint32 0xffRRGGBB frame with a filled rectangle."""
    frame = np.full((size[1], size[0]), 0xFF000000 | int(pack(np.array(WHITE, np.uint8))), dtype=np.uint32)
    x0, y0, x1, y1 = box
    frame[y0:y1, x0:x1] = 0xFF000000 | int(pack(np.array(colour, np.uint8)))
    return frame


def decode(data: bytes) -> list[tuple[np.ndarray, int]]:
    frames = []
    with Image.open(io.BytesIO(data)) as gif:
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append((np.array(gif.convert("RGB")), gif.info["duration"]))
    return frames


def test_pack_and_unpack_round_trip():
    rgb = np.array([[1, 2, 3], [255, 0, 128]], dtype=np.uint8)
    assert np.array_equal(unpack(pack(rgb)), rgb)


def test_palette_keeps_exact_colours_and_maps_unseen_ones_to_the_nearest():
    blend = (140, 170, 200)
    samples = [frame_with(BLUE, (5, 5, 20, 20)), frame_with(blend, (10, 10, 30, 25))]
    palette = SharedPalette.build(samples, [WHITE, BLUE, ORANGE])
    assert [tuple(c) for c in palette.colours[:3]] == [WHITE, BLUE, ORANGE]  # theme colours first, exact
    assert blend in [tuple(c) for c in palette.colours]  # a sampled colour is kept too
    assert len(palette.colours) <= 255
    unseen = frame_with((200, 90, 20), (0, 0, 5, 5))
    mapped = palette.colours[palette.indices(unseen)]
    assert np.array_equal(mapped[20, 20], WHITE)  # the background stays pure
    d2 = ((palette.colours.astype(int) - (200, 90, 20)) ** 2).sum(axis=1)
    assert np.array_equal(mapped[0, 0], palette.colours[d2.argmin()])


def test_palette_summarises_many_blends_within_255_colours():
    rng = np.random.default_rng(0)
    noise = (0xFF000000 | rng.integers(0, 1 << 24, size=(60, 80))).astype(np.uint32)
    palette = SharedPalette.build([noise], [WHITE, BLUE])
    assert len(palette.colours) == 255
    assert [tuple(c) for c in palette.colours[:2]] == [WHITE, BLUE]


def test_gif_keeps_identical_frames_as_frames_with_their_delays():
    palette = SharedPalette(np.array([WHITE, BLUE, ORANGE], dtype=np.uint8))
    frames = [frame_with(BLUE, (5, 5, 20, 20))] * 3 + [frame_with(ORANGE, (10, 10, 30, 25))]
    delays = delays_cs(len(frames), fps=20, hold_s=1.0)
    fp = io.BytesIO()
    gif = GifStream(fp, (40, 30), palette, background=0, loop=0)
    for frame, delay in zip(frames, delays):
        gif.add(palette.indices(frame), delay)
    gif.close()
    decoded = decode(fp.getvalue())
    assert len(decoded) == 4  # Pillow's save_all would merge the three identical frames
    assert [d for _, d in decoded] == [50, 50, 50, 1050]
    for (pixels, _), frame in zip(decoded, frames):
        assert np.array_equal(pixels, palette.colours[palette.indices(frame)])
    assert Image.open(io.BytesIO(fp.getvalue())).info["loop"] == 0


@pytest.mark.parametrize(("plays", "netscape"), [(0, 0), (1, None), (3, 2)])
def test_loop_counts_plays(plays, netscape):
    palette = SharedPalette(np.array([WHITE, BLUE], dtype=np.uint8))
    fp = io.BytesIO()
    gif = GifStream(fp, (40, 30), palette, background=0, loop=plays)
    for box in ((0, 0, 5, 5), (5, 5, 10, 10)):
        gif.add(palette.indices(frame_with(BLUE, box)), 5)
    gif.close()
    assert Image.open(io.BytesIO(fp.getvalue())).info.get("loop") == netscape


def test_delays_follow_the_clock_and_never_drop_below_20_ms():
    assert delays_cs(6, fps=30) == [3, 4, 3, 3, 4, 3]
    assert delays_cs(3, fps=100) == [2, 2, 2]
    assert sum(delays_cs(30, fps=30)) == 100
