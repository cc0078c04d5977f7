"""SVG stills: `netviz export still.svg` writes a vector picture with the PNG's parts."""

import xml.etree.ElementTree as ET

import numpy as np

from netviz.cli import main
from netviz.engine import History, Trainer, blog, blog_config
from netviz.export.svg import save_svg, svg_bytes
from netviz.render.still import RunFrames
from netviz.scene.style import THEMES

SVG = "{http://www.w3.org/2000/svg}"


def elements(root, tag: str) -> list:
    return list(root.iter(SVG + tag))


def test_export_writes_a_vector_still_of_the_last_epoch(qapp, tmp_path, capsys):
    path = tmp_path / "still.svg"
    assert main(["export", str(path), "--epochs", "300", "--size", "640x400", "--theme", "dark"]) == 0
    assert "epoch 300, 640x400" in capsys.readouterr().out
    root = ET.parse(path).getroot()
    assert root.tag == SVG + "svg" and root.get("viewBox") == "0 0 640 400"
    texts = [t.text for t in elements(root, "text")]
    assert any(t.startswith("epoch 300 ") for t in texts) and {"x1", "x2", "x3", "h1", "h4", "out"} <= set(texts)
    assert any(t.startswith("prediction ") for t in texts)  # under the output, as in the PNG
    # 16 synapses drawn as lines in their pen buckets, 8 neurons as circles, nothing as a picture
    lines = elements(root, "polyline") + elements(root, "line")
    assert len(lines) >= 8 and len(elements(root, "circle")) >= 8 and not elements(root, "image")
    background = elements(root, "path")[0]
    assert THEMES["dark"].background in ET.tostring(root, encoding="unicode")
    assert background.get("d").startswith("M0,0 L640,0 L640,400")
    # drawn 1:1 in the picture's pixels (a picture replayed at another resolution comes out scaled)
    assert {g.get("transform") for g in root.iter() if g.get("transform")} == {"matrix(1,0,0,1,0,0)"}
    assert all(", sans-serif" in g.get("font-family") for g in root.iter() if g.get("font-family"))


def test_each_epoch_is_drawn_with_its_own_weights(qapp, tmp_path):
    config, data = blog_config(), blog()
    history = History(config, data)
    Trainer(config, data).run(history, 2000)
    frames = RunFrames(history, inputs=data.new_situation)
    early, late = (svg_bytes(frames.frame(e), (800, 500)) for e in (0, 2000))
    assert early != late
    assert b"epoch 2,000" in late and b"epoch 0" in early
    save_svg(str(tmp_path / "a.svg"), frames.frame(2000), (800, 500))
    assert (tmp_path / "a.svg").read_bytes() == late


def test_each_neurons_map_is_clipped_to_its_disc_and_the_panel_stays_square(qapp, tmp_path):
    path = tmp_path / "circle.svg"
    assert main(["export", str(path), "--preset", "circle", "--epochs", "50", "--size", "800x500"]) == 0
    root = ET.parse(path).getroot()
    clips = {c.get("id"): c.find(SVG + "circle") for c in elements(root, "clipPath")}
    images = elements(root, "image")
    round_maps = [i for i in images if i.get("clip-path")]
    assert len(round_maps) == 9 and len(images) == 10  # 8 hidden neurons and the output; the output's panel
    for image in round_maps:
        disc = clips[image.get("clip-path")[len("url(#") : -1]]
        x, y, w = (float(image.get(k)) for k in ("x", "y", "width"))
        circle = [float(disc.get(k)) for k in ("cx", "cy", "r")]
        assert np.allclose(circle, (x + w / 2, y + w / 2, w / 2), atol=1e-3)
