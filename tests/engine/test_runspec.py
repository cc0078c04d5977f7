"""RunSpec: one grammar for layers, one set of defaults and rules, one validation, one dict form."""

import json

import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.data import Dataset, blog
from netviz.engine.runspec import DataSource, RunSpec, SpecError, format_layers, parse_layers
from netviz.engine.session import load_session, save_session
from netviz.engine.training import TrainConfig, Trainer, blog_config


def test_the_default_spec_is_the_blogs_run():
    config, dataset = RunSpec().build()
    assert config == blog_config()
    assert np.array_equal(dataset.inputs, blog().inputs)
    assert list(dataset.new_situation) == [1.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("", ()),
        ("4", ((4, None),)),
        ("8 tanh, 8", ((8, "tanh"), (8, None))),
        ("2,8 TANH,1 linear", ((2, None), (8, "tanh"), (1, "linear"))),
        ("1_000", ((1000, None),)),
    ],
)
def test_one_grammar_for_layer_lists(text, entries):
    assert parse_layers(text) == entries


@pytest.mark.parametrize("text", ["banana", "0", "4,-1", "9999", "8 softmax", "8 tanh relu", "4,,4"])
def test_bad_layer_lists_are_one_line_errors(text):
    with pytest.raises(SpecError, match="layers") as caught:
        parse_layers(text)
    assert "\n" not in str(caught.value)


def test_format_layers_reads_back():
    assert parse_layers(format_layers((8, 3), ("tanh", "relu"))) == ((8, "tanh"), (3, "relu"))


@pytest.mark.parametrize("name", [name for name in presets.PRESETS if name not in presets.REGRESSION])
def test_every_preset_follows_one_rule(name):
    spec = RunSpec(DataSource(preset=name)).resolved()
    config, dataset = RunSpec(DataSource(preset=name)).build()
    assert config.arch.activations[-1] == "sigmoid"  # targets are 0 or 1
    assert spec.bias is config.arch.bias is (name != "blog")
    assert config.lr == presets.suggested_lr(name, 200)
    assert dataset.new_situation is not None and len(dataset.new_situation) == dataset.n_in
    # The new situation is a point no training row holds, so it has no target.
    assert not (dataset.inputs == dataset.new_situation).all(axis=1).any()


def test_a_csv_without_a_new_situation_asks_about_the_middle_of_its_inputs(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n0,10,0\n2,30,1\n")
    config, dataset = RunSpec.of(hidden=(), data=DataSource("csv", path=str(path)), scale="none").build()
    assert list(dataset.new_situation) == [1.0, 20.0]
    assert config.arch.layers == (2, 1) and config.arch.bias


def test_edited_rows_keep_their_own_new_situation_and_are_copied():
    rows = Dataset(np.eye(2), np.array([0, 1]), name="mine", new_situation=np.array([0.25, 0.75]))
    _, dataset = RunSpec(DataSource("rows", rows=rows)).build()
    assert list(dataset.new_situation) == [0.25, 0.75]
    dataset.inputs[0, 0] = 9
    assert rows.inputs[0, 0] == 1


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"hidden": (4,) * 9, "activations": ("sigmoid",) * 10}, "at most 8 hidden layers"),
        ({"hidden": (0,)}, "hidden layer sizes must be 1 to 4096"),
        ({"activations": ("sigmoid",)}, "2 weight layers need as many activations, got 1"),
        ({"activations": ("softmax", "sigmoid")}, "unknown activation 'softmax'"),
        ({"activations": ("sigmoid", "max")}, "unknown output activation 'max'"),
        ({"lr": 0.0}, "the learning rate must be a positive number"),
        ({"lr": float("inf")}, "the learning rate must be a positive number"),
        ({"batch": 0}, "rows per step must be at least 1"),
        ({"seed": 2**32}, "the weight seed must be 0 to 4294967295"),
        ({"epochs": 0}, "epochs must be 1 to"),
        ({"new_situation": (1.0, float("nan"), 0.0)}, "the new situation must be finite"),
    ],
)
def test_one_validation_with_one_line_messages(settings, message):
    with pytest.raises(SpecError, match=message):
        RunSpec(**settings)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"kind": "web"}, "unknown kind of data 'web'"),
        ({"preset": "moons"}, "unknown preset 'moons'"),
        ({"preset": "circle", "noise": 2.0}, "noise must be 0 to 1"),
        ({"preset": "circle", "points": 3}, "points must be between 4 and 10000"),
        ({"kind": "csv"}, "choose a CSV file first"),
        ({"kind": "rows"}, "edited data needs its rows"),
    ],
)
def test_data_sources_are_validated_too(settings, message):
    with pytest.raises(SpecError, match=message):
        DataSource(**settings)


def test_a_new_situation_of_the_wrong_size_names_the_data():
    with pytest.raises(SpecError, match="the new situation has 2 values but the blog's data has 3 inputs"):
        RunSpec(DataSource(preset="blog"), new_situation=(1.0, 0.0)).build()
    with pytest.raises(SpecError, match="the new situation has 3 values but the xor preset has 2 inputs"):
        RunSpec(DataSource(preset="xor"), new_situation=(1.0, 0.0, 1.0)).build()


def test_the_dict_form_round_trips_through_json():
    spec = RunSpec(
        DataSource(preset="spiral", preset_seed=3, noise=0.25, points=120),
        hidden=(8, 6), activations=("tanh", "relu", "linear"), bias=True, lr=0.03, batch=16, seed=9,
        epochs=1234, new_situation=(0.5, -0.25),
    )  # fmt: skip
    assert RunSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert RunSpec.from_dict({}) == RunSpec()


@pytest.mark.parametrize(
    "d",
    [[], {"hidden": "4"}, {"hidden": [True]}, {"lr": "fast"}, {"bias": 1}, {"data": {"kind": "preset", "points": 2}}],
)
def test_bad_dicts_are_spec_errors(d):
    with pytest.raises(SpecError):
        RunSpec.from_dict(d)


def test_describing_a_run_finds_its_preset_or_keeps_its_rows():
    assert RunSpec.describing(blog_config(), blog()) == RunSpec().resolved()
    config, dataset = RunSpec(DataSource(preset="circle", points=50)).build()
    described = RunSpec.describing(config, dataset)
    assert described.data.kind == "rows" and described.build()[0] == config


def _trained(spec: RunSpec):
    from netviz.engine.history import History

    config, dataset = spec.build()
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    return history


def test_sessions_store_the_spec_and_the_same_spec_gives_the_same_bytes(tmp_path):
    spec = RunSpec(DataSource(preset="xor"), epochs=30)
    save_session(tmp_path / "a.netviz", _trained(spec), spec=spec)
    save_session(tmp_path / "b.netviz", _trained(spec), spec=spec)
    assert (tmp_path / "a.netviz").read_bytes() == (tmp_path / "b.netviz").read_bytes()
    assert load_session(tmp_path / "a.netviz").spec == spec.resolved()


def test_a_spec_that_does_not_describe_the_history_is_refused(tmp_path):
    history = _trained(RunSpec(epochs=5))
    with pytest.raises(ValueError, match="does not describe"):
        save_session(tmp_path / "a.netviz", history, spec=RunSpec(epochs=5, seed=2))
    assert list(tmp_path.iterdir()) == []


def test_a_session_from_before_specs_opens_with_a_described_spec(tmp_path):
    config = TrainConfig(epochs=5)
    save_session(tmp_path / "old.netviz", _trained(RunSpec(epochs=5)))
    session = load_session(tmp_path / "old.netviz")
    assert session.spec.build()[0] == config
    assert session.spec.data == DataSource()


def test_regularisation_and_test_fraction_round_trip_and_are_left_out_when_zero():
    spec = RunSpec(l1=0.001, l2=0.5, test_fraction=0.25)
    assert RunSpec.from_dict(spec.to_dict()) == spec
    assert not {"l1", "l2", "test_fraction"} & set(RunSpec().to_dict())
    config, _ = spec.build()
    assert (config.l1, config.l2) == (0.001, 0.5)


@pytest.mark.parametrize(
    "settings", [{"l1": -1.0}, {"l2": float("inf")}, {"test_fraction": 1.0}, {"test_fraction": -0.1}]
)
def test_bad_regularisation_or_test_fraction_is_one_line(settings):
    with pytest.raises(SpecError) as info:
        RunSpec(**settings)
    assert "\n" not in str(info.value)
