"""Draws netviz/assets/icon.png: the trained blog network, by netviz's own renderer.

Run from the repository root: python assets/make_icon.py
"""

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtGui import QColor, QImage, QPainter

from netviz.engine import History, Trainer, blog, blog_config
from netviz.render import ensure_gui_app
from netviz.render.painter import paint_network
from netviz.scene import THEMES, Geometry, Rect, WeightScale, build_scene


def main() -> None:
    ensure_gui_app()
    config, data = blog_config(), blog()
    trainer = Trainer(config, data)
    trainer.run(History(config, data), config.epochs)
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#eef3f8"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(8, 8, 240, 240, 48, 48)
    geometry = Geometry.build(config.arch.layers, Rect(4, 36, 248, 184))
    scale = WeightScale.for_weights(12, max_width=22)
    scene = build_scene(geometry, config.arch, trainer.theta, THEMES["light"], scale, inputs=[1, 1, 0], labels=[""] * 8)
    scene.neuron_values[:] = np.nan  # no numbers at icon size
    scene.output_notes = []
    paint_network(painter, scene)
    painter.end()
    image.save("netviz/assets/icon.png")


if __name__ == "__main__":
    main()
