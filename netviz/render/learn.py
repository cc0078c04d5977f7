"""Paints one moment of a learning step: the network scene of its stage, the stage's marks
(errors and deltas on neurons, Δw on synapses), a caption naming the stage and a legend for it."""

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QFont, QFontMetricsF, QImage, QPainter, QPen, QTransform

from netviz.engine.learn import LearnStep, row_name
from netviz.render.legend import LegendKey
from netviz.render.painter import (
    FOOTER_HEIGHT,
    GeometryCache,
    network_rect,
    paint_legend,
    paint_network,
    painting,
    pixel_font,
    qcolor,
)
from netviz.scene.learn import LearnMarks, learn_scene, place_edge_notes
from netviz.scene.scene import Scene
from netviz.scene.style import Theme, WeightScale

MIN_MARK = 0.18  # the smallest mark's radius, as a fraction of its neuron's: a tiny delta still shows its sign
MIN_NOTED_RADIUS = 9.0  # as for the values written in neurons
SMOOTH_UP_TO = 1_000  # synapses; past this, lines are drawn without antialiasing
CAPTION_HEIGHT = 52  # the band of the caption and the keys' hint, over the network
HINT = "← → step through the stages (and epochs) · Space plays them · hover a synapse or neuron for its numbers"


def paint_learn(
    painter: QPainter, width: int, height: int, learn: LearnStep, stage: str, progress: float,
    theme: Theme, scale: WeightScale, labels: list[str], cache: GeometryCache | None = None,
    view: QTransform | None = None, hint: bool = False,
) -> tuple[Scene, LearnMarks]:  # fmt: skip
    """The whole picture of one moment of the step: background, caption, network, marks and legend.

    `view` (the window's zoom and pan) applies to the network and its marks, not to the caption and
    legend; `hint` adds the window's keys under the caption."""
    geometry = (cache or GeometryCache()).get(learn.arch.layers, network_rect(width, height), labels)
    scene, marks = learn_scene(geometry, learn, stage, progress, theme, scale, labels)
    painter.fillRect(QRectF(0, 0, width, height), qcolor(theme.rgb("background")))
    painter.save()
    if view is not None:  # zoomed in, the network stays between the caption and the legend
        painter.setClipRect(QRectF(0, CAPTION_HEIGHT, width, max(1.0, height - FOOTER_HEIGHT - CAPTION_HEIGHT)))
        painter.setTransform(view, True)
    # Smooth lines cost most where many meet: a large network's are drawn plain.
    paint_network(painter, scene, antialias=len(geometry.segments) <= SMOOTH_UP_TO, labels=True)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _paint_marks(painter, scene, marks)
    _paint_edge_notes(painter, scene, marks)
    painter.restore()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _paint_caption(painter, width, learn, marks, theme, hint)
    legend = QRectF(16, height - FOOTER_HEIGHT + 10, max(1.0, width - 32), 44)
    _paint_stage_legend(painter, legend, marks, scale, theme, learn)
    return scene, marks


def render_learn(learn: LearnStep, stage: str, progress: float, width: int, height: int, theme, scale, labels,
                 cache: GeometryCache | None = None) -> QImage:  # fmt: skip
    """One moment of the step as an RGB32 image (a QGuiApplication must exist)."""
    image = QImage(int(width), int(height), QImage.Format.Format_RGB32)
    with painting(image) as painter:
        paint_learn(painter, width, height, learn, stage, progress, theme, scale, labels, cache)
    return image


def _sign_colour(value: float, theme: Theme):
    return qcolor(theme.rgb("negative" if value < 0 else "positive"))


def _paint_marks(painter: QPainter, scene: Scene, marks: LearnMarks) -> None:
    """Each marked neuron holds a disc of its value's sign colour, sized by sqrt(|value|); its note goes under it."""
    g, theme = scene.geometry, scene.theme
    painter.setPen(Qt.PenStyle.NoPen)
    for i in np.flatnonzero(np.isfinite(marks.marks)):
        v, (x, y), r = marks.marks[i], g.centres[i], g.radii[i]
        size = np.sqrt(abs(v) / marks.mark_max) if marks.mark_max > 0 else 0.0
        painter.setBrush(_sign_colour(v, theme))
        radius = r * max(MIN_MARK, 0.92 * size) * marks.grow[i]
        painter.drawEllipse(QPointF(x, y), radius, radius)
    font = pixel_font(12)
    painter.setFont(font)
    painter.setPen(qcolor(theme.rgb("text")))
    fm = QFontMetricsF(font)
    outputs = int(g.layer_start[-2])
    for i, note in enumerate(marks.notes):
        if note and g.radii[i] >= MIN_NOTED_RADIUS:  # smaller neurons stand too close for a note each
            x, y, r = g.centres[i, 0], g.centres[i, 1], g.radii[i]
            lines = note.split("\n")
            if i >= outputs and i + 1 < len(g.centres):  # as many lines as fit above the next output
                room = g.centres[i + 1, 1] - g.radii[i + 1] - (y + r + 2)
                lines = lines[: max(1, int(room // fm.lineSpacing()))]
            width = max(fm.horizontalAdvance(line) for line in lines) + 4
            height = fm.lineSpacing() * len(lines)
            if i < outputs:  # right of the neuron: the room under it holds the next neuron's name
                box = QRectF(x + r + 3, y - height / 2, width, height)
            else:  # under it, kept in the picture: the output's name is on its right
                left = min(max(g.rect.x + 4, x - width / 2), g.rect.x + g.rect.width - 4 - width)
                box = QRectF(left, y + r + 2, width, height)
            painter.fillRect(box, qcolor(theme.rgb("background"), 215))  # readable over the synapses
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, "\n".join(lines))


def _paint_edge_notes(painter: QPainter, scene: Scene, marks: LearnMarks) -> None:
    """Δw written on each synapse where it covers no other note nor a neuron, on a patch of background to read
    over lines; a note with no such room is left out."""
    if not marks.edge_notes:
        return
    theme = scene.theme
    font = pixel_font(11)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    background = qcolor(theme.rgb("background"), 215)
    g = scene.geometry
    sizes = np.array([(fm.horizontalAdvance(note) + 4, fm.height()) for note in marks.edge_notes])
    turns = g.edge_target - g.layer_start[g.edge_layer + 1]  # the target's place in its layer
    centres = place_edge_notes(g.segments, sizes, np.column_stack([g.centres, g.radii + 2]), turns)
    for (x, y), (w, h), note in zip(centres, sizes, marks.edge_notes):
        if np.isnan(x):
            continue
        box = QRectF(x - w / 2, y - h / 2, w, h)
        painter.fillRect(box, background)
        painter.setPen(_sign_colour(-1.0 if note.startswith("−") else 1.0, theme))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, note)


def _paint_caption(
    painter: QPainter, width: int, learn: LearnStep, marks: LearnMarks, theme: Theme, hint: bool
) -> None:
    """The stage's name, what it computes, and which epoch, row and step are shown; under it the change
    the step trained under and (hint) the keys."""
    bold = pixel_font(17)
    bold.setWeight(QFont.Weight.Bold)
    painter.setFont(bold)
    painter.setPen(qcolor(theme.rgb("text")))
    stage_width = QFontMetricsF(bold).horizontalAdvance(marks.stage) + 12
    painter.drawText(QRectF(16, 8, stage_width, 30), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     marks.stage)  # fmt: skip
    painter.setFont(pixel_font(13))
    painter.setPen(qcolor(theme.rgb("muted")))
    explanation = marks.title.split(": ", 1)[-1]
    painter.drawText(QRectF(16 + stage_width, 8, width - 32 - stage_width, 30),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, explanation)  # fmt: skip
    painter.setPen(qcolor(theme.rgb("text")))
    painter.drawText(QRectF(16, 8, width - 32, 30), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                     where_text(learn, marks.stage))  # fmt: skip
    painter.setFont(pixel_font(11))
    painter.setPen(qcolor(theme.rgb("muted")))
    below = QRectF(16, 34, width - 32, 16)
    if hint:
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, HINT)
    if learn.change:
        painter.drawText(below, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         f"trained as changed at {learn.change}")  # fmt: skip


def where_text(learn: LearnStep, stage: str) -> str:
    """'epoch 2,000 → 2,001, row 3' or '…, all 7 rows' with how the stage's numbers join them, and the
    step of a mini-batch epoch."""
    text = f"epoch {learn.epoch:,} → {learn.epoch + 1:,}, "
    if learn.row is not None:
        text += row_name(learn.row)
    else:
        joined = "summed" if stage == "backward" else ("" if stage == "update" else "averaged")
        text += f"all {len(learn.step.rows)} rows" + (f" ({joined})" if joined else "")
    if len(learn.steps) > 1:
        text += f" (step {learn.steps.index(learn.step) + 1} of {len(learn.steps)})"
    return text


def _paint_stage_legend(
    painter: QPainter, rect: QRectF, marks: LearnMarks, scale: WeightScale, theme: Theme, learn: LearnStep
) -> None:
    """One key per stage: the signal w·a while it travels, weights while they are the subject, else what
    the discs and lines mean (summed over the rows for the whole batch)."""
    summed = learn.row is None
    key = LegendKey(tuple(learn.arch.activations), think=marks.stage == "forward")
    if marks.stage in ("forward", "next"):
        paint_legend(
            painter, QRectF(rect.left(), rect.top(), min(560.0, rect.width()), rect.height()), scale, theme, key
        )
        return
    font = pixel_font(12)
    painter.setFont(font)
    fm = QFontMetricsF(font)
    x, y = rect.left(), rect.top() + 14
    if marks.stage == "update":
        paint_legend(painter, QRectF(rect.left(), rect.top(), min(420.0, rect.width() * 0.6), rect.height()),
                     scale, theme, key)  # fmt: skip
        x = rect.left() + min(420.0, rect.width() * 0.6) + 12
        if marks.edge_notes:
            text = f"numbers: Δw of each synapse, all rows of the step (largest {marks.edge_max:.3g})."
        else:
            text = f"lines: Δw by sign, wider for larger (largest {marks.edge_max:.3g}); hover a synapse for its own."
        text += " A Δw of the weight's own colour makes it stronger (a thicker line), of the other colour weaker."
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QRectF(x, rect.top(), rect.right() - x, rect.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                         text)  # fmt: skip
        return
    for sign, word in ((1.0, "+ (should rise)"), (-1.0, "− (should fall)")):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_sign_colour(sign, theme))
        painter.drawEllipse(QPointF(x + 7, y), 7, 7)
        painter.setPen(qcolor(theme.rgb("text")))
        painter.drawText(QPointF(x + 18, y + fm.ascent() / 2 - 1), word)
        x += 18 + fm.horizontalAdvance(word) + 14
    painter.setPen(qcolor(theme.rgb("text")))
    what = f"{marks.mark_name}: disc size √|{marks.mark_name}|, largest {marks.mark_max:.3g}"
    painter.drawText(QPointF(x, y + fm.ascent() / 2 - 1), what)
    if marks.edge_name:
        y2 = y + 22
        x = rect.left()
        for level, sign in ((3, 1.0), (0, 1.0), (3, -1.0)):
            pen = QPen(_sign_colour(sign, theme), 2.0 + 2.5 * level)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(x + 4, y2), QPointF(x + 26, y2))
            x += 32
        painter.setPen(qcolor(theme.rgb("text")))
        rows = " (summed over the rows)" if summed else ""
        text = f"each synapse's share {marks.edge_name}{rows}: width √|{marks.edge_name}|, "
        text += f"largest {marks.edge_max:.3g}; Δw = lr × the sum"
        painter.drawText(QPointF(x + 4, y2 + fm.ascent() / 2 - 1), text)
