"""Fuzzing load_session: any file gives a Session or one-line SessionError, never another exception or a hang."""

import io
import json
import os
import tempfile
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netviz.engine.data import blog
from netviz.engine.history import History
from netviz.engine.session import MANIFEST, SessionError, load_session, save_session
from netviz.engine.training import TrainConfig, Trainer

FUZZ = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def saved() -> bytes:
    """The bytes of a real session: the blog's run, 50 epochs."""
    config = TrainConfig(epochs=50)
    history = History(config, blog())
    Trainer(config, blog()).run(history, config.epochs)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "run.netviz")
        save_session(path, history, {"theme": "dark", "epoch": 20})
        with open(path, "rb") as f:
            return f.read()


def load_bytes(raw: bytes):
    """load_session on raw written to a fresh file; only SessionError (one line, naming the file) may escape."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz.netviz")
        with open(path, "wb") as f:
            f.write(raw)
        try:
            return load_session(path)
        except SessionError as exc:
            message = str(exc)
            assert "\n" not in message and "\r" not in message, message
            assert message.startswith(path), message
            return None


def test_the_real_session_loads(saved):
    session = load_bytes(saved)
    assert session is not None and session.history.latest_epoch == 50


@FUZZ
@given(st.binary(max_size=600))
def test_arbitrary_bytes(raw):
    load_bytes(raw)


@FUZZ
@given(st.binary(max_size=600))
def test_zip_magic_then_arbitrary_bytes(raw):
    load_bytes(b"PK\x03\x04" + raw)


@FUZZ
@given(st.data())
def test_truncated(saved, data):
    load_bytes(saved[: data.draw(st.integers(0, len(saved) - 1))])


@FUZZ
@given(st.data())
def test_byte_flips(saved, data):
    raw = bytearray(saved)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    load_bytes(bytes(raw))


def members(saved: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(saved)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.sampled_from([0, -1, 1, 2, 10**9, 10**18, 2**63, -(2**63), 2**64, 10**400, -(10**400)]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
        st.sampled_from(["sigmoid", "tanh", "relu", "linear", "trained", "recorded", "netviz-session", "normal"]),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=8,
)


def paths(value, prefix=()):
    """Every key path into a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


@FUZZ
@given(st.data())
def test_mutated_manifest(saved, data):
    files = members(saved)
    manifest = json.loads(files[MANIFEST])
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(list(paths(manifest))[1:]))
        parent = manifest
        for key in where[:-1]:
            parent = parent[key]
        if data.draw(st.integers(0, 3)) == 0:
            del parent[where[-1]]  # a missing key (or list item)
        else:
            parent[where[-1]] = data.draw(JSON_VALUES)
        if not isinstance(manifest, dict) or not list(paths(manifest))[1:]:
            break
    files[MANIFEST] = json.dumps(manifest).encode()
    load_bytes(rezip(files))


@FUZZ
@given(st.sampled_from(["version", "latest_epoch", "stride", "rows", "epochs", "seed"]), JSON_VALUES)
def test_numbers_in_the_manifest(saved, key, value):
    files = members(saved)
    manifest = json.loads(files[MANIFEST])
    for section in (manifest, *(v for v in manifest.values() if isinstance(v, dict))):
        if key in section:
            section[key] = value
    files[MANIFEST] = json.dumps(manifest).encode()
    load_bytes(rezip(files))


@FUZZ
@given(st.data())
def test_member_dropped_or_replaced(saved, data):
    files = members(saved)
    name = data.draw(st.sampled_from(sorted(files)))
    if data.draw(st.booleans()):
        del files[name]
    else:
        files[name] = data.draw(st.binary(max_size=200))
    load_bytes(rezip(files))


NPY_SHAPES = st.sampled_from(
    [
        "()",
        "(-1,)",
        "(-7, 3)",
        "(7, -3)",
        "(1000000000000000000000000000000, 3)",
        "(99999999999, 3)",
        "(7,)",
        "(1000000000000000000000000000000,)",
        "(99999999999,)",
        "(4611686018427387904,)",
        "(7, 3, 1)",
    ]
)
NPY_DTYPES = st.sampled_from(["'<f8'", "'>f8'", "'<i8'", "'|O'", "'<U3'", "'V8'", "[('a', '<f8')]", "None", "1"])


@FUZZ
@given(
    st.sampled_from(["inputs", "targets", "loss", "keyframes", "keyframe_epochs"]),
    NPY_SHAPES,
    NPY_DTYPES,
    st.booleans(),
)
def test_npy_headers(saved, name, shape, dtype, fortran):
    files = members(saved)
    member = f"{name}.npy"
    body = files[member]
    header_len = int.from_bytes(body[8:10], "little")
    header = f"{{'descr': {dtype}, 'fortran_order': {fortran}, 'shape': {shape}, }}".encode()
    header += b" " * (-(10 + len(header) + 1) % 64) + b"\n"
    files[member] = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + body[10 + header_len :]
    load_bytes(rezip(files))
