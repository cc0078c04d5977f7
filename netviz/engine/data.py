"""Training data: the blog's truth table, and CSV files as people really write them.

Also what real data needs before training: class labels made one-hot, inputs made of features
of 2-D points, and inputs scaled to about [-1, 1].
"""

import itertools
import math
import os
import re
from dataclasses import dataclass, field

import numpy as np

from netviz.atomic import atomic_file
from netviz.engine.limits import MAX_DATA_BYTES


class DataError(ValueError):
    """Bad input data; str() is one line naming the file, the line and the problem."""

    def __init__(self, path, problem: str, line: int | None = None):
        self.path, self.line, self.problem = str(path), line, problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Scaling:
    """How inputs were scaled to train on: scaled = (original - shift) / scale, per input (n_in,)."""

    method: str  # "standard" (mean 0, standard deviation 1) or "minmax" (-1 to 1)
    shift: np.ndarray
    scale: np.ndarray

    def scaled(self, original: np.ndarray) -> np.ndarray:
        return (np.asarray(original, dtype=np.float64) - self.shift) / self.scale

    def original(self, scaled: np.ndarray) -> np.ndarray:
        return np.asarray(scaled, dtype=np.float64) * self.scale + self.shift


@dataclass
class Dataset:
    """Rows of inputs (n_rows, n_in) and targets (n_rows, n_out), plus a new situation to ask about."""

    inputs: np.ndarray
    targets: np.ndarray
    name: str = "data"
    input_names: list[str] = field(default_factory=list)
    target_names: list[str] = field(default_factory=list)
    new_situation: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)  # one line each on how the file was read (class labels...)
    scaling: Scaling | None = None  # how the inputs (and the new situation) were scaled from the data's own
    features: tuple[str, ...] = ()  # FEATURES keys the inputs are made of, from 2-D points; () for the data's own
    points: np.ndarray | None = None  # (n_rows, 2) each row's point of the plane, when the inputs are features

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

    def inputs_at(self, rows: np.ndarray) -> np.ndarray:
        """The network's inputs (m, n_in) for rows (m, k) in the data's own units: made into features
        if the inputs are features of points of the plane (k = 2), then scaled as the inputs were."""
        x = feature_columns(rows, self.features) if self.features else np.atleast_2d(np.asarray(rows, dtype=np.float64))
        return x if self.scaling is None else self.scaling.scaled(x)

    def plane_points(self) -> np.ndarray:
        """(n_rows, 2) where each row lies on a 2-D dataset's plane (its inputs, as they are trained on,
        unless they are features of the points)."""
        return self.inputs if self.points is None else self.points


def blog() -> Dataset:
    """The blog's 7-row table: out = x1 XOR x2; x3 is noise. New situation [1, 1, 0]."""
    inputs = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0]]
    targets = [[0], [1], [1], [1], [1], [0], [0]]
    return Dataset(np.array(inputs), np.array(targets), name="blog", new_situation=np.array([1.0, 1.0, 0.0]))


# Numbers as a CSV writes them: ASCII digits, an optional point and exponent. float() alone would
# also take "1_000" and other scripts' digits ("١٢"), which no spreadsheet writes.
_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NOT_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def _number(text: str) -> float | None:
    """The value of a plain number (or inf/nan, refused later with a clearer message); None for anything else."""
    if _PLAIN.fullmatch(text) or _NOT_FINITE.fullmatch(text):
        return float(text)
    return None


def _not_a_number(cell: str) -> str:
    try:
        float(cell)
    except ValueError:
        return "is not a number"
    return "is not a plain number (use digits 0-9, a point and an optional exponent)"


def _shown(cell: str) -> str:
    return repr(cell if len(cell) <= 20 else cell[:17] + "...")


# One value as the csv module reads it: "quoted" (a comma inside stays, "" is a quote), or plain up to a comma.
_CELL = re.compile(r'[ \t]*(?:"((?:[^"]|"")*)"[ \t]*|([^,]*))(,|\Z)')
_OPEN_QUOTE = re.compile(r'[ \t]*"(?:[^"]|"")*')


def _cells(path, number: int, line: str) -> list[str]:
    """Values of one line, without surrounding spaces or the double quotes some programs add."""
    cells, start = [], 0
    while True:
        if _OPEN_QUOTE.fullmatch(line, start):
            raise DataError(path, f"column {len(cells) + 1}: a quoted value has no closing quote on this line", number)
        cell = _CELL.match(line, start)
        quoted, plain, comma = cell.groups()
        cells.append(quoted.replace('""', '"').strip() if quoted is not None else plain.strip())
        if not comma:
            return cells
        start = cell.end()


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n|$)")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a text CSV; tab, CR and LF are fine
_CHUNK = 2**20
_WIDE = (
    ((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "UTF-32"),  # before UTF-16: its BOM starts the same
    ((b"\xff\xfe", b"\xfe\xff"), "UTF-16"),
)


def _wide_encoding(head: bytes) -> str | None:
    """'UTF-32' or 'UTF-16' for text in those encodings (by its BOM, or the zero bytes of ASCII in it)."""
    for boms, name in _WIDE:
        if head.startswith(boms):
            return name
    pattern = tuple(byte == 0 for byte in head[:4])
    if pattern in ((True, True, True, False), (False, True, True, True)):
        return "UTF-32"
    if pattern in ((True, False, True, False), (False, True, False, True)):
        return "UTF-16"
    return None


def _read_bytes(path) -> bytearray:
    """The file's bytes; DataError as soon as it is too large or binary, before reading the rest."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_DATA_BYTES:
                raise DataError(path, f"is {size / 2**20:.1f} MB; data files can be at most {_limit()}")
            raw, lines = bytearray(), 0
            while chunk := f.read(_CHUNK):
                if not raw and (wide := _wide_encoding(chunk)):
                    raise DataError(path, f"is {wide} text; save it as UTF-8 CSV")
                if control := _CONTROL.search(chunk):
                    raise DataError(
                        path, "is binary, not a text CSV file", lines + chunk.count(b"\n", 0, control.start()) + 1
                    )
                if len(raw) + len(chunk) > MAX_DATA_BYTES:  # a pipe or device has no size to check first
                    raise DataError(
                        path, f"is larger than {MAX_DATA_BYTES} bytes; data files can be at most {_limit()}"
                    )
                lines += chunk.count(b"\n")
                raw += chunk
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror or exc}") from None
    return raw


def _limit() -> str:
    return f"{MAX_DATA_BYTES / 2**20:g} MB" if MAX_DATA_BYTES >= 2**20 else f"{MAX_DATA_BYTES} bytes"


def _lines(raw: bytearray):
    """(line number, bytes) of each line that is not blank, one at a time."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = memoryview(raw)[3:]
    for number, match in enumerate(_LINE.finditer(raw), start=1):
        line = match.group().rstrip(b"\r\n")
        if line.strip():
            yield number, line


def _text(path, number: int, line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError(path, "is not UTF-8 text (binary data?)", number) from None


def _plain_row(width: int) -> re.Pattern:
    """A line of `width` plain numbers: most lines of most files, read without a look at each value."""
    cell = rb"[ \t]*" + _PLAIN.pattern.encode() + rb"[ \t]*"
    return re.compile(cell + rb"(?:," + cell + rb"){%d}" % (width - 1))


def load_csv(path, n_targets: int = 1, target_kind: str = "auto") -> Dataset:
    """Load numbers separated by commas; an optional header row; the last n_targets columns are targets.

    Accepts UTF-8 with or without BOM, CR, LF or CRLF line ends, spaces around values, quoted
    values (a comma inside quotes stays in the value, as the csv module reads it), scientific
    notation and blank lines, up to MAX_DATA_BYTES. Raises DataError (one
    line: file, line, problem) for anything else. A single target column of class labels
    (words, or a few whole numbers: see class_targets; `target_kind` "labels" or "values"
    decides instead of the guess) becomes one-hot targets, one column per class, named by class.
    """
    if target_kind not in TARGET_KINDS:
        raise ValueError(f"unknown kind of targets {target_kind!r}; use {', '.join(TARGET_KINDS)}")
    if os.path.isdir(path):
        raise DataError(path, "is a folder, not a CSV file")
    raw = _read_bytes(path)
    lines = _lines(raw)
    first_line, line = next(lines, (None, None))
    if first_line is None:
        raise DataError(path, "is empty")
    first = _cells(path, first_line, _text(path, first_line, line))
    width = len(first)
    if width < 2:
        separator = next((name for sep, name in ((";", "semicolons"), ("\t", "tabs")) if sep in first[0]), None)
        hint = f" (values are separated by {separator}; use commas)" if separator else ""
        raise DataError(path, f"has a single column; need input columns and a target column{hint}", first_line)
    if not 1 <= n_targets < width:
        raise DataError(path, f"has {width} columns, so it cannot have {n_targets} target columns")

    # A first row of words is a header. Words and numbers mixed is a typo in either, not a guess,
    # except for a word in a single target column: a class label.
    header = None
    label_column = width - 1 if n_targets == 1 and target_kind != "values" else None
    words = [cell and _number(cell) is None for cell in first]
    if label_column is not None and words[-1] and not any(words[:-1]) and all(first[:-1]):
        words = [False] * width
    if any(words):
        if any(cell and not word for cell, word in zip(first, words)):
            raise DataError(path, "mixes numbers and words: a header needs names only, a row numbers only", first_line)
        header = first
        rows = lines
    else:
        rows = itertools.chain([(first_line, line)], lines)

    # Every row takes at least two bytes a value: this bounds the rows without a list of them.
    most, n_in = len(raw) // (2 * width) + 1, width - n_targets
    inputs, targets = np.empty((most, n_in)), np.empty((most, n_targets))
    what = "the header has" if header is not None else "the first row has"
    plain = _plain_row(width)
    word_codes: dict[str, int] = {}  # each class label that is a word -> its code, in order of appearance
    codes = None  # (rows,) int32: each row's word code, -1 for a number (made at the first word)
    # Rows of plain numbers and a word, read as fast as plain rows; each different word is checked once.
    labelled = None if label_column is None else re.compile(_plain_row(width - 1).pattern + rb',[^,"]*')
    words: dict[bytes, str | None] = {}  # a last cell as written -> its word, None if it is not a plain word
    n = 0
    for number, line in rows:
        row = None
        if codes is not None and labelled.fullmatch(line):  # rows before had words: this one likely too
            row = _labelled_row(line, words)
        if row is None:
            row = list(map(float, line.split(b","))) if plain.fullmatch(line) else None
        if row is None and labelled is not None and labelled.fullmatch(line):
            row = _labelled_row(line, words)
        if row is None or math.inf in row or -math.inf in row:  # 1e999 is plain but too large
            row = _row(path, _cells(path, number, _text(path, number, line)), width, number, what, label_column)
        if isinstance(row[-1], str):
            if codes is None:
                codes = np.full(most, -1, dtype=np.int32)
            codes[n], row[-1] = word_codes.setdefault(row[-1], len(word_codes)), math.nan
        inputs[n], targets[n] = row[:n_in], row[n_in:]
        n += 1
    if n == 0:
        raise DataError(path, "has a header but no rows of data", first_line)
    inputs.resize((n, n_in), refcheck=False)  # in place: the rows not needed are given back
    targets.resize((n, n_targets), refcheck=False)

    names = [f"x{i + 1}" for i in range(width - n_targets)] + (
        ["out"] if n_targets == 1 else [f"out{i + 1}" for i in range(n_targets)]
    )
    if header is not None:
        names = [given or default for given, default in zip(header, names)]
    target_names, notes = names[-n_targets:], []
    labels = None if codes is None else (codes[:n], list(word_codes))
    classes = class_targets(path, targets, labels, target_kind, target_names[-1])
    if classes is not None:
        targets, target_names, note = classes
        notes.append(note)
    elif n_targets > 1 and is_one_hot(targets):
        notes.append(f"{path}: the {n_targets} target columns are one-hot: classes {_listed(target_names)}")
    return Dataset(
        inputs,
        targets,
        name=os.path.splitext(os.path.basename(path))[0],
        input_names=names[:-n_targets],
        target_names=target_names,
        notes=notes,
    )


# Feature inputs of 2-D data, as TensorFlow Playground offers them: key -> (input name, function of x and y).
FEATURES = {
    "x": ("x", lambda x, y: x),
    "y": ("y", lambda x, y: y),
    "x2": ("x²", lambda x, y: x * x),
    "y2": ("y²", lambda x, y: y * y),
    "xy": ("xy", lambda x, y: x * y),
    "sinx": ("sin x", lambda x, y: np.sin(x)),
    "siny": ("sin y", lambda x, y: np.sin(y)),
}


def feature_columns(points: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """(m, len(features)): each feature of points (m, 2)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    x, y = points[:, 0], points[:, 1]
    return np.column_stack([FEATURES[name][1](x, y) for name in features])


def add_features(dataset: Dataset, features: tuple[str, ...]) -> None:
    """Make a 2-D dataset's inputs (and new situation) the features of its points, in place."""
    dataset.points = dataset.inputs
    dataset.inputs = np.ascontiguousarray(feature_columns(dataset.inputs, features))
    if dataset.new_situation is not None:
        dataset.new_situation = feature_columns(dataset.new_situation, features)[0]
    dataset.input_names = [FEATURES[name][0] for name in features]
    dataset.features = tuple(features)


SCALINGS = ("auto", "standard", "minmax", "none")  # auto: standard for inputs beyond FAR, else none
FAR = 3.0  # inputs reaching beyond +-FAR are far outside the [-1, 1] that activations and weights are made for


def scale_inputs(dataset: Dataset, method: str, where: str) -> None:
    """Scale the inputs and new situation in place by `method` (SCALINGS), keeping how in dataset.scaling,
    with a note when "auto" chose to; `where` names the data in it. Data already scaled stays as it is."""
    if method not in SCALINGS:
        raise ValueError(f"unknown scaling {method!r}; use {', '.join(SCALINGS)}")
    x = dataset.inputs
    reach = float(np.abs(x).max()) if x.size else 0.0
    if dataset.scaling is not None or method == "none" or len(x) == 0 or (method == "auto" and reach <= FAR):
        return
    if method == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        shift, scale = (lo + hi) / 2, (hi - lo) / 2
    else:
        shift, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)  # a constant input stays at 0
    dataset.scaling = Scaling("minmax" if method == "minmax" else "standard", shift, scale)
    dataset.inputs = np.ascontiguousarray(dataset.scaling.scaled(x))
    if dataset.new_situation is not None:
        dataset.new_situation = dataset.scaling.scaled(dataset.new_situation)
    if method == "auto":
        dataset.notes.append(
            f"{where}: inputs reach {reach:g}, far outside -1 to 1: standardised to train on "
            f"(each input's mean 0, standard deviation 1; --scale none keeps them)"
        )


TARGET_KINDS = ("auto", "labels", "values")  # how a single target column is read: guessed, or as chosen
MAX_CLASSES = 20  # a column of whole numbers below this is guessed to be class labels
MAX_LABELS, MAX_ONE_HOT_BYTES = 1000, 2**28  # classes read at most: an output each, a column each in every row


def is_one_hot(targets: np.ndarray) -> bool:
    """Whether each row (n, k) holds one 1 and otherwise 0s: one class per row."""
    return len(targets) > 0 and bool(np.isin(targets, (0.0, 1.0)).all() and (targets.sum(axis=1) == 1.0).all())


def class_targets(path, column: np.ndarray, labels: tuple[np.ndarray, list[str]] | None, kind: str, name: str):
    """(one-hot targets (n, k), the k class names, a note) for a target column of class labels, else None.

    A column is labels if it holds words (`labels`: each row's code (n,), -1 for a number, and the
    word of each code; numbers among words are named as they read), or, when `kind` is "auto",
    whole numbers from 0 to MAX_CLASSES - 1, each found twice on average, except 0 and 1 alone
    (already a target for one sigmoid output). `kind` "labels" reads any whole numbers as labels;
    "values" never guesses. Classes are sorted (numbers by value, words as text).
    """
    if column.shape[1] != 1:
        return None
    values = column[:, 0]
    if labels is not None:
        codes, words = labels
        numbers = codes < 0
        named = [f"{v:g}" for v in values[numbers]]
        classes = sorted(set(words) | set(named))
        index = {label: k for k, label in enumerate(classes)}
        rows = np.array([index[word] for word in words], dtype=np.intp)[np.maximum(codes, 0)]
        rows[numbers] = [index[label] for label in named]
    elif kind == "labels":
        bad = values[(values != np.round(values)) | (values < 0)]
        if len(bad):
            raise DataError(path, f"the target column holds {bad[0]:g}, which is not a class label (0, 1, 2...)")
        found, rows = np.unique(values, return_inverse=True)
        classes = [f"{v:g}" for v in found]
    elif kind == "values" or (found := _guessed_labels(values)) is None:
        return None
    else:
        rows = np.searchsorted(found, values)
        classes = [f"{v:g}" for v in found]
    if len(classes) < 2:
        raise DataError(path, f"the target column {name!r} holds a single class, {classes[0]!r}: nothing to tell apart")
    if len(classes) > MAX_LABELS or len(values) * len(classes) * 8 > MAX_ONE_HOT_BYTES:
        raise DataError(
            path, f"the target column {name!r} holds {len(classes):,} different class labels: too many to learn "
            f"one output each (is it a column of values? --targets values)"
        )  # fmt: skip
    note = (
        f"{path}: the target column {name!r} holds {len(classes)} class labels ({_listed(classes)}): "
        f"one output per class (--targets values reads it as numbers)"
    )
    one_hot = np.zeros((len(values), len(classes)))
    one_hot[np.arange(len(values)), rows] = 1.0
    return one_hot, classes, note


def _guessed_labels(values: np.ndarray) -> np.ndarray | None:
    """The classes (sorted) if values look like class labels, else None; no copy of a large column that is not."""
    if len(values) == 0 or values.min() < 0 or values.max() >= MAX_CLASSES:
        return None
    counts = np.zeros(MAX_CLASSES, dtype=np.intp)
    for start in range(0, len(values), 2**16):  # in chunks: a large column's temporaries stay small
        block = values[start : start + 2**16]
        codes = block.astype(np.intp)
        if not (codes == block).all():
            return None
        counts += np.bincount(codes, minlength=MAX_CLASSES)
    found = np.flatnonzero(counts).astype(np.float64)
    # Labels repeat: a column whose values mostly differ is a measurement, whole or not.
    if len(found) > len(values) // 2 or found[-1] <= 1:
        return None
    return found


def _listed(names: list[str], most: int = 6) -> str:
    """'a, b, c', or the first few and the last of a long list: '0, 1, 2, 3, ..., 9'."""
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[: most - 2]) + ", ..., " + names[-1]


def _labelled_row(line: bytes, words: dict[bytes, str | None]) -> list | None:
    """The values of a line of plain numbers and a word (a class label, kept as a str); None if the last
    cell is not a plain word (the careful reading says why). `words` remembers each last cell's word."""
    *values, label = line.split(b",")
    if label not in words:
        words[label] = _word(label)
    word = words[label]
    return None if word is None else [*map(float, values), word]


def _word(cell: bytes) -> str | None:
    """The text of a cell that is a word (not a number written any way float() reads), else None."""
    try:
        word = cell.strip(b" \t").decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not word or _not_a_number(word) != "is not a number" or _CONTROL.search(cell):
        return None
    return word


def _row(path, cells: list[str], width: int, number: int, what: str, label_column: int | None = None) -> list:
    """The values of one row of data; DataError naming the line and column of the first bad one.

    A word in `label_column` is a class label and stays a str.
    """
    if len(cells) != width:
        raise DataError(path, f"has {len(cells)} values but {what} {width}", number)
    row = []
    for c, cell in enumerate(cells):
        if not cell:
            raise DataError(path, f"column {c + 1} is empty", number)
        value = _number(cell)
        if value is None and c == label_column and _not_a_number(cell) == "is not a number":
            row.append(cell)  # a word; other ways of writing numbers ("1_000") are refused below
            continue
        if value is None:
            raise DataError(path, f"column {c + 1}: {_shown(cell)} {_not_a_number(cell)}", number)
        if not math.isfinite(value):
            problem = "is not finite" if "inf" in cell.lower() or "nan" in cell.lower() else "is too large"
            raise DataError(path, f"column {c + 1}: {_shown(cell)} {problem}", number)
        row.append(value)
    return row


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
