import numpy as np
import pytest

from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.learn import learn_step
from netviz.engine.network import Architecture
from netviz.engine.training import TrainConfig, Trainer
from netviz.scene.learn import GIF_STAGES, MIN_STAGE_FRAMES, STAGES, learn_scene, learn_schedule
from netviz.scene.scene import Geometry, Rect, edge_weights, neuron_labels
from netviz.scene.style import THEMES, log_scale


@pytest.fixture(scope="module")
def history() -> History:
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), epochs=5)
    history = History(config, blog())
    Trainer(config, blog()).run(history, 5)
    return history


def scene_at(history, stage, progress, row=None):
    learn = learn_step(history, 3, row)
    geometry = Geometry.build((3, 4, 1), Rect(0, 40, 800, 400))
    scene, marks = learn_scene(geometry, learn, stage, progress, THEMES["light"], log_scale(), neuron_labels((3, 4, 1)))
    return learn, scene, marks


@pytest.mark.parametrize("n", [1, 20, 21, 60, 333])
def test_schedule_runs_the_four_stages_in_order_with_enough_frames_each(n):
    schedule = learn_schedule(n)
    assert len(schedule) == max(n, 20)
    stages = [stage for stage, _ in schedule]
    assert sorted(set(stages), key=stages.index) == list(GIF_STAGES) == ["forward", "error", "backward", "update"]
    assert stages == sorted(stages, key=GIF_STAGES.index)
    for stage in GIF_STAGES:
        progress = [p for s, p in schedule if s == stage]
        assert len(progress) >= MIN_STAGE_FRAMES and progress[0] == 0.0 and progress[-1] == 1.0


def test_forward_lights_layers_as_the_signal_reaches_them(history):
    _, start, _ = scene_at(history, "forward", 0.0, row=2)
    _, middle, _ = scene_at(history, "forward", 0.5, row=2)
    learn, end, _ = scene_at(history, "forward", 1.0, row=2)
    lit = [np.isfinite(s.neuron_values).sum() for s in (start, middle, end)]
    assert lit == [3, 7, 8]
    np.testing.assert_allclose(end.neuron_values, np.concatenate([a[2] for a in learn.step.activations]))
    assert len(start.signal_segments) == 0 and len(end.signal_segments) > 0


def test_error_marks_each_output_with_target_minus_output(history):
    learn, _, marks = scene_at(history, "error", 1.0, row=4)
    assert np.isnan(marks.marks[:7]).all()
    assert marks.marks[7] == learn.step.error[4, 0]
    assert marks.notes[7].endswith(f"= {learn.step.error[4, 0]:+.3g}".replace("-", "−"))
    _, _, batch = scene_at(history, "error", 1.0)
    assert batch.marks[7] == pytest.approx(learn.step.error[:, 0].mean())
    assert batch.notes[7].count("rows:") == 1


def test_backward_grows_deltas_from_the_top_and_sends_shares_back(history):
    learn, half, early = scene_at(history, "backward", 0.25)
    _, full, late = scene_at(history, "backward", 1.0)
    deltas = np.concatenate([d.sum(axis=0) for d in learn.step.deltas])
    assert np.isnan(early.marks[3:7]).all() and early.marks[7] == pytest.approx(deltas[4])
    np.testing.assert_allclose(late.marks[3:], deltas)
    assert np.isnan(late.marks[:3]).all() and late.notes[:3] == ["", "", ""]
    # The shares travel from the target: every line starts at its synapse's target end.
    g = full.geometry
    assert len(full.signal_segments) > len(half.signal_segments) > 0
    assert {tuple(p) for p in full.signal_segments[:, :2]} <= {tuple(p) for p in g.centres[3:]}
    shares = np.concatenate([learn.shares(i).sum(axis=0).ravel() for i in range(2)])
    assert late.edge_max == pytest.approx(np.abs(shares).max())


def test_update_moves_every_synapse_from_w_to_w_plus_delta_w(history):
    learn, before, _ = scene_at(history, "update", 0.0)
    _, after, marks = scene_at(history, "update", 1.0)
    arch = learn.arch
    np.testing.assert_array_equal(before.weights, edge_weights(arch, learn.theta))
    np.testing.assert_array_equal(after.weights, edge_weights(arch, learn.step.theta_after))
    delta_w = np.concatenate([dw.ravel() for dw in learn.step.delta_w])
    assert [float(note.replace("−", "-")) for note in marks.edge_notes] == pytest.approx(delta_w, rel=0.05)


def test_every_stage_has_a_title_and_an_unknown_one_is_refused(history):
    for stage in STAGES:
        assert scene_at(history, stage, 0.5)[2].title
    with pytest.raises(ValueError, match="unknown stage"):
        scene_at(history, "sideways", 0.5)


def number(text: str) -> float:
    return float(text.replace("−", "-"))


def test_backward_lists_the_rows_deltas_on_the_output_whose_sum_it_shows(history):
    learn, _, marks = scene_at(history, "backward", 1.0)
    total, *rows = marks.notes[7].split("\n")
    assert number(total.removeprefix("Σ δ ")) == pytest.approx(learn.step.deltas[1][:, 0].sum(), rel=1e-2)
    each = [number(v) for v in " ".join(rows).removeprefix("rows: ").split()]
    np.testing.assert_allclose(each, learn.step.deltas[1][:, 0], rtol=0.05)
    assert marks.notes[4].startswith("δ ") and "\n" not in marks.notes[4]  # a hidden neuron: its sum only
    _, _, one = scene_at(history, "backward", 1.0, row=2)
    assert one.notes[7] == f"δ {learn.step.deltas[1][2, 0]:+.3g}".replace("-", "−")


def test_next_tells_the_error_before_and_after_the_step(history):
    learn, _, marks = scene_at(history, "next", 1.0, row=1)
    after = blog().targets[1, 0] - learn.arch.forward(learn.step.theta_after, blog().inputs[1:2])[-1][0, 0]
    was, now = marks.notes[7].split("\n")
    assert number(was.removeprefix("error ")) == pytest.approx(learn.step.error[1, 0], rel=1e-3)
    assert number(now.split()[1]) == pytest.approx(after, rel=1e-3)
    assert abs(after) < abs(learn.step.error[1, 0]) and now.endswith(")") and "(−" in now  # the error shrank
    _, _, batch = scene_at(history, "next", 1.0)
    assert batch.notes[7].startswith(f"mean |error| {np.abs(learn.step.error[:, 0]).mean():.4g}")


def test_update_caption_gives_the_runs_penalty():
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), epochs=3, l2=0.01)
    penalised = History(config, blog())
    Trainer(config, blog()).run(penalised, 3)
    _, _, marks = scene_at(penalised, "update", 1.0)
    assert marks.title == "update: each weight moves by Δw = lr × (Σ a·δ − k·l2·w)"
    _, _, forward = scene_at(penalised, "forward", 1.0)
    assert forward.title.endswith("a = f(a_below · w + b)")


def test_edge_notes_cover_no_other_note_nor_a_neuron_and_sit_on_their_synapse():
    from netviz.scene.learn import place_edge_notes

    geometry = Geometry.build((3, 4, 1), Rect(0, 40, 1100, 400))
    g = geometry
    sizes = np.full((len(g.segments), 2), (56.0, 14.0))
    discs = np.column_stack([g.centres, g.radii + 2])
    turns = g.edge_target - g.layer_start[g.edge_layer + 1]
    centres = place_edge_notes(g.segments, sizes, discs, turns)
    boxes = np.column_stack([centres - sizes / 2, centres + sizes / 2])
    for k, box in enumerate(boxes):
        others = np.delete(boxes, k, axis=0)
        overlap = (others[:, 0] < box[2]) & (others[:, 2] > box[0]) & (others[:, 1] < box[3]) & (others[:, 3] > box[1])
        assert not overlap.any(), k
        x1, y1, x2, y2 = g.segments[k]
        t = (centres[k, 0] - x1) / (x2 - x1)
        assert 0.1 < t < 0.8 and centres[k, 1] == pytest.approx(y1 + (y2 - y1) * t)
    fanned = centres[g.edge_source == 0]  # x1's synapses: not all at one distance, as a column would be
    assert len(np.unique(np.round(fanned[:, 0]))) > 1


def test_backward_caption_of_a_softmax_output_has_no_slope_at_the_outputs():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    config = TrainConfig(Architecture.of((2, 3, 3), ("tanh", "softmax"), True), lr=0.3, epochs=2)
    history = History(config, Dataset(x, np.eye(3)[[0, 1, 2, 0]]))
    Trainer(config, history.dataset).run(history, 2)
    learn = learn_step(history, 1)
    geometry = Geometry.build((2, 3, 3), Rect(0, 40, 800, 400))
    _, marks = learn_scene(geometry, learn, "backward", 1.0, THEMES["light"], log_scale(), neuron_labels((2, 3, 3)))
    assert marks.title.startswith("backward: δ = error at the softmax outputs, × slope below them")
