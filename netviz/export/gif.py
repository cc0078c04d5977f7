"""A GIF written one frame at a time: one global palette, delta frames, every frame kept.

Pillow's `save(save_all=True)` merges identical consecutive frames (adding up their
delays) and cannot be told not to; an export of N frames must hold N frames. So the
stream is assembled here from Pillow's own frame encoder (`GifImagePlugin.getdata`,
public API), doing what `optimize=True` does: each frame after the first is cropped to
the box that changed, and unchanged pixels inside it become the transparent index.
"""

import struct
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

from netviz.export.palette import MAX_COLOURS, SharedPalette

MIN_DELAY_CS = 2  # browsers play delays of 10 ms or less at 100 ms
MAX_DELAY_CS = 65535


def delays_cs(n_frames: int, fps: float, hold_s: float = 0.0) -> list[int]:
    """GIF delays (centiseconds) for n frames at fps, the last one held hold_s longer.

    Rounded on the running clock, so 30 fps plays as 3, 3, 4, 3, 3, 4 ... centiseconds.
    """
    clock = np.floor(np.arange(n_frames + 1) * 100.0 / fps + 0.5)
    delays = np.maximum(np.diff(clock).astype(int), MIN_DELAY_CS)
    delays[-1] += round(hold_s * 100)
    return np.minimum(delays, MAX_DELAY_CS).tolist()


class GifStream:
    """Writes frames of palette indices (h, w) uint8 to a binary file, then `close()`."""

    def __init__(self, fp: BinaryIO, size: tuple[int, int], palette: SharedPalette, background: int, loop: int = 0):
        """`loop`: how many times it plays; 0 = forever."""
        self.fp, self.size, self.palette = fp, size, palette
        self.transparent = MAX_COLOURS  # never a colour: the palette holds at most 255
        self._previous: np.ndarray | None = None
        self.n_frames = 0
        width, height = size
        # Logical screen: a 256-entry global colour table (flags 0xF7), background index, square pixels.
        fp.write(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, background, 0))
        fp.write(palette.rgb_bytes(256))
        if loop != 1:  # NETSCAPE2.0 counts repeats after the first play; without it a GIF plays once
            repeats = 0 if loop == 0 else loop - 1
            fp.write(b"!\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", min(repeats, 65535)) + b"\x00")

    def add(self, indices: np.ndarray, delay_cs: int) -> None:
        """Append one frame shown for delay_cs centiseconds."""
        if indices.shape != (self.size[1], self.size[0]):
            raise ValueError(f"frame of shape {indices.shape} in a {self.size[0]}x{self.size[1]} GIF")
        params = {"duration": 10 * int(delay_cs), "disposal": 1}  # 1: leave the frame for the next to draw over
        if self._previous is None:
            box, tile = (0, 0), indices
        else:
            changed = indices != self._previous
            rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
            if len(rows):
                top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
                tile = np.where(changed[top:bottom, left:right], indices[top:bottom, left:right], self.transparent)
                box = (left, top)
            else:  # an identical frame still counts: one transparent pixel
                box, tile = (0, 0), np.full((1, 1), self.transparent)
            params["transparency"] = self.transparent
        image = Image.fromarray(np.ascontiguousarray(tile, dtype=np.uint8), "P")
        for chunk in GifImagePlugin.getdata(image, offset=box, **params):
            self.fp.write(chunk)
        self._previous = indices
        self.n_frames += 1

    def close(self) -> None:
        self.fp.write(b";")
