"""Runs of every kind export as a page that plays in headless Chromium: softmax classes, regression
presets, features, regularisation, a test split, edits mid-run, a recording read by netviz.load and an
imported run without a loss."""

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PyQt6.QtCore import QRectF
from safetensors.numpy import save_file

import netviz
from netviz.cli import main
from netviz.engine.session import load_session
from netviz.export import html as page
from netviz.scene.scene import edge_weights
from tests.export.browser import Page, chromium

pytestmark = pytest.mark.usefixtures("qapp")  # the page measures names with the painter's fonts


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


def exported(tmp_path, *args) -> str:
    """`netviz export run.html ARGS` (saving the session too), the page's path."""
    path = tmp_path / "run.html"
    assert main(["export", str(path), "--frames", "30", "--size", "800x500", *args]) == 0
    return str(path)


def session_of(tmp_path, *args):
    """The History `netviz train ARGS --save` writes."""
    out = tmp_path / "run.netviz"
    assert main(["train", *args, "--save", str(out)]) == 0
    return load_session(out).history


def opened_at_last(browser, path) -> tuple[Page, dict]:
    """The page at its last exported epoch, and its data; fails on any console message or page error."""
    p = Page(browser, path)
    last = p.call("player.frames") - 1
    p.call(f"player.show({last})")
    p.page.wait_for_function(f"document.querySelector('.netviz-player').dataset.frame === '{last}'")
    p.page.wait_for_timeout(50)
    assert p.errors == [] and p.messages == []
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text.split('class="netviz-data">', 1)[1].split("</script>", 1)[0])
    return p, data


def loss_pixels(p: Page) -> np.ndarray:
    shot = p.page.locator(".nv-loss").screenshot()
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)


def test_a_softmax_run_names_its_classes_in_the_key(browser, tmp_path):
    path = exported(tmp_path, "--preset", "three-classes", "--epochs", "300")
    p, data = opened_at_last(browser, path)
    p.close()
    assert data["activations"][-1] == "softmax" and len(data["themes"]["light"]["classes"]) == 3 * 3 * 257
    texts = [item[3] for item in data["layouts"][0]["looks"]["light"]["classKey"] if item[0] == "text"]
    assert texts == data["labels"][-3:]
    assert data["lossText"][-1].startswith("loss ") and data["lossText"][-1] != "loss unknown"


@pytest.mark.parametrize("preset", ["plane", "multi-gaussian"])
def test_a_regression_preset_shades_its_points_by_value(browser, tmp_path, preset):
    path = exported(tmp_path, "--preset", preset, "--epochs", "200")
    p, data = opened_at_last(browser, path)
    p.close()
    (points,) = data["plane"]["sets"]
    assert data["activations"][-1] == "linear" and not points["classification"]
    assert points["reach"] > 0  # the maps' one value scale (their pixels: test_html_browser)


def test_a_feature_run_plays_with_its_features_as_inputs(browser, tmp_path):
    path = exported(tmp_path, "--preset", "circle", "--features", "x,y,x2,y2", "--epochs", "100")
    p, data = opened_at_last(browser, path)
    try:
        assert data["layers"][0] == 4 and data["labels"][:4] == ["x", "y", "x²", "y²"]
        p.page.select_option(".nv-row", "1")
        p.page.click(".nv-think")
        p.page.wait_for_function("document.querySelector('.netviz-player').dataset.thinkLayer === '2'")
        assert p.errors == [] and p.messages == []
    finally:
        p.close()


def snapshot_of(tmp_path, epoch: int, *args) -> np.ndarray:
    """`netviz snapshot --epoch EPOCH ARGS` at the page's size, as RGB."""
    out = tmp_path / f"epoch{epoch}.png"
    assert main(["snapshot", str(out), "--epoch", str(epoch), "--size", "800x500", *args]) == 0
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def canvas_at(p: Page, frame: int) -> np.ndarray:
    """The page's picture at `frame`, as RGB."""
    p.call(f"player.show({frame})")
    p.page.wait_for_function(f"document.querySelector('.netviz-player').dataset.frame === '{frame}'")
    p.page.wait_for_timeout(50)
    return np.asarray(Image.open(io.BytesIO(p.page.locator(".nv-frame").screenshot())).convert("RGB")).astype(int)


def test_a_feature_run_draws_the_panel_over_the_points_and_its_inputs_as_maps(browser, tmp_path):
    run = ["--preset", "circle", "--features", "x2,y2", "--epochs", "200"]
    p, data = opened_at_last(browser, exported(tmp_path, *run))
    shot = canvas_at(p, len(data["epochs"]) - 1)
    p.close()
    snap = snapshot_of(tmp_path, 200, *run)
    layout = data["layouts"][0]
    x0, y0, side, _ = layout["panel"]
    panel = np.s_[int(y0) + 2 : int(y0 + side) - 2, int(x0) + 2 : int(x0 + side) - 2]
    assert np.abs(shot[panel] - snap[panel]).mean() < 2  # the map over x and y, and the points on it
    centres, radii = np.reshape(layout["centres"], (-1, 2)), layout["radii"]
    for n in (0, 1):  # x² and y²: each input drawn as its feature's map
        for dx in (-0.6, 0.6):
            x, y = int(centres[n][0] + dx * radii[n]), int(centres[n][1])
            assert np.abs(shot[y, x] - snap[y, x]).max() <= 16, (n, dx, shot[y, x], snap[y, x])


def test_the_points_drawn_are_those_the_shown_epoch_was_trained_on(browser, tmp_path):
    run = ["--preset", "circle", "--epochs", "300", "--change", "150:noise=0.5"]
    p, data = opened_at_last(browser, exported(tmp_path, *run, "--schedule", "linear"))
    first, last = canvas_at(p, 0), canvas_at(p, len(data["epochs"]) - 1)
    p.close()
    x0, y0, side, _ = data["layouts"][0]["panel"]
    panel = np.s_[int(y0) + 2 : int(y0 + side) - 2, int(x0) + 2 : int(x0 + side) - 2]
    for shot, epoch in ((first, 0), (last, 300)):
        assert np.abs(shot[panel] - snapshot_of(tmp_path, epoch, *run)[panel]).mean() < 2, epoch
    assert len(data["plane"]["sets"]) == 2  # each set once


def test_each_frame_is_drawn_with_the_activations_it_was_trained_with(browser, tmp_path):
    run = ["--preset", "circle", "--epochs", "300", "--change", "150:activation=relu"]
    p, data = opened_at_last(browser, exported(tmp_path, *run, "--schedule", "linear"))
    first, last = canvas_at(p, 0), canvas_at(p, len(data["epochs"]) - 1)
    p.close()
    for shot, epoch in ((first, 0), (last, 300)):  # the hidden neurons' maps, the panel and the key
        assert np.abs(shot - snapshot_of(tmp_path, epoch, *run)).mean() < 1, epoch
    assert data["activationSets"] == [["tanh", "sigmoid"], ["relu", "sigmoid"]]


def test_a_regularised_run_exports_the_weights_it_trained(browser, tmp_path):
    args = ["--preset", "circle", "--epochs", "100", "--l1", "0.001", "--l2", "0.001"]
    history = session_of(tmp_path, *args)
    path = exported(tmp_path, *args)
    p, _ = opened_at_last(browser, path)
    weights = np.array(json.loads(p.attr("weights")))
    p.close()
    assert np.allclose(weights, edge_weights(history.config.arch, history.weights_at(100)), rtol=1e-6, atol=1e-7)


def test_a_test_split_draws_the_test_loss_beside_the_loss(browser, tmp_path):
    path = exported(tmp_path, "--preset", "circle", "--epochs", "200", "--test-fraction", "0.25")
    p, data = opened_at_last(browser, path)
    shot = loss_pixels(p)
    p.close()
    test = np.array(data["loss"]["test"], dtype=float)
    assert len(test) == len(data["loss"]["values"]) and np.isfinite(test).all()
    negative = np.array(page.THEMES["light"].rgb("negative"))
    assert (np.abs(shot - negative).max(axis=2) <= 40).sum() > 30  # the dashed test curve, in the negative colour


def near(shot: np.ndarray, colour) -> np.ndarray:
    """Where shot's pixels are within 60 of colour in every channel: a line's, not antialiased muted text's."""
    return np.abs(shot - np.array(colour)).max(axis=2) <= 60


def test_loss_curves_pass_under_their_titles(browser, tmp_path):
    """A loss that rose at the end (new noisier points) and a test loss above it: lines stay clear of the
    titles of the loss panel and of the inset."""
    from netviz.render.legend import loss_title_box
    from netviz.render.primitives import font_metrics, pixel_font

    run = ["--preset", "circle", "--epochs", "400", "--test-fraction", "0.3", "--change", "200:noise=0.6"]
    p, data = opened_at_last(browser, exported(tmp_path, *run))
    loss, frame = loss_pixels(p), canvas_at(p, len(data["epochs"]) - 1)
    p.close()
    light = page.THEMES["light"]
    title = "loss, test loss dashed (log)"  # at the panel's top right: 10 px, 4 px in from its right edge
    width = font_metrics(pixel_font(10)).horizontalAdvance(title)
    band = loss[6 : 6 + 11, int(loss.shape[1] - 8 - width) + 4 : loss.shape[1] - 8]
    assert near(band, light.rgb("muted")).sum() > 20  # the title is there...
    assert not near(band, light.rgb("text")).any() and not near(band, light.rgb("negative")).any()  # ...alone
    spark = data["layouts"][0]["spark"]
    _, box = loss_title_box(QRectF(*spark["rect"]), "loss (log)")
    inset = frame[int(box.top()) + 1 : int(box.bottom()), int(box.left()) + 2 : int(box.right())]
    assert near(inset, light.rgb("muted")).sum() > 10 and not near(inset, light.rgb("text")).any()


def test_an_edit_mid_run_is_captioned_as_the_playhead_passes_it(browser, tmp_path):
    path = exported(tmp_path, "--epochs", "6000", "--change", "3000:lr=0.1", "--schedule", "linear")
    p, data = opened_at_last(browser, path)
    try:
        assert data["edits"] == [{"epoch": 3000, "text": "epoch 3,000: learning rate 1 → 0.1"}]
        assert p.page.text_content(".nv-edit") == "epoch 3,000: learning rate 1 → 0.1"
        before = max(k for k, e in enumerate(data["epochs"]) if e < 3000)
        p.call(f"player.show({before})")
        p.page.wait_for_function(f"document.querySelector('.netviz-player').dataset.frame === '{before}'")
        p.page.wait_for_timeout(50)
        assert p.page.text_content(".nv-edit") == ""
    finally:
        p.close()


def test_a_recording_read_by_netviz_load_plays_in_the_notebooks_page(browser, tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-1, 1, size=(40, 2)), rng.uniform(size=(40, 3))
    y /= y.sum(axis=1, keepdims=True)
    with netviz.Recorder(
        tmp_path / "keras.netviz", layers=[2, 8, 3], activations=["relu", "softmax"], inputs=x, targets=y
    ) as rec:
        w1, w2 = rng.normal(size=(2, 8)), rng.normal(size=(8, 3))
        for k in range(12):  # as Keras's callback records: weights and biases at the end of each epoch
            rec.record([w1 * (1 + k / 10), w2], [np.zeros(8), np.zeros(3)], loss=1.0 / (k + 1))
    run = netviz.load(tmp_path / "keras.netviz")
    out = tmp_path / "keras.html"
    netviz.show(run).save(str(out))
    p, data = opened_at_last(browser, str(out))
    p.close()
    assert data["layers"] == [2, 8, 3] and data["epochs"][-1] == 11 and data["lossText"][-1] == "loss 0.08333"


def test_an_imported_run_without_a_loss_says_loss_unknown(browser, tmp_path):
    folder = tmp_path / "ckpt"
    folder.mkdir()
    rng = np.random.default_rng(1)
    for step in range(4):
        tensors = {"fc1.weight": rng.normal(size=(3, 2)), "fc2.weight": rng.normal(size=(1, 3))}
        save_file({k: v.astype("float32") for k, v in tensors.items()}, str(folder / f"step_{step}.safetensors"))
    assert main(["import", str(folder), "--out", str(tmp_path / "run.netviz")]) == 0
    assert main(["export", str(tmp_path / "run.html"), "--session", str(tmp_path / "run.netviz")]) == 0
    p, data = opened_at_last(browser, str(tmp_path / "run.html"))
    caption = p.attr("caption")
    p.close()
    assert data["lossText"] == ["loss unknown"] * 4 and caption == "epoch 3    loss unknown"
