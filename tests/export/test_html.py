"""The HTML page without a browser: self-contained, sized, and its data decodes to the run's weights."""

import base64
import json
import math
import os
import re
import zlib

import numpy as np
import pytest

from netviz.cli import main
from netviz.engine import History, Trainer, blog, blog_config
from netviz.engine.runspec import DataSource, RunSpec
from netviz.export import html as page
from netviz.export.options import ExportOptions
from netviz.scene.scene import edge_weights

pytestmark = pytest.mark.usefixtures("qapp")  # the page measures names with the painter's fonts


def trained(config, data, epochs: int) -> History:
    history = History(config, data)
    Trainer(config, data).run(history, epochs)
    return history


@pytest.fixture(scope="module")
def blog_run() -> History:
    return trained(blog_config(), blog(), 2000)


def options_for(history, path="run.html", **settings) -> ExportOptions:
    data = history.dataset
    return ExportOptions(path, **settings).for_run(history.latest_epoch, data.n_in, data.new_situation)


def decoded_thetas(data: dict, n_params: int) -> np.ndarray:
    """The page's weights, decoded as the page's script decodes them."""
    t = data["thetas"]
    raw = zlib.decompress(base64.b64decode(t["data"]))
    if t["encoding"] == "f32":
        return np.frombuffer(raw, "<f4").reshape(-1, n_params)
    codes = np.cumsum(np.frombuffer(raw, np.uint8).reshape(-1, n_params), axis=0, dtype=np.uint64) % 256
    level = (codes & 127).astype(np.float64)
    values = np.where(level > 0, t["low"] * np.exp((level - 1) * math.log(t["range"]) / 126), 0.0)
    return np.where(codes & 128, -values, values)


def test_the_page_references_no_network_resource(blog_run, tmp_path):
    path = tmp_path / "run.html"
    page.write_html(str(path), blog_run, options_for(blog_run, str(path)))
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE)
    assert not re.search(r"<(link|img|iframe|audio|video|source)\b|\bsrc\s*=|@import|url\(", text, re.IGNORECASE)
    assert text.count("<script") == 2  # the data and the inline player, neither with a src


def test_the_page_holds_the_scheduled_epochs_weights_exactly_as_float32(blog_run):
    o = options_for(blog_run, frames=40, schedule="log")
    data = page.page_data(blog_run, o)
    arch = blog_run.config.arch
    thetas = decoded_thetas(data, arch.n_params)
    assert data["thetas"]["encoding"] == "f32" and len(data["epochs"]) == 40 and data["epochs"][-1] == 2000
    for k in (0, 17, 39):
        expected = blog_run.weights_at(data["epochs"][k]).astype(np.float32)
        assert np.array_equal(thetas[k], expected)


def test_large_runs_are_quantised_within_one_step_of_the_log_scale(monkeypatch, blog_run):
    monkeypatch.setattr(page, "EXACT_BYTES", 0)
    data = page.page_data(blog_run, options_for(blog_run, frames=30))
    thetas = decoded_thetas(data, blog_run.config.arch.n_params)
    for k, epoch in enumerate(data["epochs"]):
        w = blog_run.weights_at(epoch)
        big = np.abs(w) >= data["thetas"]["low"]
        ratio = thetas[k][big] / w[big]
        assert np.all(np.abs(ratio - 1) < 0.04), epoch  # a step is 7.5%: the nearest is within half of it


def test_the_blog_run_with_200_epochs_is_at_most_300_kb(tmp_path, capsys):
    path = tmp_path / "blog.html"
    assert main(["export", str(path), "--frames", "200"]) == 0
    assert path.stat().st_size <= 300_000
    assert f"wrote {path} (200 epochs" in capsys.readouterr().out


def test_the_layouts_are_the_painters(blog_run):
    from netviz.render.painter import network_rect
    from netviz.render.still import RunFrames

    data = page.page_data(blog_run, options_for(blog_run, size=(640, 400)))
    wide = data["layouts"][0]
    frames = RunFrames(blog_run)
    g = frames.cache.get(blog_run.config.arch.layers, network_rect(640, 400), frames.labels)
    assert (wide["width"], wide["height"]) == (640, 400)
    assert np.allclose(np.reshape(wide["centres"], (-1, 2)), g.centres, atol=1e-3)
    assert data["layouts"][1]["width"] == page.NARROW_SIZE[0]


def test_two_input_data_brings_its_maps_tables_and_points():
    config, data = RunSpec.following(DataSource("preset", "circle"), epochs=30).build()
    history = trained(config, data, 30)
    d = page.page_data(history, options_for(history, frames=10))
    (points_set,) = d["plane"]["sets"]  # a run never edited trains on one set of points
    assert points_set["classification"] and "panel" in d["layouts"][0] and d["plane"]["frameSet"] == [0] * 10
    points = np.frombuffer(base64.b64decode(points_set["points"]), "<f4").reshape(-1, 2)
    assert np.allclose(points, data.inputs, atol=1e-6)
    for name, theme in d["themes"].items():
        assert len(theme["diverging"]) == 3 * d["plane"]["tableSteps"]
        assert len(base64.b64decode(points_set["colours"][name])) == 3 * len(data.inputs)


def test_the_data_is_plain_json_and_cannot_close_its_script(blog_run):
    text = page.player_html(page.page_data(blog_run, options_for(blog_run)))
    payload = re.search(r'class="netviz-data">(.*?)</script>', text, re.S).group(1)
    data = json.loads(payload)
    assert data["labels"][:3] == ["x1", "x2", "x3"] and data["layers"] == [3, 4, 1]
    assert np.allclose(
        json.loads(json.dumps(edge_weights(blog_run.config.arch, blog_run.weights_at(0)).tolist())),
        decoded_thetas(data, 16)[0],
        atol=1e-6,
    )


def test_think_is_refused_for_a_page(tmp_path, capsys):
    assert main(["export", str(tmp_path / "a.html"), "--think", "--epochs", "10"]) == 2
    assert "think does not apply to .html: the page has a Think button" in capsys.readouterr().err
    assert not (tmp_path / "a.html").exists()


@pytest.mark.parametrize(("name", "said"), [("short.html", "(31 epochs,"), ("short.svg", "(epoch 30,")])
def test_a_run_shorter_than_the_default_frames_exports_every_epoch(qapp, tmp_path, capsys, name, said):
    assert main(["export", str(tmp_path / name), "--epochs", "30"]) == 0
    assert said in capsys.readouterr().out


@pytest.mark.parametrize("name", ["blog.html", "circle.html"])
def test_the_pages_in_assets_carry_this_players_script_and_style(name):
    from pathlib import Path

    text = (Path(__file__).parents[2] / "assets" / name).read_text(encoding="utf-8")
    assert page._asset("player.js") in text and page._asset("player.css") in text, "re-export the page"


@pytest.mark.parametrize("name", ["full.html", "full.svg"])
def test_a_full_disk_exits_2_with_one_line_and_leaves_nothing(qapp, tmp_path, capsys, full_disk, name):
    out = tmp_path / name
    assert main(["export", str(out), "--epochs", "20"]) == 2
    assert capsys.readouterr().err == f"netviz: error: {out}: cannot write (No space left on device)\n"
    assert os.listdir(tmp_path) == []


def test_a_phones_key_is_two_readable_rows_inside_its_width(blog_run):
    narrow = page.page_data(blog_run, options_for(blog_run))["layouts"][1]
    for look in narrow["looks"].values():
        for key in (*look["legend"], *look["thinkLegend"]):
            texts = {item[3]: item for item in key if item[0] == "text"}
            assert min(item[4] for item in texts.values()) >= 10  # pixels; a key shrunk to the width would be 7
            assert texts["activation"][2] > texts[key[0][3]][2]  # the fills' row under the lines'
            ends = [item[3] if item[0] == "line" else item[1] for item in key]
            assert min(ends) > 0 and max(ends) < narrow["width"]
