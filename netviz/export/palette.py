"""One 8-bit palette shared by every frame of an animation, holding the theme's exact colours.

Frames are flat theme colours plus antialiasing blends between them. The palette is the
theme's colours, then the sample frames' most common exact colours, then a median cut of
the remaining blends (weighted by the square root of their pixel counts, so thin edges
are not starved by large areas). Mapping is nearest colour, no dithering: the background
and every flat area stay pure, and identical pixels get identical indices in every frame.
"""

import numpy as np
from PIL import Image

MAX_COLOURS = 255  # one index stays free for GIF transparency (unchanged pixels)
EXACT_COMMON = 32  # sample colours kept exactly, most common first
_UNKNOWN = 0xFFFF


def pack(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 RGB -> (...) uint32 0xRRGGBB."""
    rgb = np.asarray(rgb, dtype=np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def unpack(packed: np.ndarray) -> np.ndarray:
    """(...) uint32 0xRRGGBB -> (..., 3) uint8 RGB."""
    packed = np.asarray(packed, dtype=np.uint32)
    return np.stack([(packed >> 16) & 255, (packed >> 8) & 255, packed & 255], axis=-1).astype(np.uint8)


class SharedPalette:
    """Up to 255 RGB colours (n, 3) and the frame -> index mapping for them."""

    def __init__(self, colours: np.ndarray):
        colours = np.asarray(colours, dtype=np.uint8).reshape(-1, 3)
        if not 1 <= len(colours) <= MAX_COLOURS:
            raise ValueError(f"a shared palette holds 1 to {MAX_COLOURS} colours, got {len(colours)}")
        self.colours = colours
        self._lut = np.full(1 << 24, _UNKNOWN, dtype=np.uint16)  # 0xRRGGBB -> index, filled on first sight
        self._lut[pack(colours)[::-1]] = np.arange(len(colours))[::-1]  # a repeated colour maps to its first index

    @classmethod
    def build(cls, samples: list[np.ndarray], exact) -> "SharedPalette":
        """From sample frames (h, w) uint32 0xRRGGBB and (n, 3) RGB colours that must be exact (the theme's)."""
        exact = np.asarray(exact, dtype=np.uint8).reshape(-1, 3)
        counts: dict[int, int] = {}
        for frame in samples:
            values, n = np.unique(frame & np.uint32(0xFFFFFF), return_counts=True)
            for v, k in zip(values.tolist(), n.tolist()):
                counts[v] = counts.get(v, 0) + k
        for v in pack(exact).tolist():
            counts.pop(v, None)
        values = np.array(list(counts), dtype=np.uint32)
        n = np.array(list(counts.values()), dtype=np.int64)
        order = np.argsort(-n, kind="stable")
        room = MAX_COLOURS - len(exact)
        common = values[order[: min(EXACT_COMMON, room)]]
        rest, rest_n = values[order[len(common) :]], n[order[len(common) :]]
        room -= len(common)
        blends = _median_cut(unpack(rest), np.sqrt(rest_n), room) if len(rest) and room > 0 else np.zeros((0, 3))
        colours = np.vstack([exact, unpack(common), blends]).astype(np.uint8)
        _, first = np.unique(pack(colours), return_index=True)
        return cls(colours[np.sort(first)])

    def index_of(self, rgb) -> int:
        """The palette index of one colour (its nearest)."""
        return int(self.indices(pack(np.asarray(rgb, dtype=np.uint8)).reshape(1, 1))[0, 0])

    def indices(self, frame: np.ndarray) -> np.ndarray:
        """(h, w) uint8 palette indices of a (h, w) uint32 frame of 0xRRGGBB (a top byte is ignored)."""
        packed = frame & np.uint32(0xFFFFFF)
        idx = self._lut[packed]
        unknown = idx == _UNKNOWN
        if unknown.any():
            new = np.unique(packed[unknown])
            self._lut[new] = self._nearest(unpack(new))
            idx = self._lut[packed]
        return idx.astype(np.uint8)

    def _nearest(self, rgb: np.ndarray) -> np.ndarray:
        pal = self.colours.astype(np.int32)
        out = np.empty(len(rgb), dtype=np.uint16)
        for start in range(0, len(rgb), 4096):  # bounded (4096, n_colours) distance blocks
            block = rgb[start : start + 4096].astype(np.int32)
            d2 = ((block[:, None, :] - pal[None, :, :]) ** 2).sum(axis=2)
            out[start : start + 4096] = d2.argmin(axis=1)
        return out

    def rgb_bytes(self, size: int = 256) -> bytes:
        """The palette as `size` RGB triples (unused entries black), for a file header."""
        table = np.zeros((size, 3), dtype=np.uint8)
        table[: len(self.colours)] = self.colours
        return table.tobytes()


def _median_cut(colours: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """At most n colours summarising `colours` (m, 3), each counted `weights` (m,) times."""
    if len(colours) <= n:
        return colours
    pixels = np.repeat(colours, np.maximum(1, np.rint(weights)).astype(np.int64), axis=0)
    width = 256
    pixels = np.vstack([pixels, np.repeat(pixels[-1:], (-len(pixels)) % width, axis=0)])
    image = Image.fromarray(pixels.reshape(-1, width, 3), "RGB")
    quantized = image.quantize(n, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    used = sorted(index for _, index in quantized.getcolors(256))
    return np.array(quantized.getpalette(), dtype=np.uint8).reshape(-1, 3)[used]
