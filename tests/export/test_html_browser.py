"""The HTML page in headless Chromium: it loads cleanly, fetches nothing, plays, scrubs, hovers,
thinks, switches themes, fits a phone, and draws the same colours in the same places as a snapshot."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from netviz.engine import History, Trainer, blog, blog_config
from netviz.engine.runspec import DataSource, RunSpec
from netviz.export import html as page
from netviz.export.animation import pixels, to_rgb
from netviz.export.options import ExportOptions
from netviz.render.painter import line_widths, network_rect, render_image
from netviz.render.still import RunFrames
from netviz.scene.scene import Geometry, edge_weights
from netviz.scene.style import THEMES
from tests.export.browser import Page, chromium

SIZE = (800, 500)
NEURON_TOLERANCE = 6  # per channel: a disc's fill is one flat colour in both
LINE_TOLERANCE = 24  # a line's middle: the two renderers antialias its edges a little differently

pytestmark = pytest.mark.usefixtures("qapp")  # the page measures names with the painter's fonts


def trained(config, data, epochs: int) -> History:
    history = History(config, data)
    Trainer(config, data).run(history, epochs)
    return history


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


@pytest.fixture(scope="module")
def blog_page(tmp_path_factory):
    history = trained(blog_config(), blog(), 3000)
    path = tmp_path_factory.mktemp("html") / "blog.html"
    data = history.dataset
    options = ExportOptions(str(path), frames=60, size=SIZE).for_run(3000, 3, data.new_situation)
    page.write_html(str(path), history, options)
    return path, history, page.page_data(history, options)


@pytest.fixture
def opened(browser, blog_page):
    p = Page(browser, blog_page[0])
    yield p
    p.close()


def test_loads_with_no_console_message_and_no_request_but_itself(opened):
    opened.page.wait_for_timeout(300)
    assert opened.errors == [] and opened.messages == []
    assert opened.requests == [opened.url]
    assert opened.attr("frame") == "0" and opened.attr("epoch") == "0"


def test_play_moves_through_the_epochs_and_stops_at_the_last(opened, blog_page):
    opened.page.select_option(".nv-speed", "60")
    opened.page.click(".nv-play")
    playing = "(p => p.dataset.frame > 5 && p.dataset.playing === 'true')(document.querySelector('.netviz-player'))"
    opened.page.wait_for_function(playing, timeout=15_000)
    opened.page.wait_for_function(
        "document.querySelector('.netviz-player').dataset.playing === 'false'", timeout=15_000
    )
    assert int(opened.attr("epoch")) == blog_page[2]["epochs"][-1] == 3000


@pytest.mark.parametrize("frame", [1, 23, 59])
def test_scrubbing_shows_that_epochs_weights(opened, blog_page, frame):
    _, history, data = blog_page
    opened.page.eval_on_selector(".nv-scrub", f"e => {{ e.value = {frame}; e.dispatchEvent(new Event('input')); }}")
    opened.page.wait_for_function(f"document.querySelector('.netviz-player').dataset.frame === '{frame}'")
    epoch = int(opened.attr("epoch"))
    assert epoch == data["epochs"][frame]
    shown = np.array(json.loads(opened.attr("weights")))
    expected = edge_weights(history.config.arch, history.weights_at(epoch))
    assert np.allclose(shown, expected.astype(np.float32), rtol=1e-6, atol=0)
    assert f"epoch {epoch:,}" in opened.page.text_content(".nv-epoch")


def canvas_rgb(p: Page) -> np.ndarray:
    shot = p.page.locator(".nv-frame").screenshot()
    return np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)


def snapshot_rgb(history, epoch: int, theme: str, inputs, scale: str = "log") -> np.ndarray:
    frames = RunFrames(history, theme, inputs, scale_kind=scale)
    image = render_image(frames.frame(epoch), *SIZE, frames.cache)
    return to_rgb(pixels(image)).astype(int)


def painted_geometry(history, size=SIZE) -> Geometry:
    """The neurons where the painter puts them: in its rectangle, with room for the names as it measures them."""
    frames = RunFrames(history)
    return frames.cache.get(history.config.arch.layers, network_rect(*size), frames.labels)


def sample_points(history, epoch: int, geometry: Geometry, scale_kind: str) -> tuple[list, list]:
    """Inside each neuron below its value, and the middle of each wide synapse that no other line or neuron crosses."""
    neurons = [(x, y + 0.65 * r) for (x, y), r in zip(geometry.centres, geometry.radii)]
    w = edge_weights(history.config.arch, history.weights_at(epoch))
    scale = RunFrames(history, scale_kind=scale_kind).scale
    widths = line_widths(scale, geometry.radius, len(w))[scale.bucket(w)]
    seg = geometry.segments
    mids = (seg[:, :2] + seg[:, 2:]) / 2
    lines = []
    for i, (mx, my) in enumerate(mids):
        a, ab = seg[:, :2], seg[:, 2:] - seg[:, :2]
        t = np.clip(((mids[i] - a) * ab).sum(1) / (ab**2).sum(1), 0, 1)
        d = np.hypot(*(a + ab * t[:, None] - mids[i]).T)
        d[i] = np.inf
        clear = (d > widths / 2 + widths[i] / 2 + 3).all()
        away = (np.hypot(*(geometry.centres - mids[i]).T) > geometry.radii + 6).all()
        if widths[i] >= 2.5 and clear and away:
            lines.append((mx, my))
    return neurons, lines


@pytest.mark.parametrize(
    ("theme", "scale"), [("light", "log"), ("dark", "log"), ("classic", "log"), ("light", "run"), ("dark", "clamp")]
)
def test_a_frame_has_the_snapshots_colours_in_the_same_places(qapp, browser, blog_page, tmp_path, theme, scale):
    path, history, data = blog_page
    if scale != "log":
        path = tmp_path / f"{scale}.html"
        options = ExportOptions(str(path), frames=60, size=SIZE, weight_scale=scale)
        page.write_html(str(path), history, options.for_run(3000, 3, history.dataset.new_situation))
    p = Page(browser, path)
    try:
        p.page.select_option(".nv-theme", theme)
        frame = 30
        p.call(f"player.show({frame})")
        p.page.wait_for_function(f"document.querySelector('.netviz-player').dataset.frame === '{frame}'")
        p.page.wait_for_timeout(100)
        epoch = data["epochs"][frame]
        shot = canvas_rgb(p)
    finally:
        p.close()
    snap = snapshot_rgb(history, epoch, theme, history.dataset.new_situation, scale)
    assert shot.shape == snap.shape == (SIZE[1], SIZE[0], 3)
    geometry = painted_geometry(history)
    neurons, lines = sample_points(history, epoch, geometry, scale)
    assert len(lines) >= 5
    for points, tolerance in ((neurons, NEURON_TOLERANCE), (lines, LINE_TOLERANCE)):
        for x, y in points:
            a, b = shot[round(y), int(x)], snap[round(y), int(x)]
            assert np.abs(a - b).max() <= tolerance, (theme, x, y, a, b)
    assert_same_key(shot, snap, data["layouts"][0]["looks"][theme]["legend"][0])
    background = THEMES[theme].rgb("background")
    assert tuple(shot[5, SIZE[0] - 5]) == background


def assert_same_key(shot: np.ndarray, snap: np.ndarray, key: list) -> None:
    """The key's sample lines and discs have the snapshot's colours in their middles."""
    middles = [((a[1] + a[3]) / 2, a[2]) for a in key if a[0] == "line"] + [(a[1], a[2]) for a in key if a[0] == "disc"]
    assert len(middles) >= 4
    for x, y in middles:
        a, b = shot[int(y), int(x)], snap[int(y), int(x)]
        assert np.abs(a - b).max() <= LINE_TOLERANCE, (x, y, a, b)


def test_think_draws_the_signal_over_faint_weights_and_its_key_as_the_painter_does(qapp, browser, blog_page):
    from netviz.scene.scene import Think

    path, history, data = blog_page
    p = Page(browser, path)
    try:
        p.page.select_option(".nv-theme", "dark")
        p.call("player.show(59)")
        p.page.click(".nv-think")
        p.page.wait_for_function("document.querySelector('.netviz-player').dataset.thinkLayer === '2'")
        p.page.wait_for_timeout(100)
        shot = canvas_rgb(p)
    finally:
        p.close()
    frames = RunFrames(history, "dark", history.dataset.new_situation)
    snap = to_rgb(pixels(render_image(frames.frame(3000, think=Think(2.0)), *SIZE, frames.cache))).astype(int)
    assert_same_key(shot, snap, data["layouts"][0]["looks"]["dark"]["thinkLegend"][0])
    geometry = painted_geometry(history)
    for (x, y), r in zip(geometry.centres, geometry.radii):
        a, b = shot[round(y + 0.65 * r), int(x)], snap[round(y + 0.65 * r), int(x)]
        assert np.abs(a - b).max() <= NEURON_TOLERANCE, (x, y, a, b)
    texts = [item[3] for item in data["layouts"][0]["looks"]["dark"]["thinkLegend"][0] if item[0] == "text"]
    assert texts[:2] == ["signal", "w·a"]


def test_hovering_a_neuron_and_a_synapse_tells_their_values(qapp, opened, blog_page):
    history = blog_page[1]
    geometry = painted_geometry(history)
    box = opened.page.locator(".nv-frame").bounding_box()
    x, y = geometry.centres[4]  # h2
    opened.page.mouse.move(box["x"] + x, box["y"] + y)
    tip = opened.page.locator(".nv-tip")
    assert tip.is_visible() and tip.text_content().startswith("h2") and "activation" in tip.text_content()
    (x1, y1, x2, y2) = geometry.segments[0]  # x1 -> h1
    opened.page.mouse.move(box["x"] + (x1 + x2) / 2, box["y"] + (y1 + y2) / 2)
    w = history.weights_at(0)[0]
    assert tip.text_content().startswith("x1 → h1") and f"{w:.4g}"[:4] in tip.text_content()


def test_think_lights_the_layers_one_after_another(opened):
    # The page records each layer it lights (a slow test process could miss one by polling).
    opened.page.evaluate("""() => {
        const player = document.querySelector('.netviz-player');
        window.lit = [];
        new MutationObserver(() => window.lit.push(player.dataset.thinkLayer))
            .observe(player, {attributes: true, attributeFilter: ['data-think-layer']});
    }""")
    opened.page.click(".nv-think")
    opened.page.wait_for_function("window.lit.includes('2')", timeout=10_000)
    assert opened.page.evaluate("[...new Set(window.lit)]") == ["0", "1", "2"]  # inputs, hidden layer, output
    assert opened.page.get_attribute(".nv-think", "aria-pressed") == "true"
    opened.page.click(".nv-play")  # playing ends the forward pass
    opened.page.wait_for_function("document.querySelector('.netviz-player').dataset.think === 'false'")


def test_keys_step_and_play(opened):
    opened.player.focus()
    opened.page.keyboard.press("ArrowRight")
    opened.page.keyboard.press("ArrowRight")
    opened.page.wait_for_function("document.querySelector('.netviz-player').dataset.frame === '2'")
    opened.page.keyboard.press("ArrowLeft")
    opened.page.wait_for_function("document.querySelector('.netviz-player').dataset.frame === '1'")
    opened.page.keyboard.press(" ")
    opened.page.wait_for_function("document.querySelector('.netviz-player').dataset.playing === 'true'")
    assert opened.page.text_content(".nv-play") == "Pause"


def test_a_large_network_draws_the_strongest_synapses_as_the_painter_does(qapp, browser, tmp_path):
    from netviz.engine import Architecture, Dataset, TrainConfig
    from netviz.scene.scene import MAX_DRAWN_EDGES, strongest_edges

    rng = np.random.default_rng(0)
    data = Dataset(rng.uniform(size=(16, 100)), rng.uniform(size=(16, 10)))
    config = TrainConfig(Architecture.of((100, 40, 10)), lr=0.05, epochs=30, init="glorot")
    history = trained(config, data, 30)
    path = tmp_path / "large.html"
    page.write_html(str(path), history, ExportOptions(str(path), frames=5).for_run(30, 100, data.inputs[0]))
    p = Page(browser, path)
    try:
        p.call("player.show(4)")
        p.page.wait_for_function("document.querySelector('.netviz-player').dataset.frame === '4'")
        shown = int(p.attr("synapses-shown"))
        assert p.errors == [] and p.messages == [] and p.attr("weights") is None  # 4,400 synapses: not listed
    finally:
        p.close()
    g = painted_geometry(history, (800, 500))
    w = edge_weights(config.arch, history.weights_at(30))
    assert shown == len(strongest_edges(w, g.edge_layer, MAX_DRAWN_EDGES)) < len(w)


def test_fits_a_phone_without_sideways_scrolling(browser, blog_page):
    p = Page(browser, blog_page[0], width=360, height=740)
    try:
        p.page.wait_for_timeout(100)
        width = p.page.evaluate("document.documentElement.scrollWidth")
        canvas = p.page.locator(".nv-frame").bounding_box()
        backing = p.page.evaluate("document.querySelector('.nv-frame').width")
    finally:
        p.close()
    assert width <= 360 and canvas["width"] <= 360
    assert backing == page.NARROW_SIZE[0]  # the narrow layout, drawn for the phone


def test_the_notebook_iframe_plays_the_page(browser, blog_page):
    import netviz

    player = netviz.show(blog_page[1], frames=20)
    tab = browser.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.set_content(f"<html><body><h1>notebook</h1>{player._repr_html_()}</body></html>")
        frame = tab.frames[1]
        frame.wait_for_selector(".netviz-player[data-ready=true]", timeout=10_000)
        frame.eval_on_selector(".netviz-player", "e => e.netviz.show(19)")
        frame.wait_for_function("document.querySelector('.netviz-player').dataset.epoch === '3000'")
    finally:
        tab.close()
    assert errors == []


@pytest.mark.parametrize("preset", ["circle", "three-classes", "plane", "multi-gaussian"])
def test_a_two_input_run_draws_its_maps_and_a_quantised_page_decodes(qapp, browser, tmp_path, monkeypatch, preset):
    monkeypatch.setattr(page, "EXACT_BYTES", 0)  # as a large network's page is
    config, data = RunSpec.following(DataSource("preset", preset), epochs=200).build()
    history = trained(config, data, 200)
    path = tmp_path / "circle.html"
    options = ExportOptions(str(path), frames=20, size=SIZE).for_run(200, 2, data.new_situation)
    page.write_html(str(path), history, options)
    p = Page(browser, path)
    try:
        p.call("player.show(19)")
        p.page.wait_for_timeout(100)
        shown = np.array(json.loads(p.attr("weights")))
        shot = canvas_rgb(p)
        assert p.errors == [] and p.messages == []
    finally:
        p.close()
    w = edge_weights(config.arch, history.weights_at(200))
    assert np.allclose(shown, w, rtol=0.04, atol=2e-4 * np.abs(w).max())
    snap = snapshot_rgb(history, 200, "light", data.new_situation)
    layout = page.page_data(history, options)["layouts"][0]
    x0, y0, side, _ = layout["panel"]
    # The output's map: the middle of the panel and a corner, away from the points' rings.
    for fx, fy in ((0.03, 0.03), (0.97, 0.97), (0.03, 0.97)):
        x, y = int(x0 + fx * side), int(y0 + fy * side)
        assert np.abs(shot[y, x] - snap[y, x]).max() <= 12, (fx, fy, shot[y, x], snap[y, x])
    # Each neuron's own map past the inputs, left and right of its middle (clear of its outline): a
    # regression output's on the targets' value scale.
    centres, radii = np.reshape(layout["centres"], (-1, 2)), layout["radii"]
    for n in range(2, len(centres)):
        for dx in (-0.45, 0.45):
            x, y = int(centres[n][0] + dx * radii[n]), int(centres[n][1])
            assert np.abs(shot[y, x] - snap[y, x]).max() <= 16, (n, dx, shot[y, x], snap[y, x])
