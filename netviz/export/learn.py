"""The animation of one learning step: forward, error, backward and update, frame by frame."""

from netviz.engine.learn import learn_step
from netviz.export.animation import Animation, pixels
from netviz.export.options import ExportOptions, check_learn_applies
from netviz.render.learn import render_learn
from netviz.render.painter import GeometryCache
from netviz.scene.learn import learn_schedule
from netviz.scene.scene import neuron_labels
from netviz.scene.style import THEMES, largest_weight, weight_scale


def learn_animation(history, options: ExportOptions) -> Animation:
    """Epoch options.end -> end + 1 of history's run in stages, for filled-in options with learn set."""
    check_learn_applies(history)
    o = options
    arch, dataset = history.config.arch, history.dataset
    learn = learn_step(history, o.end, o.row)
    theme = THEMES[o.theme]
    run_max = largest_weight(history.keyframes()[:, arch.weight_index()]) if o.weight_scale == "run" else None
    scale = weight_scale(o.weight_scale, run_max)
    labels = neuron_labels(arch.layers, dataset.input_names, dataset.target_names)
    schedule = learn_schedule(o.frames)
    cache = GeometryCache()

    def frame(i: int):
        stage, progress = schedule[i]
        return pixels(render_learn(learn, stage, progress, o.size[0], o.size[1], theme, scale, labels, cache))

    return Animation(
        size=o.size, n_frames=len(schedule), frame=frame, fps=o.fps, hold_s=o.hold, loop=o.loop,
        exact_colours=tuple(theme.palette()), background=theme.rgb("background"),
    )  # fmt: skip
