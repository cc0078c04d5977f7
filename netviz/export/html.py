"""Interactive HTML export: one self-contained page that replays a run in any modern browser.

The page draws what the window draws (the same neuron positions, colours and line widths, from
the scene's functions, for two layouts: the export's size and a narrow one for phones) with a
small canvas player in plain JavaScript (netviz/export/web/). Python embeds the weights of every
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

from netviz.atomic import write_bytes
from netviz.engine.session import epoch_name
from netviz.export.options import ExportOptions
from netviz.export.schedule import epoch_schedule
from netviz.render.legend import LEGEND_SCALE_NOTES, legend_samples
from netviz.render.painter import FOOTER_HEIGHT, network_rect, panel_size
from netviz.render.plane import point_radius
from netviz.render.primitives import MIN_LINE_WIDTH
from netviz.scene.plane import (
    GRID,
    MAP_STRENGTH,
    PANEL_GRID,
    TABLE_STEPS,
    _class_table,
    is_classification,
    map_rgb,
    plane_extent,
    point_colours,
)
from netviz.scene.scene import MAX_DRAWN_EDGES, SMALL_LAYER, Geometry, neuron_labels
from netviz.scene.style import N_LEVELS, THEMES, bucket_colours, class_colours, largest_weight, weight_scale

NARROW_SIZE = (420, 520)  # the layout the page switches to below NARROW_BELOW css pixels
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


def _layout(arch, size: tuple[int, int], panel: bool, narrow: bool = False) -> dict:
    """Where the page draws each part at one design size, from the same functions as the painter."""
    width, height = size
    if panel and narrow:  # a phone is too narrow for the panel beside the network: it goes under it
        rect = network_rect(width, height, footer=False)
        side = min(NARROW_PANEL, width - 60.0)
        box = [(width - side) / 2 + 8, rect.y + rect.height + 30, side, side]
        height = int(box[1] + side + 24 + FOOTER_HEIGHT)
    else:
        rect = network_rect(width, height, panel=panel)
        side = panel_size(width, rect.height)
        box = [width - side - 16, rect.y + (rect.height - side) / 2, side, side]
    g = Geometry.build(arch.layers, rect)
    layout = {
        "width": width, "height": height, "footer": FOOTER_HEIGHT,
        "rect": [rect.x, rect.y, rect.width, rect.height],
        "centres": np.round(g.centres, 3).ravel().tolist(), "radii": np.round(g.radii, 3).tolist(),
        "radius": g.radius,
    }  # fmt: skip
    if panel:
        layout["panel"] = box
    return layout


def _theme_tables(theme, scale, n_out: int, targets, activation: str, plane: bool) -> dict:
    """One theme's colours: its palette, the pen buckets' RGBA, and for 2-D data the maps' tables."""
    names = ("background", "text", "muted", "positive", "negative", "zero", "neuron_off", "neuron_on", "signal")
    out = {name: list(theme.rgb(name)) for name in names}
    out["buckets"] = bucket_colours(scale, theme).tolist()
    if plane:
        out["diverging"] = map_rgb(np.linspace(-1.0, 1.0, TABLE_STEPS), theme).ravel().tolist()
        if n_out > 1:
            out["classes"] = _class_table(theme, n_out, MAP_STRENGTH).ravel().tolist()
        out["points"] = _b64(point_colours(targets[:MAX_POINTS], theme, activation).astype(np.uint8).tobytes())
    return out


def _short_numbers(values) -> list:
    """Numbers (nested lists) to 7 significant digits: activations from them differ in the 7th digit at most."""
    return np.vectorize(lambda v: float(f"{v:.7g}"), otypes=[float])(np.asarray(values, dtype=np.float64)).tolist()


def _loss_curve(history) -> dict:
    """The loss at up to 2 * LOSS_POINTS epochs, on a log and a linear grid (enough for a curve)."""
    last = history.latest_epoch
    grid = np.concatenate([np.geomspace(1, last + 1, LOSS_POINTS) - 1, np.linspace(0, last, LOSS_POINTS)])
    epochs = np.unique(np.clip(np.rint(grid), 0, last).astype(np.int64))
    loss = np.asarray(history.loss)[epochs]
    return {"epochs": epochs.tolist(), "values": [_json_loss(v, 5) for v in loss]}


def _json_loss(value: float, digits: int) -> float | None:
    """A loss for the page's JSON: null where it is unknown (a checkpoint that kept none); JSON has no NaN."""
    return float(f"{value:.{digits}g}") if np.isfinite(value) else None


def page_data(history, options: ExportOptions, edge_budget: int = MAX_DRAWN_EDGES) -> dict:
    """Everything the page needs, for filled-in options (ExportOptions.for_run)."""
    o = options
    arch, dataset = history.config.arch, history.dataset
    epochs = epoch_schedule(o.start or 0, o.end, o.frames, o.schedule or "change", history)
    thetas = np.stack([history.weights_at(int(e)) for e in epochs])
    run_max = largest_weight(history.keyframes()[:, arch.weight_index()]) if o.weight_scale == "run" else None
    scale = weight_scale(o.weight_scale, run_max)
    plane = arch.layers[0] == 2 and len(dataset) > 0
    n_rows = min(MAX_LISTED_ROWS, max(1, MAX_LISTED_VALUES // dataset.n_in))
    data = {
        "layers": list(arch.layers), "activations": list(arch.activations), "bias": bool(arch.bias),
        "labels": neuron_labels(arch.layers, dataset.input_names, dataset.target_names),
        "epochs": epochs.tolist(), "lastEpoch": history.latest_epoch,
        "frameLoss": [_json_loss(history.loss[int(e)], 17) for e in epochs],
        "thetas": _encode_thetas(thetas), "loss": _loss_curve(history),
        "rows": _short_numbers(dataset.inputs[:n_rows]), "targets": _short_numbers(dataset.targets[:n_rows]),
        "newSituation": None if dataset.new_situation is None else _short_numbers(dataset.new_situation),
        "input": None if o.input is None else _short_numbers(o.input), "fps": o.fps, "theme": o.theme,
        "scale": {
            "kind": scale.kind, "maxAbs": scale.max_abs, "minAbs": scale.min_abs, "levels": N_LEVELS,
            "widths": scale.bucket_widths().tolist(), "minLineWidth": MIN_LINE_WIDTH,
            "legend": legend_samples(scale), "note": LEGEND_SCALE_NOTES.get(scale.kind, "linear"),
        },
        "edgeBudget": int(edge_budget), "smallLayer": SMALL_LAYER, "narrowBelow": NARROW_BELOW,
        "layouts": [_layout(arch, o.size, plane), _layout(arch, NARROW_SIZE, plane, narrow=True)],
        "themes": {
            name: _theme_tables(theme, scale, arch.layers[-1], dataset.targets, arch.activations[-1], plane)
            for name, theme in THEMES.items()
        },
    }  # fmt: skip
    if plane:
        points = dataset.inputs[:MAX_POINTS]
        data["plane"] = {
            "extent": list(plane_extent(dataset.inputs)), "grid": GRID, "panelGrid": PANEL_GRID,
            "tableSteps": TABLE_STEPS, "points": _b64(points.astype("<f4").tobytes()),
            "targets": _b64(dataset.targets[:MAX_POINTS].astype("<f4").tobytes()),
            "classification": bool(is_classification(dataset.targets)), "pointRadius": point_radius(len(points)),
            "classRgb": class_colours(arch.layers[-1]).tolist() if arch.layers[-1] > 1 else [],
        }  # fmt: skip
    if epoch_name(history, 0):  # an import: the checkpoint of each epoch shown, "step_400"
        data["frameNames"] = [epoch_name(history, int(e)) for e in epochs]
    return data


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
