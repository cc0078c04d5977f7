"""Training data: the blog's truth table, and numeric CSV files as people really write them."""

import math
import os
import re
from dataclasses import dataclass, field

import numpy as np

from netviz.atomic import atomic_file


class DataError(ValueError):
    """Bad input data; str() is one line naming the file, the line and the problem."""

    def __init__(self, path, problem: str, line: int | None = None):
        self.path, self.line, self.problem = str(path), line, problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


@dataclass
class Dataset:
    """Rows of inputs (n_rows, n_in) and targets (n_rows, n_out), plus a new situation to ask about."""

    inputs: np.ndarray
    targets: np.ndarray
    name: str = "data"
    input_names: list[str] = field(default_factory=list)
    target_names: list[str] = field(default_factory=list)
    new_situation: np.ndarray | None = None

    def __post_init__(self):
        self.inputs = np.ascontiguousarray(self.inputs, dtype=np.float64)
        self.targets = np.ascontiguousarray(self.targets, dtype=np.float64)
        if self.targets.ndim == 1:
            self.targets = self.targets.reshape(-1, 1)
        if self.inputs.ndim != 2 or len(self.inputs) != len(self.targets):
            raise ValueError("inputs and targets need the same number of rows")
        if not self.input_names:
            self.input_names = [f"x{i + 1}" for i in range(self.n_in)]
        if not self.target_names:
            self.target_names = ["out"] if self.n_out == 1 else [f"out{i + 1}" for i in range(self.n_out)]

    @property
    def n_in(self) -> int:
        return self.inputs.shape[1]

    @property
    def n_out(self) -> int:
        return self.targets.shape[1]

    def __len__(self) -> int:
        return len(self.inputs)


def blog() -> Dataset:
    """The blog's 7-row table: out = x1 XOR x2; x3 is noise. New situation [1, 1, 0]."""
    inputs = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]]
    targets = [[0], [1], [1], [1], [1], [0], [0]]
    return Dataset(np.array(inputs), np.array(targets), name="blog", new_situation=np.array([1.0, 1.0, 0.0]))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _shown(cell: str) -> str:
    return repr(cell if len(cell) <= 20 else cell[:17] + "...")


def _cells(line: str) -> list[str]:
    """Values of one line, without surrounding spaces or the double quotes some programs add."""
    cells = [cell.strip() for cell in line.split(",")]
    return [cell[1:-1].strip() if len(cell) >= 2 and cell[0] == cell[-1] == '"' else cell for cell in cells]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a text CSV; tab, CR and LF are fine


def _decode(path, raw: bytes) -> str:
    """The text of a UTF-8 file (BOM optional), or DataError for UTF-16 and binary data."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(path, "is UTF-16 text; save it as UTF-8 CSV")
    control = _CONTROL.search(raw)
    if control:
        raise DataError(path, "is binary, not a text CSV file", raw[: control.start()].count(b"\n") + 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(path, "is not UTF-8 text (binary data?)", line) from None


def load_csv(path, n_targets: int = 1) -> Dataset:
    """Load numbers separated by commas; an optional header row; the last n_targets columns are targets.

    Accepts UTF-8 with or without BOM, CR, LF or CRLF line ends, spaces around values, quoted
    values, scientific notation and blank lines. Raises DataError (one line: file, line,
    problem) for anything else.
    """
    if os.path.isdir(path):
        raise DataError(path, "is a folder, not a CSV file")
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror or exc}") from None
    text = _decode(path, raw)

    rows = [(number, _cells(line)) for number, line in enumerate(_LINE_BREAK.split(text), start=1) if line.strip()]
    if not rows:
        raise DataError(path, "is empty")

    first_line, first = rows[0]
    width = len(first)
    if width < 2:
        separator = next((name for sep, name in ((";", "semicolons"), ("\t", "tabs")) if sep in first[0]), None)
        hint = f" (values are separated by {separator}; use commas)" if separator else ""
        raise DataError(path, f"has a single column; need input columns and a target column{hint}", first_line)
    if not 1 <= n_targets < width:
        raise DataError(path, f"has {width} columns, so it cannot have {n_targets} target columns")

    # A first row of words is a header. Words and numbers mixed is a typo in either, not a guess.
    header = None
    words = [cell and _number(cell) is None for cell in first]
    if any(words):
        if any(cell and not word for cell, word in zip(first, words)):
            raise DataError(path, "mixes numbers and words: a header needs names only, a row numbers only", first_line)
        header, rows = first, rows[1:]
        if not rows:
            raise DataError(path, "has a header but no rows of data", first_line)

    values = np.empty((len(rows), width))
    for r, (number, cells) in enumerate(rows):
        if len(cells) != width:
            what = "the header has" if header is not None else "the first row has"
            raise DataError(path, f"has {len(cells)} values but {what} {width}", number)
        for c, cell in enumerate(cells):
            if not cell:
                raise DataError(path, f"column {c + 1} is empty", number)
            value = _number(cell)
            if value is None:
                raise DataError(path, f"column {c + 1}: {_shown(cell)} is not a number", number)
            if not math.isfinite(value):
                problem = "is not finite" if "inf" in cell.lower() or "nan" in cell.lower() else "is too large"
                raise DataError(path, f"column {c + 1}: {_shown(cell)} {problem}", number)
            values[r, c] = value

    names = [f"x{i + 1}" for i in range(width - n_targets)] + (
        ["out"] if n_targets == 1 else [f"out{i + 1}" for i in range(n_targets)]
    )
    if header is not None:
        names = [given or default for given, default in zip(header, names)]
    return Dataset(
        values[:, :-n_targets],
        values[:, -n_targets:],
        name=os.path.splitext(os.path.basename(path))[0],
        input_names=names[:-n_targets],
        target_names=names[-n_targets:],
    )


def save_csv(dataset: Dataset, path) -> None:
    """Write a header row and every row of inputs and targets (round-trips through load_csv)."""
    names = dataset.input_names + dataset.target_names
    for name in names:
        # Such a name would split the header, or make it read back as a row of data.
        if not name.strip() or _number(name) is not None or any(ch in name for ch in ',"\r\n'):
            raise ValueError(f"column name {name!r} cannot be written to a CSV header")
    header = ",".join(names)
    table = np.hstack([dataset.inputs, dataset.targets])
    lines = [header] + [",".join(repr(float(v)) for v in row) for row in table]
    with atomic_file(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
