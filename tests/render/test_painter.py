import numpy as np
import pytest

from netviz.engine.network import Architecture
from netviz.render.painter import Frame, render_image
from netviz.scene.scene import neuron_labels
from netviz.scene.style import THEMES, WeightScale


@pytest.fixture
def two_synapses(qapp):
    """A 2-1 network: x1 -> out weight +4, x2 -> out weight -1.5, drawn at 800x500."""
    arch = Architecture.of((2, 1))
    theta = np.array([4.0, -1.5])
    frame = Frame(arch, theta, THEMES["light"], WeightScale(5.0), neuron_labels(arch.layers), 0)
    image = render_image(frame, 800, 500, caption=False, sparkline=False)
    return frame, image


def pixels(image) -> np.ndarray:
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    a = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return a[:, : image.width(), 2::-1].copy()  # BGRA in memory -> RGB, owned (the image may go)


def crossing(column: np.ndarray, background) -> tuple[int, np.ndarray]:
    """Thickness (pixels not background) and the most saturated colour of a vertical cut."""
    mask = np.any(np.abs(column.astype(int) - background) > 30, axis=1)
    colours = column[mask].astype(int)
    strongest = colours[np.argmax(colours.max(axis=1) - colours.min(axis=1))]
    return int(mask.sum()), strongest


def line_cut(image, frame, edge: int):
    from netviz.render.painter import GeometryCache, network_rect

    g = GeometryCache().get(frame.arch.layers, network_rect(800, 500))
    x1, y1, x2, y2 = g.segments[edge]
    x = int((x1 + x2) / 2)
    y = (y1 + y2) / 2
    return pixels(image)[int(y) - 40 : int(y) + 40, x]


def test_positive_synapse_is_blue_negative_orange_heavier_thicker(two_synapses):
    frame, image = two_synapses
    background = np.array(THEMES["light"].rgb("background"))
    thick_pos, colour_pos = crossing(line_cut(image, frame, 0), background)
    thick_neg, colour_neg = crossing(line_cut(image, frame, 1), background)
    r, g, b = colour_pos
    assert b > r + 60 and b > g, f"positive weight should be blue, got {colour_pos}"
    r, g, b = colour_neg
    assert r > b + 60 and r > g, f"negative weight should be orange, got {colour_neg}"
    assert thick_pos > thick_neg + 2


def test_background_is_the_themes_exactly(two_synapses):
    _, image = two_synapses
    corner = pixels(image)[5, 5]
    assert tuple(corner) == THEMES["light"].rgb("background")


@pytest.mark.parametrize("size", [(16, 16), (32, 16), (33, 800), (16, 8192)])
def test_the_smallest_sizes_draw_without_qt_warnings(qapp, size):
    """The CLI accepts 16 to 8192 pixels a side; too narrow for the legend used to paint on a null image."""
    arch = Architecture.of((2, 1))
    frame = Frame(arch, np.array([4.0, -1.5]), THEMES["light"], WeightScale(5.0), neuron_labels(arch.layers), 0)
    image = render_image(frame, *size)
    assert (image.width(), image.height()) == size


def test_two_input_networks_show_the_output_over_the_plane(qapp):
    """A network that says 1 right of x = 0: the panel is blue on its right half, orange on its left
    (softened: the points on it keep the full colours)."""
    from netviz.render.painter import network_rect, panel_size
    from netviz.scene.plane import MAP_STRENGTH, diverging_rgb

    arch = Architecture.of((2, 1))
    inputs = np.array([[-1.0, 0.0], [1.0, 0.0]])
    frame = Frame(arch, np.array([12.0, 0.0]), THEMES["light"], WeightScale(20.0), neuron_labels(arch.layers), 0,
                  plane=(inputs, np.array([[0.0], [1.0]])))  # fmt: skip
    rendered = render_image(frame, 1000, 600, caption=False, sparkline=False)
    image = pixels(rendered)
    rect = network_rect(1000, 600, panel=True)
    side = panel_size(1000, rect.height)
    left, top = int(1000 - side - 16), int(rect.y + (rect.height - side) / 2)
    y = top + int(side * 0.25)  # above the points
    negative, positive = diverging_rgb(np.array([-1.0, 1.0]), THEMES["light"], MAP_STRENGTH).astype(int)
    assert np.abs(image[y, left + int(side * 0.1)] - negative).max() <= 1
    assert np.abs(image[y, left + int(side * 0.9)] - positive).max() <= 1
    assert rect.width < 1000 - side  # the network makes room for the panel


def blog_frame(theme: str = "light", epoch: int = 400) -> Frame:
    """The blog's network after `epoch` epochs, its neurons filled for the first training row."""
    from netviz.engine import History, Trainer, blog, blog_config

    config, data = blog_config(), blog()
    history = History(config, data)
    Trainer(config, data).run(history, epoch)
    arch = config.arch
    theta = history.weights_at(epoch)
    return Frame(arch, theta, THEMES[theme], WeightScale(10.0), neuron_labels(arch.layers), epoch,
                 loss=history.loss, inputs=data.inputs[0], targets=data.targets[0])  # fmt: skip


def played(picture, width: int, height: int, under=None):
    """A recorded picture played back (over `under`, another picture) into an RGB32 image."""
    from PyQt6.QtGui import QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0)
    painter = QPainter(image)
    if under is not None:
        painter.drawPicture(0, 0, under)
    painter.drawPicture(0, 0, picture)
    painter.end()
    return image


def record(frame, width, height, cache=None, **options):
    from PyQt6.QtGui import QPainter, QPicture

    from netviz.render.painter import is_recording, paint_frame

    picture = QPicture()
    painter = QPainter(picture)
    assert is_recording(painter)
    paint_frame(painter, width, height, frame, cache, **options)
    painter.end()
    return picture


def close_enough(a: np.ndarray, b: np.ndarray) -> float:
    """Share of pixels within 40 in every channel (antialiased edges may move by half a pixel; 2 px is 3.5%)."""
    return float((np.abs(a.astype(int) - b.astype(int)).max(axis=2) <= 40).mean())


def test_a_recorded_frame_plays_back_as_the_same_picture(qapp):
    """The window records frames (a QPicture) that Qt plays back: it must look like a still or a GIF frame."""
    from netviz.render.painter import GeometryCache

    frame = blog_frame()
    still = pixels(render_image(frame, 900, 560, GeometryCache()))
    recorded = pixels(played(record(frame, 900, 560, GeometryCache()), 900, 560))
    assert close_enough(still, recorded) > 0.999
    # ...and it is a drawing, not an empty picture: blue, orange and the dark filled inputs are there.
    for colour in ("positive", "negative", "neuron_on"):
        rgb = np.array(THEMES["light"].rgb(colour))
        assert (np.abs(recorded.astype(int) - rgb).max(axis=2) <= 8).sum() > 50, colour


def test_a_separate_backdrop_is_left_out_and_kept_as_a_picture(qapp):
    """The canvas shows the backdrop (background, legend, names) beneath and records only what moves."""
    from PyQt6.QtGui import QPicture

    from netviz.render.painter import GeometryCache

    frame, cache = blog_frame(), GeometryCache()
    front = record(frame, 900, 560, cache, separate_backdrop=True)
    backdrop = cache.backdrop_now
    assert isinstance(backdrop, QPicture)
    alone = pixels(played(front, 900, 560))
    assert tuple(alone[5, 5]) == (0, 0, 0)  # no background in the front picture
    both = pixels(played(front, 900, 560, under=backdrop))
    assert close_enough(both, pixels(render_image(frame, 900, 560))) > 0.999
    # The backdrop is made once while the look stays the same, and again when it changes.
    record(blog_frame(epoch=401), 900, 560, cache, separate_backdrop=True)
    assert cache.backdrop_now is backdrop
    record(blog_frame("dark"), 900, 560, cache, separate_backdrop=True)
    assert cache.backdrop_now is not backdrop


def test_cached_discs_look_like_drawn_ones(qapp):
    """Unzoomed, a neuron is a cached antialiased disc blitted in place; zoomed, it is drawn. Same picture."""
    from PyQt6.QtGui import QTransform

    from netviz.render.painter import GeometryCache, _disc_sprite

    frame = blog_frame()
    blitted = pixels(render_image(frame, 900, 560, GeometryCache(), caption=False))
    # A view that only barely zooms makes every disc an ellipse drawn in place.
    zoom = QTransform().scale(1.000001, 1.000001)
    drawn = pixels(render_image(frame, 900, 560, GeometryCache(), caption=False, view=zoom))
    assert close_enough(blitted, drawn) > 0.999
    first = _disc_sprite(20.0, (10, 20, 30), (1, 2, 3))
    assert _disc_sprite(20.0, (10, 20, 30), (1, 2, 3)) is first  # drawn once, then reused


def test_a_zoomed_network_leaves_the_caption_and_legend_alone(qapp):
    from PyQt6.QtGui import QTransform

    from netviz.render.painter import CAPTION_BAND, caption_scale, footer_height

    frame = blog_frame()
    plain = pixels(render_image(frame, 900, 560, caption=False, sparkline=False))
    zoom = QTransform().translate(-900, -500).scale(3, 3)  # about the middle: lines run off every edge
    zoomed = pixels(render_image(frame, 900, 560, caption=False, sparkline=False, view=zoom))
    footer = slice(560 - int(footer_height(900, 560)), 560)
    assert np.array_equal(zoomed[footer], plain[footer])  # the legend, untouched
    band = int(CAPTION_BAND * caption_scale(900, 560)) - 4
    assert np.array_equal(zoomed[:band], plain[:band])  # the caption's band
    assert not np.array_equal(zoomed[band : footer.start], plain[band : footer.start])  # the network did zoom


def test_the_hovered_outputs_large_map_shows_over_the_panel(qapp):
    """A hovered neuron's map is drawn last, like a tooltip: for the output it lies partly over
    the output's panel (at 700 pixels wide, where the output stands near it), and its frame must
    show there."""
    from netviz.render.painter import GeometryCache, network_rect, panel_size

    arch = Architecture.of((2, 3, 1))
    inputs = np.array([[-1.0, 0.0], [1.0, 0.0]])
    frame = Frame(arch, arch.init_params(1), THEMES["light"], WeightScale(2.0), neuron_labels(arch.layers), 0,
                  plane=(inputs, np.array([[0.0], [1.0]])), hover=5)  # fmt: skip
    cache = GeometryCache()
    image = pixels(render_image(frame, 700, 600, cache, caption=False, sparkline=False))
    rect = network_rect(700, 600, panel=True)
    g = cache.get(arch.layers, rect, frame.labels)
    x, y = g.centres[5]
    left = min(max(4.0, x + g.radii[5] + 8), 700 - 150 - 4)
    top = min(max(4.0, y - 75), 600 - 150 - 4)
    panel_left = 700 - panel_size(700, rect.height) - 16
    assert left + 150 > panel_left + 20  # the large map reaches into the panel...
    # ...and its right edge, a dark line, shows over the panel on every row of the map.
    edge = image[int(top) + 20 : int(top) + 130, int(left) + 148 : int(left) + 153].astype(int)
    assert (edge.sum(axis=2).min(axis=1) < 3 * 120).all()


def test_the_legend_shows_each_scales_ticks():
    from netviz.render.legend import legend_samples
    from netviz.scene.style import weight_scale

    assert legend_samples(weight_scale("log")) == [-50, -10, -1, -0.1, 0.1, 1, 10, 50]
    assert legend_samples(weight_scale("run", 21.3)) == [-25, -12.5, -2.5, 2.5, 12.5, 25]
    assert legend_samples(weight_scale("clamp")) == [-5, -2.5, -0.5, 0.5, 2.5, 5]


@pytest.mark.parametrize("kind", ["log", "run", "clamp"])
@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_the_legend_fits_its_box_setting_text_smaller_then_dropping_the_activation_key(qapp, kind, theme):
    """Nothing runs off the legend's right edge (it used to): at 448 pixels (a 480-pixel picture)
    both keys show, in smaller text; at 200 only the weights' key does."""
    from netviz.render.legend import legend_image
    from netviz.scene.style import weight_scale

    scale, look = weight_scale(kind, 21.3), THEMES[theme]
    background = np.array(look.rgb("background"))
    on = np.array(look.rgb("neuron_on"))
    for width, activation_key in ((448, True), (200, False)):
        image = pixels(legend_image(scale, look, width, 44))
        assert (image[:, -2:] == background).all()
        assert ((np.abs(image.astype(int) - on).max(axis=2) <= 8).sum() > 20) == activation_key  # the "1" disc


@pytest.mark.parametrize("think", [False, True])
def test_infinite_activations_draw_instead_of_failing(qapp, think):
    """A linear network fed 1e308 overflows to inf (and inf - inf to nan); the neurons still draw."""
    from netviz.scene.scene import Think

    arch = Architecture.of((3, 2, 1), "linear")
    theta = np.array([1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0])
    inputs = np.full(3, 1e308)
    frame = Frame(
        arch, theta, THEMES["light"], WeightScale(5.0), neuron_labels(arch.layers), 0,
        inputs=inputs, think=Think(progress=2.0) if think else None,
    )  # fmt: skip
    image = render_image(frame, 640, 400, caption=False, sparkline=False)
    background = np.array(THEMES["light"].rgb("background"))
    assert np.any(np.abs(pixels(image).astype(int) - background).sum(axis=2) > 60)


def test_a_value_too_large_for_a_neuron_reads_as_infinity():
    from netviz.render.painter import _short

    assert (_short(float("inf")), _short(float("-inf"))) == ("∞", "−∞")


def panel_box(width: int, height: int):
    """Where paint_frame puts the output's panel."""
    from netviz.render.painter import network_rect, panel_size

    rect = network_rect(width, height, panel=True)
    side = panel_size(width, rect.height)
    return width - side - 16, rect.y + (rect.height - side) / 2, side


def point_pixels(frame: Frame, width: int = 1000, height: int = 600):
    """The rendered picture and each training point's centre on it (x, y), as ints."""
    from netviz.scene.plane import plane_extent

    maps_points = frame.plane[0]
    image = pixels(render_image(frame, width, height, caption=False, sparkline=False))
    left, top, side = panel_box(width, height)
    x0, x1, y0, y1 = plane_extent(maps_points)
    px = left + (maps_points[:, 0] - x0) / (x1 - x0) * side
    py = top + side - (maps_points[:, 1] - y0) / (y1 - y0) * side
    return image, np.rint(px).astype(int), np.rint(py).astype(int)


# A = sigmoid(20 x), B = sigmoid(-20 x), C = sigmoid(20 y): A right and B left below y = 0, C above.
THREE_THETA = np.array([20.0, -20.0, 0.0, 0.0, 0.0, 20.0, 0.0, 0.0, 0.0])
# Every class's point on every class's region: right-low (A), left-low (B), top (C).
SPOTS = np.array([[0.8, -0.8], [-0.8, -0.8], [0.0, 0.8]])


def three_class_frame(theme: str) -> Frame:
    arch = Architecture.of((2, 3), bias=True)
    inputs = np.repeat(SPOTS, 3, axis=0) + np.tile([[-0.1, 0.0], [0.0, 0.0], [0.1, 0.0]], (3, 1))
    targets = np.tile(np.eye(3), (3, 1))  # at each spot, one point of each class
    labels = neuron_labels(arch.layers, ("x", "y"), ("A", "B", "C"))
    return Frame(arch, THREE_THETA, THEMES[theme], WeightScale(20.0), labels, 0, plane=(inputs, targets))


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_the_panel_of_several_outputs_shows_each_class_in_its_hue_with_a_key(qapp, theme):
    from netviz.scene.plane import plane_maps
    from netviz.scene.style import class_colours

    frame = three_class_frame(theme)
    image = pixels(render_image(frame, 1000, 600, caption=False, sparkline=False))
    left, top, side = panel_box(1000, 600)
    maps = plane_maps(frame.arch, frame.theta, *frame.plane, frame.theme)
    pale = maps.panel_rgb[-1, maps.panel_rgb.shape[1] // 2].astype(float)
    hues = class_colours(3).astype(float) - pale
    for k, (fx, fy) in enumerate([(0.95, 0.95), (0.05, 0.95), (0.5, 0.05)]):  # A, B, C regions, clear of points
        lean = image[int(top + side * fy), int(left + side * fx)].astype(float) - pale
        assert np.argmax(hues @ lean / np.linalg.norm(hues, axis=1)) == k
    # The key above the panel shows every class's hue exactly.
    above = image[int(top) - 40 : int(top), int(left) : int(left + side)].reshape(-1, 3)
    for hue in class_colours(3):
        assert (np.abs(above.astype(int) - hue).max(axis=1) == 0).any()


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_a_points_fill_is_its_class_colour_on_any_map_with_a_contrasting_ring(qapp, theme):
    """Each class's point sits on each class's region: its centre is its class's colour, and its
    ring stands apart from the map just outside it."""
    from netviz.render.plane import point_radius
    from netviz.scene.style import class_colours

    frame = three_class_frame(theme)
    image, px, py = point_pixels(frame)
    classes = np.argmax(frame.plane[1], axis=1)
    r = int(point_radius(len(px)))
    luma = np.array([0.299, 0.587, 0.114])
    for x, y, k in zip(px, py, classes):
        assert tuple(image[y, x]) == tuple(class_colours(3)[k])
        ring, outside = image[y - r, x].astype(float), image[y - r - 4, x].astype(float)
        assert abs(ring @ luma - outside @ luma) > 50


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_binary_points_keep_their_full_colour_on_the_other_classs_map(qapp, theme):
    arch = Architecture.of((2, 1))
    inputs = np.array([[-1.0, 0.5], [-1.0, -0.5], [1.0, 0.5], [1.0, -0.5]])
    targets = np.array([0.0, 1.0, 1.0, 0.0])  # one right and one wrong on each side
    frame = Frame(arch, np.array([12.0, 0.0]), THEMES[theme], WeightScale(20.0), neuron_labels(arch.layers), 0,
                  plane=(inputs, targets))  # fmt: skip
    image, px, py = point_pixels(frame)
    full = [THEMES[theme].rgb("positive" if t else "negative") for t in targets]
    assert [tuple(image[y, x]) for x, y in zip(px, py)] == full


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_a_misclassified_point_wears_a_thick_ring_in_the_text_colour(qapp, theme):
    from netviz.render.plane import point_radius

    arch = Architecture.of((2, 1))
    inputs = np.array([[-1.0, 0.5], [-1.0, -0.5]])
    targets = np.array([0.0, 1.0])  # both on the orange side: the second is misclassified
    frame = Frame(arch, np.array([12.0, 0.0]), THEMES[theme], WeightScale(20.0), neuron_labels(arch.layers), 0,
                  plane=(inputs, targets))  # fmt: skip
    image, px, py = point_pixels(frame)
    r = point_radius(2)
    text = np.array(THEMES[theme].rgb("text"))
    just_outside = round(r + 1)  # beyond a right point's ring, on a wrong one's thick ring
    right, wrong = image[py[0] - just_outside, px[0]], image[py[1] - just_outside, px[1]]
    assert np.abs(wrong.astype(int) - text).max() <= 20
    assert np.abs(right.astype(int) - text).max() > 60
