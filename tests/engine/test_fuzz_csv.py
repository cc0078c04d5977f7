"""Fuzzing load_csv: any bytes give a Dataset or one-line DataError, never another exception."""

import math
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netviz.engine.data import DataError, Dataset, load_csv

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_bytes(raw: bytes, n_targets: int = 1, target_kind: str = "auto") -> Dataset:
    """load_csv on raw written to a fresh file; only DataError (one line, naming the file) may escape."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fuzz.csv")
        with open(path, "wb") as f:
            f.write(raw)
        try:
            return load_csv(path, n_targets=n_targets, target_kind=target_kind)
        except DataError as exc:
            message = str(exc)
            assert "\n" not in message and "\r" not in message, message
            assert message.startswith(path), message
            return None


@FUZZ
@given(st.binary(max_size=400), st.integers(-2, 5))
def test_arbitrary_bytes(raw, n_targets):
    load_bytes(raw, n_targets)


NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e308", "1e309", "-1e999", "1e-400", "NaN", "nan", "inf", "-Infinity", "0x10", "1_000", "+.5"]),
)
CELLS = st.one_of(
    NUMBERS,
    NUMBERS.map(lambda s: f'"{s}"'),
    NUMBERS.map(lambda s: f" {s}\t"),
    st.sampled_from(["", '"', '""', "x", "a b", "é", "\x00", "\x07", "\x1b", "\x7f", "\u2028", "\x85", ";", "\t"]),
    st.text(max_size=6),
)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"])


@st.composite
def near_csv(draw) -> bytes:
    width = draw(st.integers(1, 5))
    lines = []
    if draw(st.booleans()):
        lines.append(",".join(draw(st.lists(st.text(max_size=5), min_size=width, max_size=width))))
    for _ in range(draw(st.integers(0, 6))):
        n = width if draw(st.integers(0, 4)) else draw(st.integers(0, 7))
        lines.append(",".join(draw(st.lists(CELLS, min_size=n, max_size=n))))
    end = draw(LINE_ENDS)
    text = end.join(lines) + (end if draw(st.booleans()) else "")
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw


@FUZZ
@given(near_csv(), st.integers(0, 4))
def test_near_valid_csv(raw, n_targets):
    load_bytes(raw, n_targets)


@st.composite
def valid_csv(draw) -> tuple[bytes, list[list[float]], int]:
    width = draw(st.integers(2, 5))
    n_targets = draw(st.integers(1, width - 1))
    finite = st.floats(allow_nan=False, allow_infinity=False)
    rows = draw(st.lists(st.lists(finite, min_size=width, max_size=width), min_size=1, max_size=8))
    header = draw(st.booleans())
    quote = draw(st.booleans())
    end = draw(LINE_ENDS)
    lines = [",".join(f"name{i}" for i in range(width))] if header else []
    for row in rows:
        cells = [repr(v) for v in row]
        lines.append(",".join(f'"{c}"' if quote else f" {c} " for c in cells))
        if draw(st.booleans()):
            lines.append("  ")  # blank lines are skipped
    raw = end.join(lines).encode()
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw, rows, n_targets


@FUZZ
@given(valid_csv())
def test_valid_files_load_with_the_right_shape(case):
    raw, rows, n_targets = case
    dataset = load_bytes(raw, n_targets, "values")  # as numbers: a column of whole numbers may be read as classes
    assert dataset is not None, raw
    width = len(rows[0])
    assert dataset.inputs.shape == (len(rows), width - n_targets)
    assert dataset.targets.shape == (len(rows), n_targets)
    for got, want in zip(dataset.inputs.tolist(), rows):
        assert all(math.isclose(a, b) or a == b for a, b in zip(got, want[: width - n_targets]))
