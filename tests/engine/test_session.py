"""Session files: exact round trips, continuing a loaded run, atomic saves, and every kind of bad file."""

import io
import json
import zipfile

import numpy as np
import pytest

from netviz.engine import session as session_module
from netviz.engine.data import Dataset, blog
from netviz.engine.history import History
from netviz.engine.network import Architecture
from netviz.engine.session import (
    VERSION,
    RecordedHistory,
    SessionError,
    load_session,
    save_session,
)
from netviz.engine.training import TrainConfig, Trainer


def trained(config: TrainConfig, dataset: Dataset, **kwargs) -> History:
    history = History(config, dataset, **kwargs)
    Trainer(config, dataset).run(history, config.epochs)
    return history


def assert_same_run(loaded, history) -> None:
    assert len(loaded) == len(history)
    assert loaded.latest_epoch == history.latest_epoch
    assert np.array_equal(loaded.loss, history.loss)
    for epoch in range(len(history)):
        assert np.array_equal(loaded.weights_at(epoch), history.weights_at(epoch)), epoch
    for epoch in (0, len(history) // 3, history.latest_epoch):
        assert np.array_equal(loaded.outputs_at(epoch), history.outputs_at(epoch)), epoch


def two_class_data() -> Dataset:
    rng = np.random.default_rng(3)
    inputs = rng.uniform(-1, 1, size=(12, 2))
    targets = np.stack([inputs[:, 0] > 0, inputs[:, 0] <= 0], axis=1).astype(float)
    return Dataset(inputs, targets, "halves", ["left", "right"], ["east", "west"], np.array([0.25, -0.5]))


@pytest.mark.parametrize(
    ("config", "dataset"),
    [
        (TrainConfig(epochs=700), blog()),
        (TrainConfig(Architecture.of((3, 4, 1), bias=True), lr=0.7, batch=2, seed=9, epochs=500), blog()),
        (TrainConfig(batch=3, order="in-order", epochs=200), blog()),
        (
            TrainConfig(Architecture.of((2, 5, 2), ("tanh", "sigmoid"), True), epochs=300, init="glorot"),
            two_class_data(),
        ),
    ],
)
def test_round_trip_is_identical(tmp_path, config, dataset):
    history = trained(config, dataset)
    view = {"theme": "dark", "epoch": 123, "input_row": 2, "think": False, "zoom": 1.5}
    path = tmp_path / "run.netviz"
    save_session(path, history, view)
    loaded = load_session(path)
    assert not loaded.recorded
    assert isinstance(loaded.history, History)
    assert loaded.config == config
    assert loaded.view == view
    d = loaded.dataset
    assert (d.name, d.input_names, d.target_names) == (dataset.name, dataset.input_names, dataset.target_names)
    assert np.array_equal(d.inputs, dataset.inputs)
    assert np.array_equal(d.targets, dataset.targets)
    assert np.array_equal(d.new_situation, dataset.new_situation)
    assert_same_run(loaded.history, history)


def test_without_a_new_situation_or_view(tmp_path):
    dataset = Dataset(blog().inputs, blog().targets)
    history = trained(TrainConfig(epochs=20), dataset)
    save_session(tmp_path / "plain.netviz", history)
    loaded = load_session(tmp_path / "plain.netviz")
    assert loaded.dataset.new_situation is None
    assert loaded.view == {}


def test_keyframes_thin_out_in_the_file_and_every_epoch_stays_exact(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "KEYFRAME_BYTES", 40 * 16 * 8)  # room for ~40 keyframes
    history = trained(TrainConfig(epochs=777), blog())
    assert history.stride == 1
    save_session(tmp_path / "thin.netviz", history)
    with zipfile.ZipFile(tmp_path / "thin.netviz") as zf:
        stride = json.loads(zf.read("manifest.json"))["history"]["stride"]
        epochs = np.load(io.BytesIO(zf.read("keyframe_epochs.npy")))
    assert stride == 32
    assert epochs[-1] == 777 and epochs[-2] == 768
    loaded = load_session(tmp_path / "thin.netviz").history
    assert loaded.stride == 32
    assert_same_run(loaded, history)


def test_never_thins_beyond_max_stride(tmp_path, monkeypatch):
    monkeypatch.setattr(session_module, "KEYFRAME_BYTES", 1)
    history = trained(TrainConfig(epochs=300), blog())
    save_session(tmp_path / "run.netviz", history)
    assert load_session(tmp_path / "run.netviz").history.stride == session_module.MAX_STRIDE


def test_a_history_that_thinned_in_memory_round_trips(tmp_path):
    config = TrainConfig(Architecture.of((3, 4, 1), bias=True), batch=3, epochs=300)
    history = trained(config, blog(), budget_bytes=int(40 * 8 * config.arch.n_params / 0.7))
    assert history.stride > 1
    save_session(tmp_path / "run.netviz", history)
    loaded = load_session(tmp_path / "run.netviz").history
    assert loaded.stride >= history.stride
    assert_same_run(loaded, history)


@pytest.mark.parametrize("batch", [None, 2])
def test_training_continues_from_a_loaded_run_bit_for_bit(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(session_module, "KEYFRAME_BYTES", 30 * 16 * 8)
    config = TrainConfig(batch=batch, epochs=400)
    whole = trained(config, blog())
    first = trained(TrainConfig(batch=batch, epochs=250), blog())
    save_session(tmp_path / "part.netviz", first)
    loaded = load_session(tmp_path / "part.netviz").history
    trainer = Trainer(config, blog())
    trainer.set_state(loaded.weights_at(loaded.latest_epoch), loaded.latest_epoch)
    trainer.run(loaded, 400)  # appends to the loaded History, as the window's worker does
    assert_same_run(loaded, whole)


def test_recorded_history_round_trip(tmp_path):
    arch = Architecture.of((2, 3, 1), ("relu", "linear"), bias=True)
    rng = np.random.default_rng(1)
    thetas, loss = rng.normal(size=(40, arch.n_params)), rng.uniform(size=40)
    dataset = Dataset(np.empty((0, 2)), np.empty((0, 1)))
    history = RecordedHistory(arch, dataset, thetas, loss)
    save_session(tmp_path / "rec.netviz", history, {"theme": "classic"})
    loaded = load_session(tmp_path / "rec.netviz")
    assert loaded.recorded
    assert loaded.config.arch == arch
    assert loaded.view == {"theme": "classic"}
    assert len(loaded.dataset) == 0
    assert_same_run(loaded.history, history)
    assert loaded.history.outputs_at(5).shape == (0, 1)


def test_recorded_history_reads_like_history():
    arch = Architecture.of((2, 2))
    history = RecordedHistory(arch, Dataset(np.eye(2), np.eye(2)), np.arange(12.0).reshape(3, 4), np.ones(3))
    assert (len(history), history.latest_epoch, history.stride) == (3, 2, 1)
    theta = history.weights_at(1)
    theta[:] = -1  # a copy
    assert np.array_equal(history.weights_at(1), [4, 5, 6, 7])
    assert history.keyframes().shape == (3, 4)
    assert np.array_equal(history.outputs_at(0), arch.forward(np.arange(4.0), np.eye(2))[-1])
    with pytest.raises(IndexError):
        history.weights_at(3)
    assert "2-2" in repr(history)


# Saving is atomic


def test_save_leaves_no_temporary_file_and_replaces_the_old_one(tmp_path):
    path = tmp_path / "run.netviz"
    path.write_bytes(b"old")
    save_session(path, trained(TrainConfig(epochs=10), blog()))
    assert [p.name for p in tmp_path.iterdir()] == ["run.netviz"]
    assert len(load_session(path).history) == 11


def test_a_failed_save_leaves_the_old_file_untouched(tmp_path, monkeypatch):
    path = tmp_path / "run.netviz"
    history = trained(TrainConfig(epochs=10), blog())
    save_session(path, history)
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", disk_full)
    with pytest.raises(SessionError, match=r"run.netviz: cannot write \(No space left on device\)"):
        save_session(path, history)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["run.netviz"]


def test_bad_view_settings_are_refused_before_writing(tmp_path):
    history = trained(TrainConfig(epochs=5), blog())
    with pytest.raises(ValueError, match="plain JSON"):
        save_session(tmp_path / "run.netviz", history, {"colour": object()})
    with pytest.raises(TypeError, match="dict"):
        save_session(tmp_path / "run.netviz", history, ["dark"])
    assert not list(tmp_path.iterdir())


def test_saving_into_a_missing_folder_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="cannot write in"):
        save_session(tmp_path / "nowhere" / "run.netviz", trained(TrainConfig(epochs=5), blog()))


# Bad files: one error class, one line that names the file and the problem


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "good.netviz"
    save_session(path, trained(TrainConfig(Architecture.of((3, 4, 1), bias=True), epochs=60), blog()), {"epoch": 3})
    return path.read_bytes()


def assert_session_error(path, *fragments) -> SessionError:
    with pytest.raises(SessionError) as info:
        load_session(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    assert info.value.__suppress_context__ or info.value.__cause__ is None
    return info.value


def rewritten(good: bytes, change) -> bytes:
    """good with its manifest passed through change(dict) -> dict (or str: the raw text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                changed = change(json.loads(data))
                data = changed if isinstance(changed, str) else json.dumps(changed)
            zout.writestr(info.filename, data)
    return out.getvalue()


def test_missing_file_and_folder(tmp_path):
    assert_session_error(tmp_path / "gone.netviz", "no such file")
    assert_session_error(tmp_path, "is a folder")


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "is a PNG image, not a netviz session"),
        (b"GIF89a" + bytes(50), "GIF image"),
        (b"\xff\xd8\xff\xe0" + bytes(50), "JPEG image"),
        (b"x1,x2,out\n0,1,1\n", "is a text file, not a netviz session"),
        (bytes(range(256)), "unknown kind of file"),
        (b"\x93NUMPY\x01\x00", "NumPy .npy file"),
        (b"NETVIZJ\x01" + bytes(40), "recording journal"),
    ],
)
def test_foreign_files(tmp_path, content, what):
    path = tmp_path / "x.netviz"
    path.write_bytes(content)
    assert_session_error(path, what)


def test_other_zip_archives(tmp_path):
    npz = tmp_path / "arrays.netviz"
    with open(npz, "wb") as f:
        np.savez(f, a=np.zeros(3))
    assert_session_error(npz, "NumPy .npz archive, not a netviz session")
    other = tmp_path / "other.netviz"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "something-else", "version": 1}))
    assert_session_error(other, "not a netviz session")
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("manifest.json", "[1, 2]")
    assert_session_error(other, "not a netviz session")


@pytest.mark.parametrize("fraction", [0.0001, 0.3, 0.6, 0.95, 0.999])
def test_truncated_files(tmp_path, good_bytes, fraction):
    path = tmp_path / "cut.netviz"
    path.write_bytes(good_bytes[: max(1, int(len(good_bytes) * fraction))])
    assert_session_error(path)


def test_truncated_after_the_header_says_so(tmp_path, good_bytes):
    path = tmp_path / "cut.netviz"
    path.write_bytes(good_bytes[: len(good_bytes) // 2])
    assert_session_error(path, "truncated")


def test_a_flipped_byte_in_the_weights_fails_the_checksum(tmp_path, good_bytes):
    data = bytearray(good_bytes)
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zf:
        info = zf.getinfo("keyframes.npy")
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0x40  # inside the stored array
    path = tmp_path / "flip.netviz"
    path.write_bytes(bytes(data))
    assert_session_error(path, "is damaged", "keyframes.npy")


def test_a_newer_format_version_asks_for_an_upgrade(tmp_path, good_bytes):
    path = tmp_path / "future.netviz"
    path.write_bytes(rewritten(good_bytes, lambda m: {**m, "version": VERSION + 1, "new_thing": [1]}))
    assert_session_error(path, f"version {VERSION + 1}", "upgrade netviz")


@pytest.mark.parametrize(
    "change",
    [
        lambda m: "{not json",
        lambda m: {**m, "version": "1"},
        lambda m: {**m, "version": 0},
        lambda m: {**m, "kind": "dreamed"},
        lambda m: {**m, "architecture": {**m["architecture"], "layers": [3, 5, 1]}},
        lambda m: {**m, "architecture": {**m["architecture"], "layers": "3-4-1"}},
        lambda m: {**m, "architecture": {**m["architecture"], "activations": ["softmax", "sigmoid"]}},
        lambda m: {**m, "architecture": {**m["architecture"], "bias": 1}},
        lambda m: {**m, "training": {**m["training"], "lr": -1}},
        lambda m: {**m, "training": {**m["training"], "seed": True}},
        lambda m: {**m, "training": {**m["training"], "init": "zeros"}},
        lambda m: {**m, "training": {**m["training"], "order": "backwards"}},
        lambda m: {**m, "training": {**m["training"], "order": ["in-order"]}},
        lambda m: {**m, "training": None},
        lambda m: {**m, "dataset": {**m["dataset"], "rows": 8}},
        lambda m: {**m, "dataset": {**m["dataset"], "input_names": ["a"]}},
        lambda m: {**m, "history": {"latest_epoch": 61, "stride": 1}},
        lambda m: {**m, "history": {"latest_epoch": 60, "stride": 2}},
        lambda m: {**m, "history": {"latest_epoch": 60, "stride": 0}},
        lambda m: {**m, "history": {"latest_epoch": 60, "stride": 2**63}},  # found by the fuzzer: no overflow
        lambda m: {**m, "history": {"latest_epoch": 60, "stride": -(2**63)}},
        lambda m: {**m, "view": "dark"},
    ],
)
def test_damaged_manifests(tmp_path, good_bytes, change):
    path = tmp_path / "bad.netviz"
    path.write_bytes(rewritten(good_bytes, change))
    assert_session_error(path, "is damaged")


def test_a_file_from_before_row_orders_trained_shuffled(tmp_path, good_bytes):
    def without_order(manifest):
        training = {k: v for k, v in manifest["training"].items() if k != "order"}
        return {**manifest, "training": training}

    path = tmp_path / "old.netviz"
    path.write_bytes(rewritten(good_bytes, without_order))
    assert load_session(path).config.order == "shuffled"


def test_a_missing_array(tmp_path, good_bytes):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.filename != "loss.npy":
                zout.writestr(info, zin.read(info))
    path = tmp_path / "bad.netviz"
    path.write_bytes(out.getvalue())
    assert_session_error(path, "loss.npy is missing")


def replaced_member(good: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == name else zin.read(info))
    return out.getvalue()


def npy(array, **kwargs) -> bytes:
    f = io.BytesIO()
    np.save(f, array, **kwargs)
    return f.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        npy(np.array([{"evil": "pickle"}] * 61, dtype=object), allow_pickle=True),  # never unpickled
        npy(np.zeros(61, dtype=np.float32)),
        npy(np.zeros(62)),
        npy(np.zeros((61, 1))),
        npy(np.zeros(61))[:-8],
        npy(np.zeros(61)) + b"extra",
        b"\x93NUMPY\x09\x00" + bytes(100),
        b"not an npy file at all",
    ],
)
def test_bad_arrays(tmp_path, good_bytes, data):
    path = tmp_path / "bad.netviz"
    path.write_bytes(replaced_member(good_bytes, "loss.npy", data))
    assert_session_error(path, "is damaged")


@pytest.mark.parametrize("count", [10**30, 2**63 - 1, 2**62])
def test_a_huge_shape_in_an_npy_header_is_damage(tmp_path, good_bytes, count):
    """keyframe_epochs may have any length: a header claiming more elements than int64 holds is damage, not a crash."""
    header = f"{{'descr': '<i8', 'fortran_order': False, 'shape': ({count},), }}"
    header = header.encode() + b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    data = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + bytes(8)
    path = tmp_path / "huge.netviz"
    path.write_bytes(replaced_member(good_bytes, "keyframe_epochs.npy", data))
    assert_session_error(path, "is damaged", "keyframe_epochs.npy")


def test_any_damage_gives_a_session_error_or_a_valid_session(tmp_path, good_bytes):
    """Flip bytes all over a file and cut it anywhere: a SessionError or a session, never anything else."""
    rng = np.random.default_rng(5)
    path = tmp_path / "fuzz.netviz"
    outcomes = set()
    for trial in range(300):
        data = bytearray(good_bytes)
        if trial % 3 == 0:
            data = data[: rng.integers(1, len(data))]
        for i in rng.integers(0, len(data), size=int(rng.integers(1, 4))):
            data[i] ^= int(rng.integers(1, 256))
        path.write_bytes(bytes(data))
        try:
            load_session(path)
            outcomes.add("loaded")
        except SessionError as exc:
            assert "\n" not in str(exc)
            outcomes.add("error")
    assert "error" in outcomes


def test_journal_of_another_recording_is_refused(tmp_path, good_bytes):
    manifest = {
        **json.loads(zipfile.ZipFile(io.BytesIO(good_bytes)).read("manifest.json")),
        "kind": "recorded",
        "journal": {"file": "rec.netviz-journal", "token": "00" * 16},
    }
    del manifest["training"], manifest["history"]
    path = tmp_path / "rec.netviz"
    path.write_bytes(rewritten(good_bytes, lambda m: manifest))
    assert_session_error(path, "journal", "is missing")
    (tmp_path / "rec.netviz-journal").write_bytes(session_module.JOURNAL_MAGIC + b"\x01" * 16 + bytes(800))
    assert_session_error(path, "is not its journal")
    (tmp_path / "rec.netviz-journal").write_bytes(session_module.JOURNAL_MAGIC + bytes(16) + bytes(8 * 10))
    assert_session_error(path, "no epochs")  # less than one whole record (loss + 17 parameters)


# Sizes a small file can claim: refused before anything is allocated


def peak_while_loading(path) -> int:
    """Bytes Python allocated at most while load_session(path) ran (it must raise SessionError)."""
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(SessionError) as info:
            load_session(path)
        return tracemalloc.get_traced_memory()[1], str(info.value)
    finally:
        tracemalloc.stop()


def test_a_zip_directory_claiming_a_huge_member_is_damage(tmp_path, good_bytes):
    """The npy header and the zip directory agree on 2 GiB of epochs; the file holds a few bytes of them."""
    header = b"{'descr': '<i8', 'fortran_order': False, 'shape': (268435456,), }"
    header += b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    data = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + bytes(64)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == "keyframe_epochs.npy" else zin.read(info))
        claimed = zout.getinfo("keyframe_epochs.npy")
        claimed.file_size = claimed.compress_size = len(data) - 64 + 2 * 2**30
    path = tmp_path / "claims.netviz"
    path.write_bytes(out.getvalue())
    peak, message = peak_while_loading(path)
    assert peak < 2**20 and "keyframe_epochs.npy" in message and "is damaged" in message


@pytest.mark.parametrize(
    ("member", "compression", "what"),
    [
        ("loss.npy", zipfile.ZIP_BZIP2, "bzip2"),
        ("keyframes.npy", zipfile.ZIP_DEFLATED, "deflate"),
        ("inputs.npy", zipfile.ZIP_LZMA, "lzma"),
        ("manifest.json", zipfile.ZIP_BZIP2, "bzip2"),
    ],
)
def test_members_compressed_in_ways_netviz_never_writes_are_refused(tmp_path, good_bytes, member, compression, what):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            kind = compression if info.filename == member else info.compress_type
            zout.writestr(info.filename, zin.read(info), compress_type=kind)
    path = tmp_path / "packed.netviz"
    path.write_bytes(out.getvalue())
    assert_session_error(path, f"{member} is compressed with {what}")


def test_a_bzip2_bomb_is_refused_before_it_expands(tmp_path, good_bytes):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good_bytes)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.filename == "loss.npy":
                zout.writestr("loss.npy", npy(np.zeros(4 * 2**20)), compress_type=zipfile.ZIP_BZIP2)
            else:
                zout.writestr(info, zin.read(info))
    path = tmp_path / "bomb.netviz"
    path.write_bytes(out.getvalue())
    peak, message = peak_while_loading(path)
    assert peak < 2**20 and "compressed with bzip2" in message


def test_a_manifest_of_millions_of_empty_objects_is_refused_unparsed(tmp_path, good_bytes):
    def padded(manifest):
        manifest["view"] = {"junk": [{}] * 2_000_000}
        return json.dumps(manifest, separators=(",", ":"))

    path = tmp_path / "objects.netviz"
    path.write_bytes(rewritten(good_bytes, padded))
    peak, message = peak_while_loading(path)
    assert "manifest.json is larger than 4 MB" in message and peak < 6 * 2**20


@pytest.mark.parametrize("shape", ["deep", "wide"])
def test_a_manifest_nested_too_deeply_or_holding_too_many_values_is_refused(tmp_path, good_bytes, shape):
    def padded(manifest):
        if shape == "deep":
            manifest["view"] = {"junk": json.loads("[" * 100 + "]" * 100)}
        else:
            manifest["view"] = {"junk": [[]] * 300_000}
        return json.dumps(manifest, separators=(",", ":"))

    path = tmp_path / f"{shape}.netviz"
    path.write_bytes(rewritten(good_bytes, padded))
    words = "is nested more than 32 deep" if shape == "deep" else "holds more than 100,000 lists and objects"
    assert_session_error(path, f"manifest.json {words}")


def test_an_architecture_over_the_parameter_limit_is_refused_before_building_it(tmp_path, good_bytes):
    def huge(manifest):
        manifest["architecture"]["layers"] = [3, 4096, 4096, 4096, 1]
        manifest["architecture"]["activations"] = ["sigmoid"] * 4
        return manifest

    path = tmp_path / "huge.netviz"
    path.write_bytes(rewritten(good_bytes, huge))
    peak, message = peak_while_loading(path)
    assert "33,583,105 parameters; netviz reads at most 1,000,000" in message and peak < 2**20


# Messages name the problem, not the parser's internals


@pytest.mark.parametrize(
    ("member", "data", "words"),
    [
        (
            "loss.npy",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (f(),), }",
            "loss.npy has an unreadable header",
        ),
        ("loss.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (" + "9" * 5000 + ",), }", "unreadable header"),
        (
            "inputs.npy",
            np.zeros((7, 3, 1)),
            "inputs.npy holds float64 of shape (7, 3, 1), expected float64 of shape (7, 3)",
        ),
        ("loss.npy", np.zeros((61, 1)), "loss.npy holds float64 of shape (61, 1), expected float64 of shape (61,)"),
        (
            "keyframe_epochs.npy",
            np.zeros(3),
            "keyframe_epochs.npy holds float64 of shape (3,), expected int64 of shape (n,)",
        ),
    ],
)
def test_bad_arrays_are_described_in_plain_words(tmp_path, good_bytes, member, data, words):
    if isinstance(data, str):
        header = data.encode() + b" " * (-(10 + len(data) + 1) % 64) + b"\n"
        data = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + bytes(8)
    else:
        data = npy(data)
    path = tmp_path / "bad.netviz"
    path.write_bytes(replaced_member(good_bytes, member, data))
    error = assert_session_error(path, words)
    assert "ast." not in str(error) and "sys." not in str(error)


# View settings are hints: each checked, an invalid one dropped with a note


GOOD_VIEW = {"theme": "dark", "epoch": 30, "input_row": 2, "target": 5000, "speed": 1, "follow": False, "zoom": [1, 2]}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("input_row", None),
        ("input_row", [1]),
        ("input_row", 1e400),
        ("input_row", 100),
        ("input_row", -100),
        ("input_row", "abc"),
        ("input_row", True),
        ("target", 2**31),
        ("target", 0),
        ("target", 1.5),
        ("epoch", 61),
        ("epoch", -1),
        ("speed", -2),
        ("speed", ""),
        ("speed", 2.5),
        ("weight_scale", 3),
        ("follow", "yes"),
        ("theme", 7),
    ],
)
def test_an_invalid_view_setting_is_dropped_with_a_note_naming_file_and_key(tmp_path, good_bytes, key, value):
    def odd(manifest):
        manifest["view"] = {**GOOD_VIEW, key: value}
        return json.dumps(manifest)  # 1e400 is written as Infinity, as another program might

    path = tmp_path / "odd.netviz"
    path.write_bytes(rewritten(good_bytes, odd))
    session = load_session(path)
    assert session.view == {k: v for k, v in GOOD_VIEW.items() if k != key}
    (note,) = session.notes
    assert note.startswith(f"{path}: the view setting '{key}' ") and note.endswith("; ignored")
    assert "\n" not in note


def test_valid_view_settings_pass_unchanged(tmp_path, good_bytes):
    path = tmp_path / "fine.netviz"
    path.write_bytes(rewritten(good_bytes, lambda m: {**m, "view": GOOD_VIEW}))
    session = load_session(path)
    assert (session.view, session.notes) == (GOOD_VIEW, [])


def test_the_new_situation_is_a_row_only_when_the_data_has_one(tmp_path):
    data = two_class_data()
    data.new_situation = None
    history = trained(TrainConfig(Architecture.of((2, 2, 2)), epochs=3), data)
    view, notes = session_module.clean_view({"input_row": -1}, history, "x.netviz")
    assert view == {} and "'input_row' is -1" in notes[0]
