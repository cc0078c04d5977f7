"""Input scaling of real data, kept in the dataset and the session; data files' learning rate."""

import numpy as np
import pytest

from netviz.engine import presets
from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.runspec import DataSource, RunSpec
from netviz.engine.session import load_session, save_session
from netviz.engine.training import Trainer

WIDE = "a,b,y\n0,10,0\n2,30,1\n4,50,0\n6,-10,1\n"
WIDE_INPUTS = np.array([[0, 10], [2, 30], [4, 50], [6, -10]], dtype=np.float64)


def source(tmp_path, text=WIDE):
    path = tmp_path / "data.csv"
    path.write_text(text)
    return DataSource("csv", path=str(path))


def built(tmp_path, **settings):
    return RunSpec.following(source(tmp_path), **settings).build()


def test_inputs_far_outside_minus_1_to_1_are_standardised_by_default_and_a_note_says_so(tmp_path):
    _, dataset = built(tmp_path)
    np.testing.assert_allclose(dataset.inputs.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(dataset.inputs.std(axis=0), 1)
    assert dataset.scaling.method == "standard"
    np.testing.assert_allclose(dataset.scaling.original(dataset.inputs), WIDE_INPUTS)
    assert [note for note in dataset.notes if "standardised" in note] == [
        f"{tmp_path / 'data.csv'}: inputs reach 50, far outside -1 to 1: standardised to train on "
        "(each input's mean 0, standard deviation 1; --scale none keeps them)"
    ]


def test_minmax_puts_each_input_in_minus_1_to_1_and_none_keeps_them(tmp_path):
    _, dataset = built(tmp_path, scale="minmax")
    np.testing.assert_allclose(dataset.inputs.min(axis=0), -1)
    np.testing.assert_allclose(dataset.inputs.max(axis=0), 1)
    assert dataset.notes == []  # chosen, so nothing to say
    _, kept = built(tmp_path, scale="none")
    np.testing.assert_array_equal(kept.inputs, WIDE_INPUTS)
    assert kept.scaling is None


def test_the_new_situation_is_scaled_with_the_inputs(tmp_path):
    _, dataset = built(tmp_path, new_situation=(3.0, 20.0))
    np.testing.assert_allclose(dataset.scaling.original(dataset.new_situation), [3, 20])
    _, middle = built(tmp_path, scale="minmax")
    np.testing.assert_allclose(middle.new_situation, [0, 0], atol=1e-15)


def test_inputs_near_minus_1_to_1_and_presets_are_left_as_they_are(tmp_path):
    _, dataset = RunSpec.following(source(tmp_path, "a,y\n0,1\n3,0\n")).build()
    assert dataset.scaling is None and dataset.notes == []
    _, blog_rows = RunSpec().build()
    assert np.array_equal(blog_rows.inputs, blog().inputs) and blog_rows.scaling is None
    _, noisy = RunSpec.following(DataSource("preset", "circle", noise=1.0)).build()
    assert np.abs(noisy.inputs).max() > 3 and noisy.scaling is None  # a preset is made for its plane


def test_edited_rows_already_scaled_are_not_scaled_again(tmp_path):
    _, dataset = built(tmp_path)
    _, again = RunSpec(DataSource("rows", rows=dataset), scale="standard").build()
    np.testing.assert_array_equal(again.inputs, dataset.inputs)
    assert again.scaling is dataset.scaling


def test_the_session_keeps_the_scaling(tmp_path):
    spec = RunSpec.following(source(tmp_path), epochs=20)
    config, dataset = spec.build()
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    save_session(tmp_path / "run.netviz", history, spec=spec)
    loaded = load_session(tmp_path / "run.netviz").dataset
    assert loaded.scaling.method == "standard"
    np.testing.assert_array_equal(loaded.scaling.shift, dataset.scaling.shift)
    np.testing.assert_array_equal(loaded.scaling.scale, dataset.scaling.scale)
    np.testing.assert_array_equal(loaded.inputs, dataset.inputs)


@pytest.mark.parametrize(("rows", "lr"), [(4, 1.0), (5, 1.0), (50, 0.1), (200, 0.025)])
def test_a_data_files_learning_rate_suits_its_rows(tmp_path, rows, lr):
    text = "a,y\n" + "".join(f"{i / rows},{i % 2}\n" for i in range(rows))
    data = source(tmp_path, text)
    assert data.suggested_lr() == pytest.approx(lr) == pytest.approx(min(1.0, presets.FILE_RATE / rows))
    assert RunSpec.following(data).build()[0].lr == pytest.approx(lr)
    edited = Dataset(np.zeros((rows, 1)), np.arange(rows) % 2)
    assert DataSource("rows", rows=edited).suggested_lr() == pytest.approx(lr)


@pytest.mark.parametrize(
    "scaling",
    [
        {"method": "log", "shift": [0, 0], "scale": [1, 1]},
        {"method": "standard", "shift": [0], "scale": [1, 1]},
        {"method": "standard", "shift": [0, 0], "scale": [1, 0]},
        {"method": "standard", "shift": [0, True], "scale": [1, 1]},
        {"method": "standard", "shift": [0, 0]},
    ],
)
def test_a_damaged_scaling_in_a_session_is_one_line(tmp_path, scaling):
    import json
    import zipfile

    from netviz.engine.session import SessionError

    spec = RunSpec.following(source(tmp_path), epochs=2)
    config, dataset = spec.build()
    history = History(config, dataset)
    Trainer(config, dataset).run(history, config.epochs)
    save_session(tmp_path / "run.netviz", history, spec=spec)
    with zipfile.ZipFile(tmp_path / "run.netviz") as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["dataset"]["input_scaling"] = scaling
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "bad.netviz", "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(SessionError, match="is damaged \\(") as caught:
        load_session(tmp_path / "bad.netviz")
    assert "\n" not in str(caught.value)


def test_a_run_known_only_by_its_rows_is_described_as_it_trained():
    wide = Dataset(WIDE_INPUTS, np.array([0, 1, 0, 1]), name="old")
    config, _ = RunSpec(DataSource("rows", rows=wide), scale="none").build()
    spec = RunSpec.describing(config, wide)
    rebuilt_config, rebuilt = spec.build()
    assert rebuilt_config == config
    np.testing.assert_array_equal(rebuilt.inputs, WIDE_INPUTS)
