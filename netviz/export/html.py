"""Interactive HTML export: one self-contained page that replays a run in any modern browser.

The page draws what the window draws (the same neuron positions, names, keys, colours and line
widths, laid out by the painter's own functions for two layouts: the export's size and a narrow
one for phones) with a small canvas player in plain JavaScript (netviz/export/web/). Python embeds the weights of every
exported epoch, compressed, and the few tables the page needs; the page computes activations,
decision maps and Think itself. Nothing is fetched: no URL of any resource is in the file.
"""

import base64
import html
import json
import math
import zlib
from importlib import resources

import numpy as np
from PyQt6.QtCore import QLineF, QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QFont, QPen

from netviz.atomic import write_bytes
from netviz.engine.segments import describe
from netviz.engine.session import epoch_name
from netviz.export.options import ExportOptions
from netviz.export.schedule import epoch_schedule
from netviz.numbers import format_loss
from netviz.render import ensure_gui_app
from netviz.render.labels import text_size
from netviz.render.legend import LEGEND_HEIGHT, LegendKey, loss_curve_points, loss_title_box, paint_legend
from netviz.render.painter import (
    DETAIL_NOTES,
    caption_scale,
    footer_boxes,
    network_rect,
    panel_size,
)
from netviz.render.plane import paint_class_key, point_radius
from netviz.render.primitives import MIN_LINE_WIDTH, font_metrics, pixel_font
from netviz.render.still import trained_under
from netviz.scene.labels import TextBox
from netviz.scene.plane import (
    GRID,
    MAP_STRENGTH,
    PANEL_GRID,
    TABLE_STEPS,
    _class_table,
    is_classification,
    map_rgb,
    plane_data,
    plane_extent,
    point_colours,
    value_reach,
)
from netviz.scene.scene import MAX_DRAWN_EDGES, THINK_EDGE_ALPHA, Geometry, neuron_labels
from netviz.scene.style import N_LEVELS, THEMES, bucket_colours, class_colours, largest_weight, weight_scale

NARROW_SIZE = (360, 480)  # the layout the page switches to below NARROW_BELOW css pixels (a phone's width)
NARROW_BELOW = 600
NARROW_PANEL = 280  # side of the output's panel under the network in the narrow layout
EXACT_BYTES = 2_000_000  # float32 weights up to this size; beyond it, 8-bit log-quantised (see _encode_thetas)
QUANT_RANGE = 1e4  # quantised |w| spans the run's largest down to this many times smaller (smaller is 0)
LOSS_POINTS = 1_500  # samples of the loss curve embedded (each of a log and a linear grid)
MAX_LISTED_ROWS = 200  # rows offered in the page's input choice ...
MAX_LISTED_VALUES = 20_000  # ... and no more values than this in all (784-pixel rows are 16 KB of text each)
MAX_POINTS = 10_000  # training points drawn on the output panel


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _packed(array: np.ndarray, dtype) -> str:
    """An array as base64 of zlib-compressed little-endian `dtype` (the page inflates it natively)."""
    return _b64(zlib.compress(np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes(), 9))


def _encode_thetas(thetas: np.ndarray) -> dict:
    """Every exported epoch's parameters (n_frames, n_params), packed for the page."""
    if thetas.size * 4 <= EXACT_BYTES:
        return {"encoding": "f32", "data": _packed(thetas, np.float32)}
    # Past EXACT_BYTES, one byte each: a sign bit and 7 bits of log|w| over [top / QUANT_RANGE, top] (a step
    # of 7.6%, within a level of the weight scale), stored as the change from the epoch before, which is
    # mostly 0 and compresses well: 784-64-10 over 100 epochs takes about 1.5 MB instead of 20.
    top = largest_weight(thetas)
    low = top / QUANT_RANGE
    a = np.abs(np.nan_to_num(thetas))
    level = np.clip(np.rint(126 * np.log(np.maximum(a, low) / low) / math.log(QUANT_RANGE)) + 1, 1, 127)
    codes = np.where(a < low, 0, level).astype(np.uint8) | (np.signbit(thetas) << 7).astype(np.uint8)
    deltas = codes.copy()
    deltas[1:] = codes[1:] - codes[:-1]  # uint8 arithmetic wraps: the page adds them back modulo 256
    return {"encoding": "q8log", "low": low, "range": QUANT_RANGE, "data": _packed(deltas, np.uint8)}


def _colour(colour: QColor) -> list[int]:
    return [colour.red(), colour.green(), colour.blue(), colour.alpha()]


def _r(v: float) -> float:
    return round(float(v), 2)


def _text_anchor(box: QRectF, flags: Qt.AlignmentFlag, text: str, size: int) -> tuple[float, float, str]:
    """Where the page writes `text` that Qt aligns in box: the x its alignment hangs on, the baseline, the alignment."""
    fm = font_metrics(pixel_font(size))
    if flags & Qt.AlignmentFlag.AlignHCenter:
        x, align = box.center().x(), "center"
    elif flags & Qt.AlignmentFlag.AlignRight:
        x, align = box.right(), "right"
    else:
        x, align = box.left(), "left"
    if flags & Qt.AlignmentFlag.AlignVCenter:
        top = box.top() + (box.height() - fm.height()) / 2
    elif flags & Qt.AlignmentFlag.AlignBottom:
        top = box.bottom() - fm.height()
    else:
        top = box.top()
    return x, top + fm.ascent(), align


class ShapeList:
    """Stands in for the QPainter a key is painted with (paint_legend, paint_class_key) and keeps each
    text, line, disc and square as a list the page replays: the page's key is laid out by the painter's code."""

    def __init__(self):
        self.items: list = []
        self._pen, self._brush, self._font = QPen(), QColor(0, 0, 0, 0), pixel_font(12)

    def setRenderHint(self, *_) -> None:
        """The page antialiases everything."""

    def setFont(self, font: QFont) -> None:
        self._font = font

    def font(self) -> QFont:
        return self._font

    def setPen(self, pen) -> None:
        self._pen = pen if isinstance(pen, QPen) else QPen(pen)

    def setBrush(self, brush) -> None:
        self._brush = QColor(brush)

    def drawLine(self, line: QLineF) -> None:
        cap = "round" if self._pen.capStyle() == Qt.PenCapStyle.RoundCap else "butt"
        self.items.append(["line", _r(line.x1()), _r(line.y1()), _r(line.x2()), _r(line.y2()),
                           _r(self._pen.widthF()), _colour(self._pen.color()), cap])  # fmt: skip

    def drawEllipse(self, centre: QPointF, rx: float, ry: float) -> None:
        self.items.append(["disc", _r(centre.x()), _r(centre.y()), _r(rx), _colour(self._brush),
                           _colour(self._pen.color()), _r(self._pen.widthF())])  # fmt: skip

    def drawRect(self, rect: QRectF) -> None:
        self.items.append(["rect", _r(rect.x()), _r(rect.y()), _r(rect.width()), _r(rect.height()),
                           _colour(self._brush), _colour(self._pen.color()), _r(self._pen.widthF())])  # fmt: skip

    def drawText(self, where, *args) -> None:
        size = self._font.pixelSize()
        if isinstance(where, QPointF):
            x, y, align, text = where.x(), where.y(), "left", args[0]
        else:
            flags, text = args
            x, y, align = _text_anchor(where, flags, text, size)
        self.items.append(["text", _r(x), _r(y), text, size, _colour(self._pen.color()), align])


def _shapes(paint, *args) -> list:
    """What paint(painter, *args) draws, as the page's list of shapes."""
    shapes = ShapeList()
    paint(shapes, *args)
    return shapes.items


def _box_text(box: TextBox) -> list:
    """A name the layout placed: its text, anchor x, baseline, size and alignment, on the painter's whole pixels."""
    left, top, width, height = round(box.x), round(box.y), round(box.width), round(box.height)
    flags = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight}.get(
        box.align, Qt.AlignmentFlag.AlignHCenter
    )
    x, y, align = _text_anchor(
        QRectF(left, top, width, height), flags | Qt.AlignmentFlag.AlignVCenter, box.text, box.size
    )
    return [box.text, _r(x), _r(y), box.size, align]


def _spark(rect: QRectF, loss: np.ndarray) -> dict:
    """The loss inset's curve in pixels, as paint_loss_curve draws it (log10 of the finite losses, under its title)."""
    size, title = loss_title_box(rect, "loss (log)")
    spark = {"rect": [_r(rect.x()), _r(rect.y()), _r(rect.width()), _r(rect.height())], "size": size, "x": [], "y": []}
    if len(loss) >= 2:
        px, py = loss_curve_points(rect, loss, title)
        spark["x"], spark["y"] = np.round(px, 1).tolist(), np.round(py, 1).tolist()
    return spark


def _layout(arch, labels, size, panel: bool, scale, loss: np.ndarray, kinds, narrow: bool = False) -> dict:
    """Where the page draws each part at one design size, from the same functions as the painter:
    neurons and names (Geometry.build, measured as painted), caption, legend and loss inset, panel."""
    width, height = size
    k = caption_scale(width, height)
    if narrow:
        rect, box, legend, spark = _narrow_boxes(width, height, panel)
        height = int(legend.bottom() + 12)
    else:
        rect = network_rect(width, height, panel=panel)
        side = panel_size(width, rect.height)
        box = [width - side - 16, rect.y + (rect.height - side) / 2, side, side]
        legend, spark = footer_boxes(width, height, True)
    g = Geometry.build(arch.layers, rect, labels, text_size)
    names = g.labels.names.values()
    class_names = labels[-arch.layers[-1] :] if arch.layers[-1] > 1 else []
    caption_font = round(17 * k)
    fm = font_metrics(pixel_font(caption_font))
    layout = {
        "width": width, "height": height,
        "centres": np.round(g.centres, 3).ravel().tolist(), "radii": np.round(g.radii, 3).tolist(),
        "radius": g.radius,
        "names": [_box_text(b) for b in names if b.align != "centre"] + [_box_text(b) for b in g.labels.captions],
        "above": [[*_box_text(b), [round(b.x) - 1, round(b.y), round(b.width) + 2, round(b.height)]]
                  for b in names if b.align == "centre"],
        "note": None if g.labels.note is None else [_r(g.labels.note.x), _r(g.labels.note.y), _r(g.labels.note.width),
                                                      g.labels.note.size],
        "caption": {"size": caption_font, "x": 16, "y": _r(8 * k + (30 * k - fm.height()) / 2 + fm.ascent()),
                    "band": [_r(8 * k), _r(30 * k)]},
        "spark": None if spark is None else _spark(spark, loss),
        "looks": {},
    }  # fmt: skip
    legend_of = _phone_legend if narrow else _shapes
    for name, theme in THEMES.items():
        look = layout["looks"][name] = {  # one key for each of `kinds`, the activations of the frames' segments
            "legend": [legend_of(paint_legend, legend, scale, theme, LegendKey(acts)) for acts in kinds],
            "thinkLegend": [legend_of(paint_legend, legend, scale, theme, LegendKey(acts, True)) for acts in kinds],
        }
        if panel and class_names:
            look["classKey"] = _shapes(_class_key, QRectF(*box), class_names, theme)
    if panel:
        layout["panel"] = box
    return layout


def _narrow_boxes(width: int, height: int, panel: bool) -> tuple:
    """A phone's layout: the network (and the output's panel under it, too narrow beside it), then the key
    across the whole width at its full size, where the painter would shrink it with the picture; no loss
    inset (the page's loss curve is right under the picture)."""
    rect = network_rect(width, height, footer=False)
    bottom = rect.y + rect.height
    box = None
    if panel:
        side = min(NARROW_PANEL, width - 60.0)
        box = [(width - side) / 2 + 8, bottom + 30, side, side]
        bottom = box[1] + side + 24
    legend = QRectF(QRectF(16, bottom + 8, width - 32, 2 * LEGEND_HEIGHT).toRect())  # two rows: _phone_legend
    return rect, box, legend, None


def _phone_legend(paint, rect: QRectF, *args) -> list:
    """The key in two rows of rect, lines above and fills below: painted as one row wider than the
    phone (whose width would shrink its text to SMALLEST_FONT), as wide as lets the lines alone fit
    the phone's width, and cut before the fills; one row if no such width exists."""
    half = rect.height() / 2
    for stretch in (2.0, 1.8, 1.6, 1.4, 1.2):
        items = _shapes(paint, QRectF(rect.left(), rect.top(), stretch * rect.width(), half), *args)
        split = next((k for k, item in enumerate(items) if item[0] == "text" and item[3] == "activation"), None)
        ends = [item[3] if item[0] == "line" else item[1] for item in items[:split]]
        if split is not None and max(ends) <= rect.right():
            shift = items[split][1] - rect.left()
            return items[:split] + [_moved(item, -shift, half) for item in items[split:]]
    return _shapes(paint, QRectF(rect.left(), rect.top(), rect.width(), half), *args)


def _moved(item: list, dx: float, dy: float) -> list:
    """A recorded shape moved by (dx, dy) (its first two numbers are a point; a line's next two are one too)."""
    moved = [item[0], _r(item[1] + dx), _r(item[2] + dy), *item[3:]]
    if item[0] == "line":
        moved[3:5] = [_r(item[3] + dx), _r(item[4] + dy)]
    return moved


def _class_key(painter, box: QRectF, names: list[str], theme) -> None:
    painter.setFont(pixel_font(12))
    paint_class_key(painter, box, class_colours(len(names)), names, theme)


def _theme_tables(theme, scale, n_out: int, plane: bool) -> dict:
    """One theme's colours: its palette, the pen buckets' RGBA, and for 2-D data the maps' tables."""
    names = ("background", "text", "muted", "positive", "negative", "zero", "neuron_off", "neuron_on", "signal")
    out = {name: list(theme.rgb(name)) for name in names}
    out["buckets"] = bucket_colours(scale, theme).tolist()
    if plane:
        out["diverging"] = map_rgb(np.linspace(-1.0, 1.0, TABLE_STEPS), theme).ravel().tolist()
        if n_out > 1:
            out["classes"] = _class_table(theme, n_out, MAP_STRENGTH).ravel().tolist()
    return out


def _point_sets(history, epochs: np.ndarray) -> tuple[list, list[int]]:
    """The training rows each exported epoch was trained under (its segment's: an edit may bring new
    points), each set once, and the index of each frame's set."""
    sets, of_frame = [], []
    for epoch in epochs:
        rows = trained_under(history, int(epoch))[1]
        index = next((k for k, seen in enumerate(sets) if seen is rows), None)
        if index is None:
            sets.append(rows)
            index = len(sets) - 1
        of_frame.append(index)
    return sets, of_frame


def _point_set(rows, activation: str) -> dict:
    """One set of training points on the plane as the page draws them: where, their targets and colours,
    and the plane's extent and value scale they give the maps (scene.plane.plane_maps)."""
    points, targets = rows.plane_points(), rows.targets
    scaling = (
        None if rows.scaling is None else {"shift": rows.scaling.shift.tolist(), "scale": rows.scaling.scale.tolist()}
    )
    colours = {
        name: _b64(point_colours(targets[:MAX_POINTS], theme, activation).astype(np.uint8).tobytes())
        for name, theme in THEMES.items()
    }
    return {
        "extent": list(plane_extent(points)), "points": _b64(points[:MAX_POINTS].astype("<f4").tobytes()),
        "targets": _b64(targets[:MAX_POINTS].astype("<f4").tobytes()), "colours": colours,
        "classification": bool(is_classification(targets)), "pointRadius": point_radius(len(points[:MAX_POINTS])),
        "reach": value_reach(targets), "scaling": scaling,
    }  # fmt: skip


def _plane(history, epochs: np.ndarray) -> dict:
    """The maps' settings: the grid, the features the inputs are made of (the page makes them from points
    of the plane, as Dataset.inputs_at does) and each frame's set of points."""
    sets, of_frame = _point_sets(history, epochs)
    features = history.dataset.features
    return {
        "grid": GRID, "panelGrid": PANEL_GRID, "tableSteps": TABLE_STEPS,
        "features": list(features) if features else None,
        "sets": [_point_set(rows, history.config.arch.activations[-1]) for rows in sets], "frameSet": of_frame,
    }  # fmt: skip


def _short_numbers(values) -> list:
    """Numbers (nested lists) to 7 significant digits: activations from them differ in the 7th digit at most."""
    return np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(np.asarray(values, dtype=np.float64)).tolist()


def _finite(values) -> list:
    """Numbers for JSON (5 significant digits), null where a loss is not a number (an import without one)."""
    return [float(f"{v:.5g}") if math.isfinite(v) else None for v in np.asarray(values, dtype=np.float64)]


def _loss_curve(history) -> dict:
    """The loss (and the test loss, if any) at up to 2 * LOSS_POINTS epochs, on a log and a linear grid."""
    last = history.latest_epoch
    grid = np.concatenate([np.geomspace(1, last + 1, LOSS_POINTS) - 1, np.linspace(0, last, LOSS_POINTS)])
    epochs = np.unique(np.clip(np.rint(grid), 0, last).astype(np.int64))
    curve = {"epochs": epochs.tolist(), "values": _finite(np.asarray(history.loss)[epochs])}
    if getattr(history, "has_test", False):  # a recording (RecordedHistory) has no test rows
        curve["test"] = _finite(np.asarray(history.test_loss)[epochs])
    return curve


def _caption_loss(loss: float) -> str:
    """The caption's loss: as the painter writes it, or "loss unknown" as the status bar says for none."""
    return f"loss {format_loss(loss)}" if math.isfinite(loss) else "loss unknown"


def _edits(history) -> list[dict]:
    """Each edit of the run (a segment's start), with its caption: "epoch 3,000: learning rate 1 → 0.1"."""
    return [{"epoch": s.start, "text": f"epoch {s.start:,}: {describe(s.edit)}"} for s in history.segments[1:]]


def page_data(history, options: ExportOptions, edge_budget: int = MAX_DRAWN_EDGES) -> dict:
    """Everything the page needs, for filled-in options (ExportOptions.for_run)."""
    ensure_gui_app()  # the names are measured with the painter's fonts
    o = options
    arch, dataset = history.config.arch, history.dataset
    epochs = epoch_schedule(o.start or 0, o.end, o.frames, o.schedule or "change", history)
    thetas = np.stack([history.weights_at(int(e)) for e in epochs])
    run_max = largest_weight(history.keyframes()[:, arch.weight_index()]) if o.weight_scale == "run" else None
    scale = weight_scale(o.weight_scale, run_max)
    plane = len(dataset) > 0 and plane_data(dataset) is not None  # as a snapshot: two inputs, or features of points
    n_rows = min(MAX_LISTED_ROWS, max(1, MAX_LISTED_VALUES // dataset.n_in))
    labels = neuron_labels(arch.layers, dataset.input_names, dataset.target_names)
    loss = np.asarray(history.loss, dtype=np.float64)
    shown = [tuple(trained_under(history, int(e))[0].arch.activations) for e in epochs]  # an edit may change them
    kinds = list(dict.fromkeys(shown))
    data = {
        "layers": list(arch.layers), "activations": list(arch.activations), "bias": bool(arch.bias),
        "labels": labels, "epochs": epochs.tolist(), "lastEpoch": history.latest_epoch,
        "lossText": [_caption_loss(loss[e]) for e in epochs],
        "thetas": _encode_thetas(thetas), "loss": _loss_curve(history), "edits": _edits(history),
        "rows": _short_numbers(dataset.inputs[:n_rows]), "targets": _short_numbers(dataset.targets[:n_rows]),
        "newSituation": None if dataset.new_situation is None else _short_numbers(dataset.new_situation),
        "input": None if o.input is None else _short_numbers(o.input), "fps": o.fps, "theme": o.theme,
        "scale": {
            "kind": scale.kind, "maxAbs": scale.max_abs, "minAbs": scale.min_abs, "levels": N_LEVELS,
            "widths": scale.bucket_widths().tolist(), "minLineWidth": MIN_LINE_WIDTH,
        },
        "thinkEdgeAlpha": THINK_EDGE_ALPHA, "detailNotes": list(DETAIL_NOTES), "font": _font_shape(),
        "edgeBudget": int(edge_budget), "narrowBelow": NARROW_BELOW,
        "layouts": [_layout(arch, labels, o.size, plane, scale, loss, kinds),
                    _layout(arch, labels, NARROW_SIZE, plane, scale, loss, kinds, narrow=True)],
        "activationSets": [list(acts) for acts in kinds], "frameActivations": [kinds.index(a) for a in shown],
        "themes": {
            name: _theme_tables(theme, scale, arch.layers[-1], plane) for name, theme in THEMES.items()
        },
    }  # fmt: skip
    if plane:
        data["plane"] = _plane(history, epochs)
    if epoch_name(history, 0):  # an import: the checkpoint of each epoch shown, "step_400"
        data["frameNames"] = [epoch_name(history, int(e)) for e in epochs]
    return data


def _font_shape() -> dict:
    """The painter's font's ascent and line height per pixel of size, for text the page places itself."""
    fm = font_metrics(pixel_font(100))
    return {"ascent": round(fm.ascent() / 100, 4), "height": round(fm.height() / 100, 4)}


def _asset(name: str) -> str:
    return resources.files("netviz.export").joinpath("web", name).read_text(encoding="utf-8")


def player_html(data: dict) -> str:
    """The player as one element (its style, data and script inline), to stand alone or inside a page."""
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    return (
        f'<div class="netviz-player" data-theme="{html.escape(data["theme"])}">'
        f"<style>{_asset('player.css')}</style>"
        f'<script type="application/json" class="netviz-data">{payload}</script>'
        f"<script>{_asset('player.js')}</script></div>"
    )


def html_page(data: dict, title: str = "netviz") -> str:
    """A whole HTML document holding the player."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>"
        f'<body style="margin:0" data-netviz-page>{player_html(data)}</body></html>\n'
    )


def run_title(history) -> str:
    """The page's title: the network and the data."""
    return f"netviz: {history.config.arch.label()} on {history.dataset.name}"


def write_html(path: str, history, options: ExportOptions, edge_budget: int = MAX_DRAWN_EDGES) -> None:
    """Write the page of history's run for filled-in options to path, atomically."""
    page = html_page(page_data(history, options, edge_budget), run_title(history))
    write_bytes(path, page.encode("utf-8"))


def write_steps(path: str, history, options: ExportOptions):
    """write_html as a generator of (done, total), as the export dialog drives export_steps."""
    yield 0, 1
    write_html(path, history, options)
    yield 1, 1
