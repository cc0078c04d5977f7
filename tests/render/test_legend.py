import numpy as np
import pytest

from netviz.render.painter import footer_boxes, render_image
from netviz.scene.scene import Think
from netviz.scene.style import THEMES, activation_fill, weight_scale
from tests.render.test_painter import blog_frame, pixels


def pen_rgb(pen) -> np.ndarray:
    return np.array(pen.color().getRgb()[:3])


def exact(image: np.ndarray, rgb) -> np.ndarray:
    """(x, y) of the pixels of exactly this colour."""
    ys, xs = np.nonzero((image == np.array(rgb)).all(axis=2))
    return np.column_stack([xs, ys])


@pytest.mark.parametrize("theme", ["light", "dark", "classic"])
def test_a_tanh_networks_legend_shows_a_negative_activations_fill(qapp, theme):
    """-1 is filled in the negative colour, right of every weight sample (the weights' key has that
    colour too, on its left half); a sigmoid network's legend has no negative fill."""
    from netviz.render.legend import LegendKey, legend_image

    look, scale = THEMES[theme], weight_scale("log")
    negative_fill = activation_fill(np.array([-1.0]), look)[0]
    positive_weight = look.rgb("positive")
    for activations, shown in ((("tanh", "sigmoid"), True), (("sigmoid", "sigmoid"), False)):
        image = pixels(legend_image(scale, look, 560, 44, LegendKey(activations)))
        right_of_weights = exact(image, positive_weight)[:, 0].max()
        assert (exact(image, negative_fill)[:, 0] > right_of_weights).any() == shown, activations


def test_think_explains_the_signal_instead_of_the_weights(qapp):
    from netviz.render.legend import THINK_LABELS, LegendKey, line_key

    scale, look = weight_scale("log"), THEMES["light"]
    title, samples = line_key(scale, look, LegendKey(think=True), 1.0)
    assert title == ("signal", "w·a") and [label for _, label in samples] == list(THINK_LABELS)
    title, samples = line_key(scale, look, LegendKey(), 1.0)
    assert title == ("weight", "log scale") and samples[0][1] == "-50"
    # The frame's legend changes when Think shows a forward pass.
    frame = blog_frame()
    plain = pixels(render_image(frame, 900, 600, caption=False, sparkline=False))
    frame.think = Think(progress=2.0)
    thinking = pixels(render_image(frame, 900, 600, caption=False, sparkline=False))
    legend, _ = footer_boxes(900, 600, loss=False)
    rows, cols = slice(int(legend.top()), int(legend.bottom())), slice(int(legend.left()), int(legend.right()))
    assert not np.array_equal(plain[rows, cols], thinking[rows, cols])


def test_think_draws_the_weights_thin_and_faint_under_the_signal(qapp):
    from netviz.render.painter import _bucket_pens
    from netviz.render.primitives import MIN_LINE_WIDTH
    from netviz.scene.scene import THINK_EDGE_ALPHA

    scale, look = weight_scale("log"), THEMES["light"]
    background = np.array(look.rgb("background"))
    plain, dimmed = _bucket_pens(scale, look, 30.0, 16, 1.0), _bucket_pens(scale, look, 30.0, 16, THINK_EDGE_ALPHA)
    assert max(pen.widthF() for pen in plain) > 4 * MIN_LINE_WIDTH
    assert all(pen.widthF() == MIN_LINE_WIDTH for pen in dimmed)
    for a, b in zip(plain, dimmed):
        assert np.abs(pen_rgb(b) - background).sum() < np.abs(pen_rgb(a) - background).sum()


def test_a_480x300_picture_keeps_the_activation_key_and_the_loss_inset(qapp):
    """Smaller, inside the picture, side by side: the "1" disc and the loss cursor both show."""
    frame = blog_frame()
    legend, spark = footer_boxes(480, 300, loss=True)
    assert spark is not None and legend.right() < spark.left() and spark.right() <= 480 and spark.bottom() <= 300
    assert legend.height() < 44 and spark.height() < 40  # scaled down from 900x600
    image = pixels(render_image(frame, 480, 300))
    footer = image[int(legend.top()) :, : int(legend.right())]
    on = np.array(THEMES["light"].rgb("neuron_on"))
    assert (np.abs(footer.astype(int) - on).max(axis=2) <= 8).sum() > 10  # the activation key's "1" disc
    inset = image[int(spark.top()) : int(spark.bottom()), int(spark.left()) : int(spark.right()) + 1]
    assert (np.abs(inset.astype(int) - np.array(THEMES["light"].rgb("signal"))).max(axis=2) <= 8).any()


def test_the_legend_grows_with_the_picture(qapp):
    small, _ = footer_boxes(480, 300, loss=True)
    window, _ = footer_boxes(900, 600, loss=True)
    large, _ = footer_boxes(1920, 1080, loss=True)
    assert small.height() < window.height() < large.height()


def test_the_loss_insets_curve_passes_under_its_title_and_fills_the_box_otherwise(qapp):
    from PyQt6.QtCore import QRectF

    from netviz.render.legend import loss_curve_points, loss_title_box

    rect = QRectF(600, 450, 176, 36)
    _, title = loss_title_box(rect, "loss (log)")
    falling = np.geomspace(1.0, 1e-3, 400)
    rose = np.concatenate([falling[:200], np.full(200, 2.0)])  # new data at epoch 200: the loss jumps up
    px, py = loss_curve_points(rect, rose, title)
    under = px >= title.left() - 2
    assert under.any() and py[under].min() >= title.bottom() + 1
    px, py = loss_curve_points(rect, falling, title)  # low under the title already: the whole height
    assert np.isclose(py.min(), rect.top() + 3) and np.isclose(py.max(), rect.bottom() - 3)
