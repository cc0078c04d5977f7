"""Draws netviz/assets/icon.png: the trained blog network, by netviz's own renderer.

Run from the repository root: python assets/make_icon.py
"""

import numpy as np
from netviz.render import ensure_gui_app

app = ensure_gui_app()
from PyQt6.QtGui import QImage, QPainter, QColor
from PyQt6.QtCore import Qt
from netviz.render.painter import paint_network
from netviz.scene import Geometry, Rect, build_scene, THEMES, WeightScale
from netviz.engine import blog_config, blog, Trainer, History

cfg = blog_config()
d = blog()
t = Trainer(cfg, d)
h = History(cfg, d)
t.run(h, 60000)
img = QImage(256, 256, QImage.Format.Format_ARGB32)
img.fill(QColor(0, 0, 0, 0))
p = QPainter(img)
p.setRenderHint(QPainter.RenderHint.Antialiasing)
p.setBrush(QColor("#eef3f8"))
p.setPen(Qt.PenStyle.NoPen)
p.drawRoundedRect(8, 8, 240, 240, 48, 48)
g = Geometry.build(cfg.arch.layers, Rect(4, 36, 248, 184))
s = build_scene(
    g, cfg.arch, t.theta, THEMES["light"], WeightScale.for_weights(12, max_width=22), inputs=[1, 1, 0], labels=[""] * 8
)
s.neuron_values[:] = np.nan
s.output_notes = []
paint_network(p, s)
p.end()
img.save("netviz/assets/icon.png")
