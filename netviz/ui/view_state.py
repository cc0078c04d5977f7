"""The view settings a session keeps, by name: written from the window, and read back as hints."""

from netviz.engine.runspec import MAX_EPOCHS
from netviz.player.model import SPEEDS
from netviz.scene.style import THEMES, WEIGHT_SCALES

# Sessions of netviz 0.1.0 stored the speed as the index of a menu of epochs *per frame*
# (smooth, 1, 10, 100, 1,000, full): the nearest speed in epochs per second at ~59 frames a second.
OLD_SPEED_INDEX = ("smooth", "100", "1000", "10000", "max", "max")


def view_settings(window) -> dict:
    """What a session keeps of the view, every setting by name."""
    return {"theme": window.theme_name, "weight_scale": window.weight_scale_kind, **window.playback.state()}


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_target(view: dict) -> int | None:
    target = view.get("target")
    return target if _is_int(target) and 1 <= target <= MAX_EPOCHS else None


def apply_view(window, view: dict) -> None:
    """Restore view settings: each is a hint, used only if valid (a bad one is left at its default)."""
    p, dataset = window.playback, window.dataset
    theme, scale = view.get("theme"), view.get("weight_scale")
    if isinstance(theme, str) and theme in THEMES:
        window.set_theme(theme)
    if isinstance(scale, str) and scale in WEIGHT_SCALES:
        window.set_weight_scale(scale)
    speed = view.get("speed")
    if _is_int(speed) and 0 <= speed < len(OLD_SPEED_INDEX):
        speed = OLD_SPEED_INDEX[speed]
    if isinstance(speed, str) and speed in SPEEDS:
        p.set_speed(speed)
    row = view.get("input_row")
    lowest = -1 if dataset.new_situation is not None else 0
    if _is_int(row) and lowest <= row < len(dataset):
        p.set_input_row(row)
    epoch = view.get("epoch")
    if _is_int(epoch) and 0 <= epoch <= p.latest:
        p.show(epoch)
    if view.get("follow") is True:
        p.go_end()
