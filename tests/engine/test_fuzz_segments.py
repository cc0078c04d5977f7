"""Fuzzing load_session on a version 2 file (segments, their rows, test rows): a Session or one-line SessionError."""

import io
import json
import os
import tempfile
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netviz.engine import segments
from netviz.engine.history import History
from netviz.engine.runspec import DataSource, RunSpec
from netviz.engine.session import MANIFEST, save_session
from tests.engine.test_fuzz_session import FUZZ, JSON_VALUES, load_bytes, members, paths

# No example database: what an example draws depends on the saved run's manifest (its key paths), which
# changes with the code, and Hypothesis takes an example saved for an older manifest for flaky data.
FUZZ_SEGMENTS = settings(FUZZ, database=None)


@pytest.fixture(scope="module")
def saved() -> bytes:
    """A run with test rows, a weight set by hand, points added and removed, and a setting changed."""
    spec = RunSpec(data=DataSource("preset", "circle", points=20), hidden=(3,), activations=("tanh", "sigmoid"),
                   bias=True, lr=0.1, epochs=40, test_fraction=0.25, l2=0.01)  # fmt: skip
    config, rows, test = spec.build_split()
    history = History(config, rows, test=test)
    segments.resume(history).run(history, 10)
    segments.set_weights(history, 10, {2: 1.5})
    segments.resume(history).run(history, 20)
    segments.add_points(history, 20, [[0.1, 0.2]], [[1.0]])
    segments.resume(history).run(history, 30)
    segments.remove_points(history, 30, [0])
    segments.resume(history).run(history, 35)
    segments.change_settings(history, 35, {"lr": 0.05, "activation": "relu"})
    segments.resume(history).run(history, 40)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "run.netviz")
        save_session(path, history, spec=spec)
        with open(path, "rb") as f:
            return f.read()


def rezip(files: dict[str, bytes]) -> bytes:
    """The files as netviz stores them (arrays uncompressed), so that loading reaches the segments."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def test_the_real_session_loads_with_its_segments(saved):
    for raw in (saved, rezip(members(saved))):
        session = load_bytes(raw)
        assert session is not None and len(session.history.segments) == 5 and session.history.latest_epoch == 40


@FUZZ_SEGMENTS
@given(st.data())
def test_mutated_segments(saved, data):
    files = members(saved)
    manifest = json.loads(files[MANIFEST])
    where = data.draw(st.sampled_from(list(paths(manifest["segments"]))[1:]))
    parent = manifest["segments"]
    for key in where[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()):
        del parent[where[-1]]  # a missing key (or list item)
    else:
        parent[where[-1]] = data.draw(JSON_VALUES)
    files[MANIFEST] = json.dumps(manifest).encode()
    session = load_bytes(rezip(files))
    if session is not None:  # what loads is usable: every epoch rebuilds, every edit reads as a caption
        for epoch in (0, 9, 10, 22, 31, 35, 40):
            session.history.weights_at(epoch)
        assert all(segments.describe(segment.edit) for segment in session.history.segments)


@FUZZ_SEGMENTS
@given(st.data())
def test_segment_member_dropped_or_replaced(saved, data):
    files = members(saved)
    name = data.draw(st.sampled_from(sorted(n for n in files if n.startswith(("rows", "segment", "test_loss")))))
    if data.draw(st.booleans()):
        del files[name]
    else:
        files[name] = data.draw(st.binary(max_size=200))
    load_bytes(rezip(files))
