"""Scene: pure-NumPy description of what to draw (geometry, colours, widths). Never imports Qt.

Its modules are imported by name (`netviz.scene.style`, `netviz.scene.scene`): the package itself
loads nothing, so that `netviz train` does not pay for what only drawing needs.
"""
