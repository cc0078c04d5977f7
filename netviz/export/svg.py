"""SVG stills: a vector picture of one epoch, painted by the same painter as the window and PNGs."""

import re

from PyQt6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize
from PyQt6.QtGui import QPicture
from PyQt6.QtSvg import QSvgGenerator

from netviz.atomic import write_bytes
from netviz.export.options import ExportOptions
from netviz.render import ensure_gui_app
from netviz.render.painter import Frame, GeometryCache, network_rect, paint_frame, painting
from netviz.render.still import RunFrames


def svg_bytes(frame: Frame, size: tuple[int, int], caption: bool = True, title: str = "netviz") -> bytes:
    """The frame as an SVG document of size (width, height) pixels."""
    ensure_gui_app()
    width, height = size
    # Recorded into a QPicture first: the painter then draws every part as shapes and text (a raster
    # device gets cached images of the legend and neurons), and the picture replays them into the SVG.
    picture, cache = QPicture(), GeometryCache()
    with painting(picture) as painter:
        paint_frame(painter, width, height, frame, cache, caption=caption, sparkline=caption)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRectF(0, 0, width, height))
    # A picture replays scaled by the ratio of its resolution to the device's: the same, so 1:1.
    generator.setResolution(picture.logicalDpiX())
    generator.setTitle(title)
    with painting(generator) as painter:
        painter.drawPicture(QPointF(0, 0), picture)
    buffer.close()
    # Qt names the font's family only ("Sans Serif" on Linux, which browsers do not know): add the generic one.
    svg = re.sub(rb'font-family="([^"]*)"', rb'font-family="\1, sans-serif"', bytes(data))
    panel = frame.plane is not None and frame.arch.layers[0] == 2  # as paint_frame decides
    geometry = cache.get(frame.arch.layers, network_rect(width, height, panel=panel), frame.labels)
    return _round_maps(svg, geometry.centres, geometry.radii)


_IMAGE = re.compile(rb'<image x="([-\d.e]+)" y="([-\d.e]+)" width="([\d.e]+)" height="([\d.e]+)"')


def _round_maps(svg: bytes, centres, radii) -> bytes:
    """Each neuron's decision map clipped to its disc, as the painter clips it: QSvgGenerator writes
    no clip paths, so a map would show as a square."""
    discs = {(round(x - r, 1), round(y - r, 1), round(2 * r, 1)) for (x, y), r in zip(centres.tolist(), radii.tolist())}
    count = 0

    def clipped(match: re.Match) -> bytes:
        nonlocal count
        x, y, w, h = (float(v) for v in match.groups())
        if w != h or (round(x, 1), round(y, 1), round(w, 1)) not in discs:
            return match.group(0)  # the output's panel or a hovered neuron's large map: square
        count += 1
        disc = f'<circle cx="{x + w / 2:g}" cy="{y + h / 2:g}" r="{w / 2:g}"/>'
        clip = f'<clipPath id="netviz-disc-{count}">{disc}</clipPath>'
        return clip.encode() + match.group(0) + f' clip-path="url(#netviz-disc-{count})"'.encode()

    return _IMAGE.sub(clipped, svg)


def write_svg_still(path: str, history, options: ExportOptions) -> None:
    """The still of options.end (filled-in options), as `netviz export still.svg` writes it, atomically."""
    frames = RunFrames(history, options.theme, options.input, scale_kind=options.weight_scale)
    write_bytes(path, svg_bytes(frames.frame(options.end), options.size, options.caption))


def write_steps(path: str, history, options: ExportOptions):
    """write_svg_still as a generator of (done, total), as the export dialog drives export_steps."""
    yield 0, 1
    write_svg_still(path, history, options)
    yield 1, 1


def save_svg(path: str, frame: Frame, size: tuple[int, int]) -> None:
    """Write frame as an SVG picture to path, atomically (the window's Save picture as SVG)."""
    write_bytes(path, svg_bytes(frame, size))
