"""Where the neurons' names and the prediction go, in pixels, so that none of them overlaps another
or a neuron. Pure Python: a test lays out any network at any size without Qt.

Inputs are named left of their neuron and outputs right of theirs, where no synapse runs; hidden
neurons are named above, in the room between a neuron and the one above it. A name that does not
fit is set smaller, down to MIN_FONT; a layer whose names do not fit even then gets one caption
under it instead ("16 hidden"). The painter measures text with the same function it hands in here.
"""

from collections.abc import Callable
from dataclasses import dataclass

MIN_FONT = 8  # pixel size; names smaller than this are not drawn
MAX_FONT = 15
GAP = 4.0  # pixels between a name and its neuron
EDGE = 8.0  # pixels a name beside an input or output keeps from the picture's edge (antialiased glyphs overhang)
NAMED_LAYER_LIMIT = 40  # larger layers always get a caption (their neurons are too small to name)
NOTE_TEMPLATE = ("prediction 0.000000", "target 0.000000")  # the widest usual note lines, for room

TextSize = Callable[[str, int], tuple[float, float]]  # (text, pixel size) -> (width, height)

# Advance widths of a sans-serif font in ems, rounded up (DejaVu Sans, Qt's offscreen default).
_NARROW, _WIDE, _CAPITAL, _OTHER = set("ijlft.,:;'|!() "), set("mwMW@%"), set("ABCDEFGHIJKLNOPQRSTUVXYZ&"), 0.64


def approx_text_size(text: str, size: int) -> tuple[float, float]:
    """A generous estimate of how wide and tall `text` is at `size` pixels (for tests without Qt)."""
    ems = sum(0.36 if c in _NARROW else 1.0 if c in _WIDE else 0.78 if c in _CAPITAL else _OTHER for c in text)
    return ems * size, 1.2 * size


@dataclass(frozen=True)
class TextBox:
    """A piece of text and the box it is drawn in; `align` is where it sits across: left, right or centre."""

    text: str
    x: float
    y: float
    width: float
    height: float
    size: int  # font size in pixels
    align: str = "centre"

    def overlaps(self, other: "TextBox") -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def meets_disc(self, cx: float, cy: float, r: float) -> bool:
        """Whether the disc of radius r at (cx, cy) reaches into the box."""
        nx = min(max(cx, self.x), self.x + self.width)
        ny = min(max(cy, self.y), self.y + self.height)
        return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r


@dataclass
class LabelLayout:
    """Every name drawn (index of its neuron -> box), the captions of layers named as a whole, and the
    box of the prediction under a single output (None when there is no room for it)."""

    names: dict[int, TextBox]
    captions: list[TextBox]
    note: TextBox | None
    note_lines: tuple[str, ...] = NOTE_TEMPLATE

    def boxes(self) -> list[TextBox]:
        """Every box, names first."""
        return list(self.names.values()) + self.captions + ([self.note] if self.note is not None else [])


def base_font(width: float, height: float) -> int:
    """The names' size for a drawing of this size: larger drawings, larger names."""
    return int(min(MAX_FONT, max(MIN_FONT, min(height / 22.0, width / 40.0))))


def fitting_font(texts, start: int, measure: TextSize, max_width: float, max_height: float) -> int | None:
    """The largest size from `start` down to MIN_FONT at which every text fits, or None."""
    for size in range(int(start), MIN_FONT - 1, -1):
        sizes = [measure(t, size) for t in texts]
        if all(w <= max_width and h <= max_height for w, h in sizes):
            return size
    return None


def layer_caption(layer: int, n_layers: int, n: int) -> str:
    """How a caption names a whole layer: "784 inputs", "16 hidden", "1 output"."""
    kind = "input" if layer == 0 else ("output" if layer == n_layers - 1 else "hidden")
    return f"{n:,} {kind}" + ("s" if n > 1 and kind != "hidden" else "")


@dataclass(frozen=True)
class Placed:
    """What the layout needs to know of the neurons: layer sizes, centres (n, 2), radii (n,), the rectangle."""

    layers: tuple[int, ...]
    centres: list  # [(x, y), ...] as Python floats
    radii: list
    layer_start: list
    rect: tuple[float, float, float, float]  # x, y, width, height

    def layer(self, k: int) -> range:
        return range(self.layer_start[k], self.layer_start[k + 1])

    def spacing(self, k: int) -> float:
        """Distance between neighbours in layer k (the rectangle's height for a single neuron)."""
        ys = [self.centres[i][1] for i in self.layer(k)]
        return min((b - a for a, b in zip(ys, ys[1:])), default=self.rect[3])

    def column_gap(self) -> float:
        xs = [self.centres[self.layer_start[k]][0] for k in range(len(self.layers))]
        return min((b - a for a, b in zip(xs, xs[1:])), default=self.rect[2])


@dataclass(frozen=True)
class Margins:
    """Room the names need beside and above the neurons, and under them for captions (pixels)."""

    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0


def layout_labels(
    placed: Placed, labels: list[str], measure: TextSize, font: int, max_side: float, margins: Margins
) -> tuple[LabelLayout, Margins]:
    """Boxes for the names of `placed` neurons (placed within `margins`), and the margins they ask
    for (see the module's rules). `max_side` is the most room a name may take beside its neuron.
    """
    ry = placed.rect[1]
    n_layers = len(placed.layers)
    col_gap = placed.column_gap()
    names: dict[int, TextBox] = {}
    captions: list[TextBox] = []
    note = None
    need = {"left": 0.0, "right": 0.0, "top": margins.top, "bottom": margins.bottom}
    big_r = max(placed.radii)
    for k, n in enumerate(placed.layers):
        layer = placed.layer(k)
        texts = [labels[i] for i in layer]
        r = placed.radii[layer.start]
        gap = placed.spacing(k)
        size = None
        if n <= NAMED_LAYER_LIMIT:
            if k == 0 or k == n_layers - 1:  # beside the neuron
                size = fitting_font(texts, font, measure, max_side - r - GAP - EDGE, gap - 1)
            else:  # above it, under the one above
                width = min(col_gap - 6, 2 * (col_gap - big_r - 2))
                size = fitting_font(texts, font, measure, width, gap - 2 * r - GAP - 1)
                top = min(placed.centres[i][1] for i in layer) - r - GAP
                if size is not None and top - measure(texts[0], size)[1] < ry:
                    need["top"] = max(need["top"], margins.top + ry + 1 - (top - measure(texts[0], size)[1]))
                    size = None
        if size is None:
            caption = _caption(placed, k, font, measure, col_gap)
            overshoot = caption.y + caption.height + 1 - (ry + placed.rect[3])
            need["bottom"] = max(need["bottom"], margins.bottom + overshoot)
            captions.append(caption)
            continue
        for i, text in zip(layer, texts):
            (cx, cy), (w, h) = placed.centres[i], measure(text, size)
            if k == 0:
                names[i] = TextBox(text, cx - r - GAP - w, cy - h / 2, w, h, size, "right")
                need["left"] = max(need["left"], r + GAP + w + EDGE)
            elif k == n_layers - 1:
                names[i] = TextBox(text, cx + r + GAP, cy - h / 2, w, h, size, "left")
                need["right"] = max(need["right"], r + GAP + w + EDGE)
            else:
                names[i] = TextBox(text, cx - w / 2, cy - r - GAP - h, w, h, size, "centre")
    if placed.layers[-1] == 1 and len(placed.layers) > 1:
        note = _note(placed, names.get(placed.layer_start[-1] - 1), measure, max_side, need)
    return LabelLayout(names, captions, note), Margins(**need)


def _caption(placed: Placed, k: int, font: int, measure: TextSize, col_gap: float) -> TextBox:
    """One name for layer k, centred under its lowest neuron, no wider than the room between columns."""
    rx, _, rw, _ = placed.rect
    layer = placed.layer(k)
    text = layer_caption(k, len(placed.layers), len(layer))
    cx = placed.centres[layer.start][0]
    bottom = max(placed.centres[i][1] + placed.radii[i] for i in layer)
    width = min(col_gap - 6, 2 * (cx - rx) - 2, 2 * (rx + rw - cx) - 2)
    size = fitting_font([text], font, measure, width, float("inf")) or MIN_FONT
    w, h = measure(text, size)
    return TextBox(text, cx - w / 2, bottom + GAP, w, h, size, "centre")


def _note(placed: Placed, name: TextBox | None, measure: TextSize, max_side: float, need: dict) -> TextBox | None:
    """Room for the prediction's two lines right of the single output, under its name."""
    if name is None:
        return None
    i = placed.layer_start[-1] - 1
    cx, r = placed.centres[i][0], placed.radii[i]
    size = fitting_font(NOTE_TEMPLATE, name.size, measure, max_side - r - GAP - EDGE, float("inf"))
    if size is None:
        return None
    sizes = [measure(line, size) for line in NOTE_TEMPLATE]
    w, h = max(s[0] for s in sizes), sum(s[1] for s in sizes)
    need["right"] = max(need["right"], r + GAP + w + EDGE)
    return TextBox("", cx + r + GAP, name.y + name.height, w, h, size, "left")


def keep_clear(layout: LabelLayout, placed: Placed) -> LabelLayout:
    """The layout without any box that leaves the rectangle, covers a neuron or an earlier box."""
    rx, ry, rw, rh = placed.rect
    kept: list[TextBox] = []
    discs = list(zip(placed.centres, placed.radii))

    def clear(box: TextBox) -> bool:
        inside = rx <= box.x and box.x + box.width <= rx + rw and ry <= box.y and box.y + box.height <= ry + rh
        if not inside or any(box.meets_disc(x, y, r) for (x, y), r in discs):
            return False
        if any(box.overlaps(other) for other in kept):
            return False
        kept.append(box)
        return True

    names = {i: box for i, box in layout.names.items() if clear(box)}
    captions = [box for box in layout.captions if clear(box)]
    note = layout.note if layout.note is not None and clear(layout.note) else None
    return LabelLayout(names, captions, note)
