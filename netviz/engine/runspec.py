"""RunSpec: everything that defines a run, with one set of defaults, one validation and one dict form.

`netviz train/snapshot/export`, the New run dialog and session files all describe a run as a
RunSpec and build it with `build()`, so the same choices give the same run everywhere. The rules,
the same for every data source (the README's "Presets" says them to users):

- recipe: every preset has one (presets.RECIPES: hidden layers, their activation, bias, learning
  rate, rows per step, epochs) that learns it; `RunSpec.following(data)` is that run, and the CLI and
  the New run dialog start from it, changing only what the user chose. Other data (a CSV file,
  an edited table) follows the blog's: 4 sigmoid hidden neurons, lr 1, full batch, 60,000 epochs.
- layers: the data gives the input and output sizes.
- activations: one per weight layer; the output layer is sigmoid unless chosen, because every
  preset's targets are 0 or 1.
- bias: none for the blog's table (the blog's network has none), on for any other data.
- learning rate: the recipe's; a point set's is divided by its points (the gradient is summed over rows).
- new situation: the data's own (the blog's [1, 1, 0]; [0.5, 0.5] for AND/OR/XOR; the centre
  [0, 0] for point sets; an edited table's last row), else the middle of each input's range.
"""

import functools
import math
import os
from dataclasses import dataclass, field, replace

import numpy as np

from netviz.engine import activations, limits, presets, split
from netviz.engine.changes import TABLES, Change, layer_of
from netviz.engine.data import (
    FEATURES,
    SCALINGS,
    TARGET_KINDS,
    DataError,
    Dataset,
    add_features,
    load_csv,
    scale_inputs,
)
from netviz.engine.network import Architecture
from netviz.engine.training import ORDERS, TrainConfig

DATA_KINDS = ("preset", "csv", "rows")
DEFAULT_HIDDEN = (4,)
DEFAULT_ACTIVATION = "sigmoid"  # hidden layers and the output, unless chosen
MAX_HIDDEN_LAYERS, MAX_LAYER_SIZE = 8, 4096
MAX_EPOCHS = 100_000_000


class SpecError(ValueError):
    """A run setting out of range; str() is one line."""


def parse_layers(text: str) -> tuple[tuple[int, str | None], ...]:
    """'8 tanh, 8' -> ((8, 'tanh'), (8, None)): sizes, each optionally followed by its activation.

    The one grammar of layer lists: `--layers 2,8 tanh,1` and the dialog's hidden layers both use it.
    An empty text is no layers. SpecError for anything else.
    """
    entries = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry and text.strip():
            raise SpecError(f"layers {text!r}: an empty entry between commas")
        if not entry:
            continue
        words = entry.split()
        try:
            size = int(words[0].replace("_", ""))
        except ValueError:
            raise SpecError(f"layers {text!r}: write sizes like 4 or 8 tanh, 8 relu") from None
        act = words[1].lower() if len(words) > 1 else None
        if len(words) > 2 or (act is not None and act not in activations.NAMES):
            raise SpecError(f"layers {text!r}: the activation after a size is one of {', '.join(activations.NAMES)}")
        if not 1 <= size <= MAX_LAYER_SIZE:
            raise SpecError(f"layers {text!r}: each size must be 1 to {MAX_LAYER_SIZE}")
        entries.append((size, act))
    return tuple(entries)


def format_layers(sizes, acts) -> str:
    """The text parse_layers reads back: '8 tanh, 8 relu'."""
    return ", ".join(f"{n} {a}" for n, a in zip(sizes, acts))


def middle_of_inputs(dataset: Dataset) -> np.ndarray:
    """The middle of each input's range over the rows, (n_in,): the new situation of data without one."""
    if len(dataset) == 0:
        return np.zeros(dataset.n_in)
    return (dataset.inputs.min(axis=0) + dataset.inputs.max(axis=0)) / 2


@dataclass(frozen=True)
class DataSource:
    """Where a run's rows come from: a preset with its parameters, a CSV file, or rows edited by hand."""

    kind: str = "preset"  # one of DATA_KINDS
    preset: str = "blog"
    preset_seed: int = 0
    noise: float = 0.1
    points: int = 200
    path: str = ""  # a CSV file
    targets: int = 1  # how many last CSV columns are targets
    rows: Dataset | None = field(default=None, compare=False, repr=False)  # edited rows (with their new situation)
    target_kind: str = "auto"  # a CSV's single target column: class labels or values, guessed or chosen

    def __post_init__(self):
        if self.kind not in DATA_KINDS:
            raise SpecError(f"unknown kind of data {self.kind!r}; use {', '.join(DATA_KINDS)}")
        if self.kind == "preset" and self.preset not in presets.PRESETS:
            raise SpecError(f"unknown preset {self.preset!r}; choose one of {', '.join(presets.PRESETS)}")
        if not 0 <= self.preset_seed < 2**32:
            raise SpecError(f"a preset's seed must be 0 to {2**32 - 1}, got {self.preset_seed}")
        if not 0 <= self.noise <= presets.MAX_NOISE:
            raise SpecError(f"noise must be 0 to {presets.MAX_NOISE:g}, got {self.noise}")
        if not presets.MIN_POINTS <= self.points <= presets.MAX_POINTS:
            raise SpecError(f"points must be between {presets.MIN_POINTS} and {presets.MAX_POINTS}, got {self.points}")
        if self.kind == "csv" and not self.path:
            raise SpecError("choose a CSV file first")
        if self.targets < 1:
            raise SpecError(f"a CSV file needs at least 1 target column, got {self.targets}")
        if self.kind == "rows" and self.rows is None:
            raise SpecError("edited data needs its rows")
        if self.target_kind not in TARGET_KINDS:
            raise SpecError(f"unknown kind of targets {self.target_kind!r}; use {', '.join(TARGET_KINDS)}")

    def describe(self) -> str:
        """How messages name the data: 'the xor preset', 'data.csv', 'the edited table'."""
        if self.kind == "preset":
            return "the blog's data" if self.preset == "blog" else f"the {self.preset} preset"
        return self.path if self.kind == "csv" else "the edited table"

    def load(self) -> Dataset:
        """The rows, with a new situation (the data's own, else the middle of the inputs); DataError for a bad CSV."""
        if self.kind == "preset":
            dataset = presets.preset(self.preset, self.preset_seed, self.noise, self.points)
        elif self.kind == "csv":
            dataset = _copy(_read_csv(self.path, self.targets, self.target_kind, _stamp(self.path)))
        else:
            rows, situation = self.rows, self.rows.new_situation
            dataset = Dataset(rows.inputs.copy(), rows.targets.copy(), rows.name, list(rows.input_names),
                              list(rows.target_names), None if situation is None else np.array(situation),
                              scaling=rows.scaling, features=rows.features,
                              points=None if rows.points is None else rows.points.copy())  # fmt: skip
        if dataset.new_situation is None:
            dataset.new_situation = middle_of_inputs(dataset)
        return dataset

    def recipe(self) -> presets.Recipe:
        """The network and training that learn this data: the preset's recipe, else presets.data_recipe's
        (the blog's before a file can be read: building the run then says what is wrong with it)."""
        if self.kind == "preset":
            return presets.RECIPES[self.preset]
        if self.kind == "rows":
            return presets.data_recipe(self.rows)
        try:
            return presets.data_recipe(_read_csv(self.path, self.targets, self.target_kind, _stamp(self.path)))
        except DataError:
            return presets.OTHER_DATA

    def suggested_bias(self) -> bool:
        return self.recipe().bias

    def suggested_lr(self) -> float:
        return self.recipe().lr(self.points)

    def to_dict(self) -> dict:
        """JSON values; edited rows are not in it (a session stores them as arrays beside it)."""
        if self.kind == "preset":
            return {"kind": "preset", "preset": self.preset, "preset_seed": self.preset_seed,
                    "noise": self.noise, "points": self.points}  # fmt: skip
        if self.kind == "csv":
            return {"kind": "csv", "path": self.path, "targets": self.targets, "target_kind": self.target_kind}
        return {"kind": "rows", "name": self.rows.name}

    @classmethod
    def from_dict(cls, d: dict, rows: Dataset | None = None) -> "DataSource":
        """The inverse of to_dict; `rows` are the edited rows for kind "rows". SpecError for bad values."""
        kind = _get(d, "kind", str, "preset")
        if kind == "preset":
            return cls(kind, _get(d, "preset", str, "blog"), _get(d, "preset_seed", int, 0),
                       float(_get(d, "noise", (int, float), 0.1)), _get(d, "points", int, 200))  # fmt: skip
        if kind == "csv":
            return cls(kind, path=_get(d, "path", str, ""), targets=_get(d, "targets", int, 1),
                       target_kind=_get(d, "target_kind", str, "auto"))  # fmt: skip
        return cls(kind, rows=rows)


def _stamp(path: str) -> tuple | None:
    """(where, modification time, size) of a file: a file changed since it was read, or another file of
    the same name in another folder, is read again."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return os.path.abspath(path), stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=2)
def _read_csv(path: str, targets: int, target_kind: str, stamp) -> Dataset:
    """A CSV file read once for its recipe and its run (DataError is not cached: it is raised again)."""
    return load_csv(path, n_targets=targets, target_kind=target_kind)


def _copy(dataset: Dataset) -> Dataset:
    """A dataset that can be changed without changing the cached one."""
    situation = None if dataset.new_situation is None else dataset.new_situation.copy()
    return Dataset(dataset.inputs.copy(), dataset.targets.copy(), dataset.name, list(dataset.input_names),
                   list(dataset.target_names), situation, list(dataset.notes))  # fmt: skip


@dataclass(frozen=True)
class RunSpec:
    """A run: its data, hidden layers, the activation of each weight layer (the output's last), bias,
    learning rate, rows per step, weight seed, epochs and new situation.

    bias and lr None follow the data's rule (see the module note); `resolved()` fills them in.
    new_situation None is the data's own.
    """

    data: DataSource = field(default_factory=DataSource)
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    activations: tuple[str, ...] = (DEFAULT_ACTIVATION, DEFAULT_ACTIVATION)
    bias: bool | None = None
    lr: float | None = None
    batch: int | None = None  # rows per step; None = the whole set (the blog)
    seed: int = 1
    epochs: int = 60_000
    new_situation: tuple[float, ...] | None = None
    order: str = "shuffled"  # how steps of `batch` rows go through the data: "shuffled" or "in-order"
    # Real data: how inputs are scaled (data.SCALINGS; "auto" standardises inputs far outside [-1, 1],
    # except a preset's, which are made for the plane).
    scale: str = "auto"
    features: tuple[str, ...] = ()  # 2-D data: the inputs are these FEATURES of each point (in FEATURES' order)
    # Regularisation and the test split (0 = none); TrainConfig says how the penalty trains.
    l1: float = 0.0
    l2: float = 0.0
    test_fraction: float = 0.0  # of the rows, held out of training to measure the test loss
    changes: tuple[Change, ...] = ()  # settings changed at epochs (netviz.engine.segments makes them)

    def __post_init__(self):
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            raise SpecError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(self.hidden)}")
        if any(not 1 <= n <= MAX_LAYER_SIZE for n in self.hidden):
            raise SpecError(f"hidden layer sizes must be 1 to {MAX_LAYER_SIZE}, got {list(self.hidden)}")
        if len(self.activations) != len(self.hidden) + 1:
            raise SpecError(
                f"{len(self.hidden) + 1} weight layers need as many activations, got {len(self.activations)}"
            )
        for name in self.activations[:-1]:
            if name not in activations.NAMES:
                raise SpecError(f"unknown activation {name!r}; choose from {', '.join(activations.NAMES)}")
        if self.activations[-1] not in activations.ALL_NAMES:
            raise SpecError(
                f"unknown output activation {self.activations[-1]!r}; choose from {', '.join(activations.ALL_NAMES)}"
            )
        if self.lr is not None and not (math.isfinite(self.lr) and self.lr > 0):
            raise SpecError(f"the learning rate must be a positive number, got {self.lr}")
        if self.batch is not None and self.batch < 1:
            raise SpecError(f"rows per step must be at least 1, got {self.batch}")
        if self.order not in ORDERS:
            raise SpecError(f"unknown row order {self.order!r}; use {' or '.join(ORDERS)}")
        if not 0 <= self.seed < 2**32:
            raise SpecError(f"the weight seed must be 0 to {2**32 - 1}, got {self.seed}")
        if not 1 <= self.epochs <= MAX_EPOCHS:
            raise SpecError(f"epochs must be 1 to {MAX_EPOCHS:,}, got {self.epochs}")
        if self.new_situation is not None and not all(math.isfinite(v) for v in self.new_situation):
            raise SpecError(f"the new situation must be finite numbers, got {list(self.new_situation)}")
        if self.scale not in SCALINGS:
            raise SpecError(f"unknown input scaling {self.scale!r}; use {', '.join(SCALINGS)}")
        unknown = [name for name in self.features if name not in FEATURES]
        if unknown:
            raise SpecError(f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
        if list(self.features) != [name for name in FEATURES if name in self.features]:
            raise SpecError(f"features {','.join(self.features)}: list each once, in the order {','.join(FEATURES)}")
        self._check_lab_settings()

    def _check_lab_settings(self) -> None:
        """Regularisation rates and the test fraction."""
        for name, rate in (("l1", self.l1), ("l2", self.l2)):
            if not (math.isfinite(rate) and rate >= 0):
                raise SpecError(f"the {name} rate must be a number of 0 or more, got {rate}")
        if not (math.isfinite(self.test_fraction) and 0 <= self.test_fraction < 1):
            raise SpecError(f"the test fraction must be at least 0 and below 1, got {self.test_fraction}")
        for change in self.changes:
            self._check_change(change)

    def _check_change(self, change: Change) -> None:
        """A scheduled change fits this run: within its epochs, a layer it has, noise only for point data."""
        if change.epoch > self.epochs:
            raise SpecError(f"the change {change.text()} is beyond the run's {self.epochs:,} epochs")
        for key, _ in change.settings:
            layer = layer_of(key)
            if layer is not None and layer > len(self.activations):
                raise SpecError(f"{key}: the network has {len(self.activations)} weight layers")
            if key == "noise" and (self.data.kind != "preset" or self.data.preset in TABLES):
                raise SpecError("noise applies to a preset's points (circle, spiral...)")

    @classmethod
    def of(cls, hidden=DEFAULT_HIDDEN, hidden_activation: str = DEFAULT_ACTIVATION, **settings) -> "RunSpec":
        """A spec whose hidden layers share one activation; the output's is `output_activation` (sigmoid)."""
        output = settings.pop("output_activation", DEFAULT_ACTIVATION)
        hidden = tuple(hidden)
        return cls(hidden=hidden, activations=(hidden_activation,) * len(hidden) + (output,), **settings)

    @classmethod
    def following(cls, data: "DataSource | None" = None, **settings) -> "RunSpec":
        """The run of the data's recipe (the blog's run for no data), with `settings` in place of its own.

        bias and lr stay None (the data's rule, which is the recipe's) unless given.
        """
        data = data or DataSource()
        recipe = data.recipe()
        hidden = tuple(settings.pop("hidden", recipe.hidden))
        acts = settings.pop("activations", (recipe.activation,) * len(hidden) + (recipe.output,))
        settings = {"batch": recipe.batch, "epochs": recipe.epochs, **settings}
        return cls(data=data, hidden=hidden, activations=tuple(acts), **settings)

    @property
    def output_activation(self) -> str:
        return self.activations[-1]

    def resolved(self) -> "RunSpec":
        """The same run with bias and lr filled in by the data's rule."""
        bias = self.bias if self.bias is not None else self.data.suggested_bias()
        lr = self.lr if self.lr is not None else self.data.suggested_lr()
        return replace(self, bias=bias, lr=lr)

    def build(self) -> tuple[TrainConfig, Dataset]:
        """The configuration and training rows of this run (without any test rows: see build_split).

        DataError for a bad CSV, SpecError for a bad new situation.
        """
        return self.build_split()[:2]

    def build_split(self) -> tuple[TrainConfig, Dataset, Dataset | None]:
        """The configuration, the training rows and the test rows (None without a test fraction).

        The test rows are drawn by a seed from the data's preset seed (netviz.engine.split), so the
        same spec holds out the same rows on every run.
        """
        spec = self.resolved()
        dataset = self.data.load()
        if spec.new_situation is not None:
            if len(spec.new_situation) != dataset.n_in:
                raise SpecError(
                    f"the new situation has {len(spec.new_situation)} values but {self.data.describe()} "
                    f"has {dataset.n_in} inputs"
                )
            dataset.new_situation = np.array(spec.new_situation, dtype=np.float64)
            if dataset.scaling is not None:  # edited rows scaled before: the situation is in the data's units
                dataset.new_situation = dataset.scaling.scaled(dataset.new_situation)
        if spec.features and not dataset.features:  # edited rows may be features already
            if dataset.n_in != 2:
                raise SpecError(
                    f"features are made from 2 inputs (x, y), but {self.data.describe()} has {dataset.n_in}"
                )
            add_features(dataset, spec.features)
        auto = "none" if self.data.kind == "preset" else "auto"
        scale_inputs(dataset, auto if spec.scale == "auto" else spec.scale, self.data.describe())
        check_targets(dataset, spec.output_activation, self.data.describe())
        layers = (dataset.n_in, *spec.hidden, dataset.n_out)
        if limits.n_params(layers, spec.bias) > limits.MAX_PARAMS:  # refused before any weight is allocated
            raise SpecError(
                f"layers {','.join(map(str, layers))} have {limits.n_params(layers, spec.bias):,} weights and "
                f"biases; netviz draws at most {limits.MAX_PARAMS:,}"
            )
        arch = Architecture(layers, spec.activations, spec.bias)
        train, test = self.split_rows(dataset)
        config = TrainConfig(
            arch, lr=spec.lr, batch=spec.batch, seed=spec.seed, epochs=spec.epochs, order=spec.order,
            l1=spec.l1, l2=spec.l2,
        )  # fmt: skip
        return config, train, test

    def split_rows(self, dataset: Dataset) -> tuple[Dataset, Dataset | None]:
        """(training rows, test rows or None) of dataset, by the spec's test fraction; SpecError if too few rows."""
        try:
            return split.split(dataset, self.test_fraction, self.data.preset_seed)
        except ValueError as exc:
            raise SpecError(f"{self.data.describe()}: {exc}") from None

    def to_dict(self) -> dict:
        """JSON values, the form sessions store (edited rows travel beside it, see DataSource.to_dict)."""
        return {
            "data": self.data.to_dict(),
            "hidden": list(self.hidden),
            "activations": list(self.activations),
            "bias": self.bias,
            "lr": self.lr,
            "batch": self.batch,
            "seed": self.seed,
            "epochs": self.epochs,
            "new_situation": None if self.new_situation is None else list(self.new_situation),
            "order": self.order,
            "scale": self.scale,
            "features": list(self.features),
            **self._lab_dict(),
        }

    def _lab_dict(self) -> dict:
        """Regularisation and the test split, only where set: a run without them stores what it always did."""
        settings = {"l1": self.l1, "l2": self.l2, "test_fraction": self.test_fraction}
        settings = {key: value for key, value in settings.items() if value != 0}
        return settings | ({"changes": [c.text() for c in self.changes]} if self.changes else {})

    @classmethod
    def from_dict(cls, d: dict, rows: Dataset | None = None) -> "RunSpec":
        """The inverse of to_dict, with the defaults for missing keys; SpecError (one line) for bad values."""
        if not isinstance(d, dict):
            raise SpecError("run settings must be a JSON object")
        data = _get(d, "data", dict, {})
        hidden = _get(d, "hidden", list, list(DEFAULT_HIDDEN))
        acts = _get(d, "activations", list, [DEFAULT_ACTIVATION] * (len(hidden) + 1))
        situation = _get(d, "new_situation", (list, type(None)), None)
        if not all(_is(n, int) for n in hidden) or not all(isinstance(a, str) for a in acts):
            raise SpecError("hidden layers must be whole numbers and activations names")
        if situation is not None and not all(_is(v, (int, float)) for v in situation):
            raise SpecError("the new situation must be a list of numbers")
        lr = _get(d, "lr", (int, float, type(None)), None)
        return cls(
            data=DataSource.from_dict(data, rows),
            hidden=tuple(hidden),
            activations=tuple(acts),
            bias=_get(d, "bias", (bool, type(None)), None),
            lr=None if lr is None else float(lr),
            batch=_get(d, "batch", (int, type(None)), None),
            seed=_get(d, "seed", int, 1),
            epochs=_get(d, "epochs", int, 60_000),
            new_situation=None if situation is None else tuple(float(v) for v in situation),
            order=_get(d, "order", str, "shuffled"),
            scale=_get(d, "scale", str, "auto"),
            features=tuple(_feature_names(_get(d, "features", list, []))),
            **{key: float(_get(d, key, (int, float), 0.0)) for key in ("l1", "l2", "test_fraction")},
            changes=_changes(_get(d, "changes", list, [])),
        )

    @classmethod
    def describing(cls, config: TrainConfig, dataset: Dataset) -> "RunSpec":
        """The spec of a run known only by its configuration and rows (e.g. a session from before specs).

        Rows equal to a preset's with its default parameters count as that preset; any others as edited rows.
        """
        data = DataSource("rows", rows=dataset)
        if dataset.name in presets.PRESETS:
            candidate = DataSource(preset=dataset.name)
            rows = candidate.load()
            if np.array_equal(rows.inputs, dataset.inputs) and np.array_equal(rows.targets, dataset.targets):
                data = candidate
        arch = config.arch
        own = data.load().new_situation
        situation = None if dataset.new_situation is None else tuple(float(v) for v in dataset.new_situation)
        if situation is not None and np.array_equal(situation, own):
            situation = None  # the data's own
        # Rows are as the run trained on them (already scaled, if they were): scaling them again would not rebuild it.
        scale = "none" if data.kind == "rows" else "auto"
        return cls(data, arch.layers[1:-1], arch.activations, arch.bias, config.lr, config.batch, config.seed,
                   config.epochs, situation, config.order, scale, l1=config.l1, l2=config.l2)  # fmt: skip


# The values each output activation can take: a target outside them cannot be learnt.
OUTPUT_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, math.inf), "softmax": (0.0, 1.0)}


def check_targets(dataset: Dataset, output: str, data: str) -> None:
    """SpecError, with the fix, for targets that the output activation cannot reach."""
    if output == "softmax":
        if dataset.n_out < 2:
            raise SpecError(f"a softmax output needs at least 2 outputs (classes), but {data} has 1 target")
        sums = dataset.targets.sum(axis=1)
        if len(dataset) and not (np.abs(sums - 1.0) <= 1e-9).all():
            row = int(np.flatnonzero(np.abs(sums - 1.0) > 1e-9)[0])
            raise SpecError(
                f"a softmax output learns classes, but row {row + 1} of {data} has targets summing to {sums[row]:g}, "
                f"not 1; choose a sigmoid output (--output sigmoid)"
            )
    lo, hi = OUTPUT_RANGES.get(output, (-math.inf, math.inf))
    if len(dataset) == 0:
        return
    low, high = float(dataset.targets.min()), float(dataset.targets.max())
    if low < lo or high > hi:
        value = low if low < lo else high
        span = f"{lo:g} or more" if hi == math.inf else f"{lo:g} to {hi:g}"
        labels = dataset.n_out == 1 and low >= 0 and (dataset.targets == np.round(dataset.targets)).all()
        raise SpecError(
            f"{data} has a target of {value:g}, outside the {output} output's range ({span}); "
            f"for values, choose a linear output (--output linear --targets values)"
            + ("; for classes, --targets labels" if labels else "")
        )


def _feature_names(values: list) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise SpecError(f"run setting 'features' is not a list of names ({values!r})")
    return values


def _changes(texts: list) -> tuple[Change, ...]:
    """Scheduled changes from their texts ("3000:lr=0.1"); SpecError for a bad one."""
    if not all(isinstance(text, str) for text in texts):
        raise SpecError("run setting 'changes' must be a list of changes like '3000:lr=0.1'")
    try:
        return tuple(Change.parse(text) for text in texts)
    except ValueError as exc:
        raise SpecError(f"run setting 'changes': {exc}") from None


def _is(value, kinds) -> bool:
    """isinstance, except that a bool is never a number."""
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in _tuple(kinds))


def _tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _get(d: dict, key: str, kinds, default):
    """d[key] if present and of kinds, the default if absent; SpecError if present and not valid."""
    if key not in d:
        return default
    value = d[key]
    if not _is(value, kinds):
        raise SpecError(f"run setting {key!r} is not valid ({value!r})")
    return value
