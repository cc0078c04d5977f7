"""Runs edited mid-way: every epoch of every segment is the run replayed with its edits from the start, bit for bit."""

import json
import zipfile
from dataclasses import replace

import numpy as np
import pytest

from netviz.engine import segments
from netviz.engine.changes import Change
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.runspec import DataSource, RunSpec
from netviz.engine.session import SessionError, load_session, save_session
from netviz.engine.training import Trainer

EDIT_AT, FIRST_UNTIL, UNTIL = 37, 80, 120  # the edit drops the first run's epochs 38..80


def lab_spec(**settings) -> RunSpec:
    data = DataSource("preset", "xor-quadrants", preset_seed=2, noise=0.1, points=40)
    return RunSpec(data=data, hidden=(4,), activations=("tanh", "sigmoid"), bias=True, lr=0.05, batch=8,
                   epochs=UNTIL, test_fraction=0.25, **settings)  # fmt: skip


def small_history(config, dataset, test) -> History:
    """A history with room for 12 keyframes, so that most epochs are replayed from one."""
    return History(config, dataset, budget_bytes=int(12 * 8 * config.arch.n_params / 0.8), test=test)


def reference(pieces, until) -> list[np.ndarray]:
    """theta of epochs 0..until from fresh trainers, one per piece: (start, config, rows, test, theta or None)."""
    thetas = []
    for k, (start, config, rows, test, theta) in enumerate(pieces):
        end = pieces[k + 1][0] if k + 1 < len(pieces) else until + 1
        trainer = Trainer(config, rows, test)
        if theta is not None:
            trainer.set_state(theta, start)
        for _ in range(start, end):
            thetas.append(trainer.theta.copy())
            trainer.advance(1)
    return thetas


def edited_run(edit):
    """(history, spec, config, rows, test): the lab run trained to FIRST_UNTIL, edited at EDIT_AT, then to UNTIL."""
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = small_history(config, rows, test)
    segments.resume(history).run(history, FIRST_UNTIL)
    edit(history, spec)
    assert history.latest_epoch == EDIT_AT - 1  # the later epochs are gone
    segments.resume(history).run(history, UNTIL)
    return history, spec, config, rows, test


def before_edit(config, rows, test) -> np.ndarray:
    return reference([(0, config, rows, test, None)], EDIT_AT)[EDIT_AT]


def assert_exact(history, pieces):
    thetas = reference(pieces, UNTIL)
    assert history.stride > 1 and len(thetas) == len(history) == UNTIL + 1
    for epoch in range(UNTIL + 1):
        np.testing.assert_array_equal(history.weights_at(epoch), thetas[epoch], err_msg=f"epoch {epoch}")


@pytest.mark.parametrize(
    ("settings", "changed"),
    [
        ({"lr": 0.01}, lambda c: replace(c, lr=0.01)),
        ({"l1": 0.002, "l2": 0.01}, lambda c: replace(c, l1=0.002, l2=0.01)),
        ({"batch": None}, lambda c: replace(c, batch=None)),
        ({"batch": 3}, lambda c: replace(c, batch=3)),
        ({"activation": "relu"}, lambda c: replace(c, arch=Architecture((2, 4, 1), ("relu", "sigmoid"), True))),
        ({"activation2": "tanh"}, lambda c: replace(c, arch=Architecture((2, 4, 1), ("tanh", "tanh"), True))),
    ],
)
def test_a_settings_change_replays_exactly(settings, changed):
    history, _, config, rows, test = edited_run(lambda h, spec: segments.change_settings(h, EDIT_AT, settings))
    pieces = [(0, config, rows, test, None), (EDIT_AT, changed(config), rows, test, before_edit(config, rows, test))]
    assert_exact(history, pieces)
    assert [s.start for s in history.segments] == [0, EDIT_AT]
    assert history.segments[1].edit["kind"] == "settings"


def test_a_noise_change_regenerates_the_points_with_the_same_seed_and_split():
    history, _, config, rows, test = edited_run(lambda h, s: segments.change_settings(h, EDIT_AT, {"noise": 0.4}, s))
    noisy = DataSource("preset", "xor-quadrants", preset_seed=2, noise=0.4, points=40).load()
    held = np.zeros(40, dtype=bool)
    held[np.sort(np.random.default_rng((0x7E57, 2)).permutation(40)[:10])] = True
    new_rows, new_test = history.segments[1].dataset, history.segments[1].test
    np.testing.assert_array_equal(new_rows.inputs, noisy.inputs[~held])
    np.testing.assert_array_equal(new_test.inputs, noisy.inputs[held])
    pieces = [(0, config, rows, test, None), (EDIT_AT, config, new_rows, new_test, before_edit(config, rows, test))]
    assert_exact(history, pieces)
    assert segments.describe(history.segments[1].edit) == "noise 0.1 → 0.4"


def test_a_weight_set_by_hand_replays_exactly():
    position = segments.weight_position(Architecture((2, 4, 1), ("tanh", "sigmoid"), True), 1, 2, 0)
    history, _, config, rows, test = edited_run(lambda h, s: segments.set_weights(h, EDIT_AT, {position: 2.5}))
    theta = before_edit(config, rows, test)
    theta[position] = 2.5
    assert_exact(history, [(0, config, rows, test, None), (EDIT_AT, config, rows, test, theta)])
    np.testing.assert_array_equal(history.weights_at(EDIT_AT), theta)  # the edited epoch shows the edit
    assert segments.describe(history.segments[1].edit) == "a weight set by hand"


def test_points_added_and_removed_replay_exactly():
    new_inputs, new_targets = np.array([[0.5, 0.5], [-0.4, 0.3]]), np.array([[1.0], [0.0]])
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = small_history(config, rows, test)
    segments.resume(history).run(history, FIRST_UNTIL)
    segments.add_points(history, EDIT_AT, new_inputs, new_targets)
    segments.resume(history).run(history, 60)
    segments.remove_points(history, 60, [0, 3])
    segments.resume(history).run(history, UNTIL)
    added = replace(rows, inputs=np.vstack([rows.inputs, new_inputs]), targets=np.vstack([rows.targets, new_targets]))
    keep = np.setdiff1d(np.arange(len(added)), [0, 3])
    removed = replace(added, inputs=added.inputs[keep], targets=added.targets[keep])
    theta37 = before_edit(config, rows, test)
    theta60 = reference([(0, config, rows, test, None), (EDIT_AT, config, added, test, theta37)], 60)[60]
    pieces = [
        (0, config, rows, test, None),
        (EDIT_AT, config, added, test, theta37),
        (60, config, removed, test, theta60),
    ]
    assert_exact(history, pieces)
    assert [segments.describe(s.edit) for s in history.segments] == ["start", "2 points added", "2 points removed"]
    assert history.outputs_at(61).shape == (len(removed), 1)


def test_losses_of_every_segment_are_those_of_its_rows():
    history, _, config, _, _ = edited_run(lambda h, s: segments.change_settings(h, EDIT_AT, {"noise": 0.5}, s))
    for epoch in (0, EDIT_AT - 1, EDIT_AT, UNTIL):
        segment = history.segment_at(epoch)
        out = config.arch.forward(history.weights_at(epoch), segment.dataset.inputs)[-1]
        test_out = config.arch.forward(history.weights_at(epoch), segment.test.inputs)[-1]
        assert history.loss[epoch] == pytest.approx(np.mean((segment.dataset.targets - out) ** 2), rel=1e-12)
        assert history.test_loss[epoch] == pytest.approx(np.mean((segment.test.targets - test_out) ** 2), rel=1e-12)


def test_losses_past_the_exact_part_are_replayed_within_their_segment():
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = small_history(config, rows, test)
    history.loss_exact_until = min(history.loss_exact_until, 10)  # as in a long run: later losses are replayed
    changes = [Change(30, (("lr", 0.2),)), Change(55, (("activation", "relu"),))]
    segments.train(history, 90, changes, spec)
    reference_history = History(config, rows, test=test)
    segments.train(reference_history, 90, changes, spec)
    np.testing.assert_array_equal(np.asarray(history.loss), np.asarray(reference_history.loss))
    np.testing.assert_array_equal(np.asarray(history.test_loss), np.asarray(reference_history.test_loss))
    # The curve's buckets hold the kept epochs only: the epochs each edit dropped are gone from them too.
    loss = np.asarray(reference_history.loss)
    firsts, minima, maxima = history.loss_buckets()
    ends = [*firsts[1:], len(loss)]
    assert len(firsts) > 1
    assert minima.tolist() == [loss[a:b].min() for a, b in zip(firsts, ends)]
    assert maxima.tolist() == [loss[a:b].max() for a, b in zip(firsts, ends)]
    test_loss = np.asarray(reference_history.test_loss)
    test_firsts, test_minima, test_maxima = history.test_loss_buckets()
    np.testing.assert_array_equal(test_firsts, firsts)
    assert test_minima.tolist() == [test_loss[a:b].min() for a, b in zip(firsts, ends)]
    assert test_maxima.tolist() == [test_loss[a:b].max() for a, b in zip(firsts, ends)]


def test_scheduled_changes_train_the_same_as_edits_made_by_hand():
    spec = lab_spec()
    config, rows, test = spec.build_split()
    scheduled = History(config, rows, test=test)
    segments.train(scheduled, UNTIL, [Change.parse("50:lr=0.2,l2=0.001"), Change.parse("20:batch=full")], spec)
    by_hand = History(config, rows, test=test)
    segments.resume(by_hand).run(by_hand, 20)
    segments.change_settings(by_hand, 20, {"batch": None})
    segments.resume(by_hand).run(by_hand, 50)
    segments.change_settings(by_hand, 50, {"lr": 0.2, "l2": 0.001})
    segments.resume(by_hand).run(by_hand, UNTIL)
    np.testing.assert_array_equal(scheduled.keyframes(), by_hand.keyframes())
    assert [segments.describe(s.edit) for s in scheduled.segments] == [
        "start", "rows per step 8 → full", "learning rate 0.05 → 0.2, L2 rate 0 → 0.001",
    ]  # fmt: skip


def test_an_edit_at_epoch_0_replaces_the_start():
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.train(history, 10, [Change.parse("0:lr=0.3")], spec)
    assert [s.start for s in history.segments] == [0, 0]  # the run's own start stays, trained for no epochs
    assert history.segments[0].config == config and history.config == replace(config, lr=0.3)
    assert (
        reference([(0, replace(config, lr=0.3), rows, test, None)], 10)[10].tolist() == history.weights_at(10).tolist()
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lr=0.1", "EPOCH:KEY=VALUE"),
        ("x:lr=0.1", "whole number"),
        ("10:speed=3", "unknown setting 'speed'"),
        ("10:lr=0", "lr must be a positive number"),
        ("10:l2=-1", "l2 must be 0 or more"),
        ("10:noise=2", "noise must be 0 to 1"),
        ("10:batch=0", "batch must be 'full'"),
        ("10:activation=soft", "activation must be one of"),
        ("10:lr", "is not KEY=VALUE"),
    ],
)
def test_bad_changes_are_one_line(text, message):
    with pytest.raises(ValueError, match=message) as info:
        Change.parse(text)
    assert "\n" not in str(info.value)


def test_changes_that_do_not_fit_the_run_are_refused():
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.resume(history).run(history, 5)
    with pytest.raises(ValueError, match="the network has 2 weight layers"):
        segments.change_settings(history, 3, {"activation3": "relu"})
    with pytest.raises(ValueError, match="noise applies to a preset's points"):
        segments.change_settings(history, 3, {"noise": 0.2}, RunSpec())
    with pytest.raises(IndexError):
        segments.change_settings(history, 6, {"lr": 0.1})
    assert len(history) == 6 and len(history.segments) == 1  # nothing changed


def hand_edited_history():
    """The lab run with a weight set by hand at 20, 2 points added at 45 and 1 removed at 70, trained to 100."""
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.resume(history).run(history, 20)
    segments.set_weights(history, 20, {0: -3.0, 5: 1.5})
    segments.resume(history).run(history, 45)
    segments.add_points(history, 45, [[0.9, 0.9], [-0.9, 0.8]], [[1.0], [0.0]])
    segments.resume(history).run(history, 70)
    segments.remove_points(history, 70, [4])
    segments.resume(history).run(history, 100)
    return spec, history


def test_a_session_keeps_hand_edits_and_replays_them_between_keyframes(tmp_path, monkeypatch):
    monkeypatch.setattr("netviz.engine.session.KEYFRAME_BYTES", 2048)
    spec, history = hand_edited_history()
    save_session(tmp_path / "run.netviz", history, spec=spec)
    loaded = load_session(tmp_path / "run.netviz").history
    assert loaded.stride > 1
    for epoch in range(101):
        np.testing.assert_array_equal(loaded.weights_at(epoch), history.weights_at(epoch), err_msg=str(epoch))
    np.testing.assert_array_equal(np.asarray(loaded.loss), np.asarray(history.loss))
    np.testing.assert_array_equal(np.asarray(loaded.test_loss), np.asarray(history.test_loss))
    assert [segments.describe(s.edit) for s in loaded.segments] == [
        "start", "2 weights set by hand", "2 points added", "1 point removed",
    ]  # fmt: skip
    assert [len(s.dataset) for s in loaded.segments] == [30, 30, 32, 31]
    # Training on from the file is training on from the run.
    for h in (history, loaded):
        segments.resume(h).run(h, 130)
    np.testing.assert_array_equal(loaded.weights_at(130), history.weights_at(130))


def test_a_session_with_bad_segments_is_refused_in_one_line(tmp_path):
    spec, history = hand_edited_history()
    path = tmp_path / "run.netviz"
    save_session(path, history, spec=spec)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["segments"][2]["start"] = 10  # before the segment it follows
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(SessionError, match="is damaged \\(segment 2 starts at epoch 10\\)") as info:
        load_session(path)
    assert "\n" not in str(info.value)


def test_test_rows_change_no_weight():
    config, rows, test = lab_spec().build_split()
    with_test, without = History(config, rows, test=test), History(config, rows)
    segments.resume(with_test).run(with_test, 50)
    segments.resume(without).run(without, 50)
    np.testing.assert_array_equal(with_test.keyframes(), without.keyframes())
    np.testing.assert_array_equal(np.asarray(with_test.loss), np.asarray(without.loss))
    assert np.isnan(np.asarray(without.test_loss)).all() and np.isfinite(np.asarray(with_test.test_loss)).all()


@pytest.mark.parametrize("edit_at", [0, 13, EDIT_AT, FIRST_UNTIL])
def test_undo_puts_back_the_dropped_epochs_bit_for_bit(edit_at):
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = small_history(config, rows, test)
    segments.train(history, FIRST_UNTIL, [Change.parse("20:lr=0.2"), Change.parse("50:activation=relu")], spec)
    before = [history.weights_at(e) for e in range(FIRST_UNTIL + 1)]
    before_loss, before_test = np.asarray(history.loss).copy(), np.asarray(history.test_loss).copy()
    point = segments.undo_point(history)
    segments.set_weights(history, edit_at, {1: 9.0})
    segments.resume(history).run(history, UNTIL)
    trainer = segments.undo(history, point)
    assert history.latest_epoch == trainer.epoch == FIRST_UNTIL
    assert [s.start for s in history.segments] == [0, 20, 50]
    for epoch in range(FIRST_UNTIL + 1):
        np.testing.assert_array_equal(history.weights_at(epoch), before[epoch], err_msg=str(epoch))
    np.testing.assert_array_equal(np.asarray(history.loss), before_loss)
    np.testing.assert_array_equal(np.asarray(history.test_loss), before_test)
    trainer.run(history, FIRST_UNTIL + 5)  # and training goes on as the run would have
    np.testing.assert_array_equal(history.weights_at(FIRST_UNTIL + 5), reference_tail(spec, FIRST_UNTIL + 5))


def reference_tail(spec, until):
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.train(history, until, [Change.parse("20:lr=0.2"), Change.parse("50:activation=relu")], spec)
    return history.weights_at(until)


def test_settings_given_as_numpy_numbers_are_stored_as_plain_values(tmp_path):
    spec = lab_spec()
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.resume(history).run(history, 10)
    segments.change_settings(history, 5, {"lr": np.float64(0.2), "batch": np.int64(4), "activation1": "RELU"})
    segments.resume(history).run(history, 10)
    assert history.config.batch == 4 and type(history.config.batch) is int
    assert history.config.arch.activations == ("relu", "sigmoid")
    save_session(tmp_path / "run.netviz", history, spec=spec)
    assert load_session(tmp_path / "run.netviz").history.segments[1].edit == history.segments[1].edit
    with pytest.raises(ValueError, match="lr must be a positive number"):
        segments.change_settings(history, 5, {"lr": -1})


def test_edited_rows_of_feature_inputs_keep_their_points_and_features_through_a_session(tmp_path):
    """Points added to, removed from or regenerated in a run on x², y² features stay features of points of
    the plane, in the run and after save and reopen."""
    spec = RunSpec(data=DataSource("preset", "circle", points=30), hidden=(2,), activations=("tanh", "sigmoid"),
                   bias=True, lr=0.05, epochs=40, features=("x2", "y2"), test_fraction=0.2)  # fmt: skip
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.resume(history).run(history, 10)
    with pytest.raises(ValueError, match="give the points"):
        segments.add_points(history, 10, [[0.1, 0.2]], [[1.0]])
    segments.add_points(history, 10, None, [[1.0]], points=[[0.5, -0.25]])
    segments.resume(history).run(history, 20)
    segments.remove_points(history, 20, [0])
    segments.resume(history).run(history, 30)
    segments.change_settings(history, 30, {"noise": 0.2}, spec)
    segments.resume(history).run(history, 40)
    added = history.segment_at(15).dataset
    assert added.features == ("x2", "y2") and added.points.shape == (len(added), 2)
    np.testing.assert_array_equal(added.points[-1], [0.5, -0.25])
    np.testing.assert_array_equal(added.inputs[-1], added.inputs_at(np.array([[0.5, -0.25]]))[0])
    np.testing.assert_array_equal(history.segment_at(25).dataset.points, added.points[1:])
    save_session(tmp_path / "run.netviz", history, spec=spec)
    loaded = load_session(tmp_path / "run.netviz").history
    for epoch in (15, 25, 35):
        mine, theirs = history.segment_at(epoch).dataset, loaded.segment_at(epoch).dataset
        assert theirs.features == mine.features
        np.testing.assert_array_equal(theirs.points, mine.points)
    for epoch in range(41):
        np.testing.assert_array_equal(loaded.weights_at(epoch), history.weights_at(epoch))
