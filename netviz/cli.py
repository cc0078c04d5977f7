"""The `netviz` command: the app with no arguments; train, snapshot and export without a window.

Nothing here imports Qt at module level: `netviz train` must start like a plain NumPy
script and run on a server without a display.
"""

import argparse
import math
import os
import sys
import time
from dataclasses import replace

# netviz multiplies small matrices, where a multi-threaded BLAS only adds overhead: measured
# here, a 64-128-64-10 network trained 3-4x slower with 2 OpenBLAS threads than with 1, and
# the window's painting needs the other core. Set before NumPy loads; the user's setting wins.
# (Only for the netviz command and app: a script that imports netviz.Recorder keeps its own.)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

import netviz  # noqa: E402
from netviz.atomic import Terminated, WriteError, unwind_on_termination  # noqa: E402
from netviz.engine import activations, presets, segments  # noqa: E402
from netviz.engine.changes import KEYS, Change  # noqa: E402
from netviz.engine.data import FEATURES, SCALINGS, TARGET_KINDS, DataError, Dataset  # noqa: E402
from netviz.engine.network import Architecture  # noqa: E402
from netviz.engine.runspec import (  # noqa: E402
    DataSource,
    RunSpec,
    SpecError,
    parse_layers,
)
from netviz.engine.training import ORDERS, Diverged, TrainConfig  # noqa: E402
from netviz.export.options import (  # noqa: E402
    DEFAULT_THEME,
    EXPORT_FRAMES,
    FORMATS,
    HOLD_S,
    LEARN_FRAMES,
    MAX_FPS,
    MIN_FPS,
    THINK_FRAMES,
    ExportOptions,
    OptionsError,
    check_learn_applies,
)
from netviz.export.schedule import DEFAULT_SCHEDULE, SCHEDULES  # noqa: E402
from netviz.numbers import counted, format_loss  # noqa: E402
from netviz.scene.style import DEFAULT_WEIGHT_SCALE, THEMES, WEIGHT_SCALES  # noqa: E402

EXIT_OK, EXIT_BAD_INPUT, EXIT_DIVERGED = 0, 2, 3
EXIT_INTERRUPTED, EXIT_PIPE_CLOSED = 130, 141  # 128 + SIGINT, 128 + SIGPIPE, as shells report them


class UsageError(Exception):
    """A bad option value; the message is one line."""


class PathError(UsageError):
    """A file name that cannot be written (no name, a missing or unwritable folder): --help would not help."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number (underscores allowed) from low to high, inclusive."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {value}")
        if value < low:
            more = "at least 1" if low == 1 else f"{low} or more"
            raise argparse.ArgumentTypeError(f"must be {more}, got {value}")
        return value

    return parse


_positive_int = whole_number(1)
_seed = whole_number(0, 2**32 - 1)
_epoch = whole_number(0)


def real_number(low: float, high: float = math.inf, *, above: bool = False, unit: str = ""):
    """An argparse type: a finite number from low (or above it) to high; `unit` names it in messages."""
    if above and high == math.inf:
        allowed = "a positive number" if low == 0 else f"above {low:g}"
    elif above:
        allowed = f"above {low:g} and at most {high:g}"
    elif high == math.inf:
        allowed = f"{low:g} or more" + (f" {unit}" if unit else "")
    else:
        allowed = f"{low:g} to {high:g}" + (f" {unit}" if unit else "")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number" + (f" of {unit}" if unit else "")) from None
        if not (math.isfinite(value) and (value > low if above else value >= low) and value <= high):
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text}")
        return value

    return parse


_learning_rate = real_number(0, above=True)
_noise = real_number(0, presets.MAX_NOISE)
_fps = real_number(MIN_FPS, MAX_FPS)
_seconds = real_number(0, 600, unit="seconds")


def _layers(text: str) -> tuple[tuple[int, str | None], ...]:
    """'3,8 tanh,1' -> ((3, None), (8, 'tanh'), (1, None)): inputs first, in the one layer grammar."""
    try:
        entries = parse_layers(text)
    except SpecError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if len(entries) < 2:
        raise argparse.ArgumentTypeError(f"needs at least an input and an output size, got {text!r}")
    if entries[0][1] is not None:
        raise argparse.ArgumentTypeError(f"the input layer has no activation, got {text!r}")
    return entries


def _names_among(text: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated activation names, each one of `allowed`."""
    names = tuple(part.strip().lower() for part in text.split(","))
    for name in names:
        if name not in allowed:
            raise argparse.ArgumentTypeError(f"{name!r} is not one of {', '.join(allowed)}")
    return names


def _activation(text: str) -> tuple[str, ...]:
    return _names_among(text, activations.NAMES)


def _output(text: str) -> str:
    name = text.strip().lower()
    if name not in activations.ALL_NAMES:
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(activations.ALL_NAMES)}")
    return name


def _features(text: str) -> tuple[str, ...]:
    names = tuple(part.strip().lower() for part in text.split(","))
    for name in names:
        if name not in FEATURES:
            raise argparse.ArgumentTypeError(f"{name!r} is not one of {', '.join(FEATURES)}")
    return names


FULL_BATCH = "full"


def _batch(text: str) -> int | str:
    if text.lower() == FULL_BATCH:
        return FULL_BATCH
    try:
        return _positive_int(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"must be 'full' or a number of rows of at least 1, got {text!r}") from None


def _targets(text: str) -> int | str:
    """'labels', 'values' (how to read the one target column) or a number of target columns."""
    if text.lower() in TARGET_KINDS[1:]:
        return text.lower()
    if not text.lstrip("+-").replace("_", "").isdigit():
        raise argparse.ArgumentTypeError(f"must be labels, values or a number of target columns, got {text!r}")
    return _positive_int(text)


def numbers(text: str) -> np.ndarray:
    """A comma-separated list of finite numbers, e.g. '1,1,0'."""
    try:
        values = np.array([float(part) for part in text.split(",")])
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of numbers like 1,1,0") from None
    if not np.isfinite(values).all():
        raise argparse.ArgumentTypeError(f"values must be finite, got {text!r}")
    return values


_points = whole_number(presets.MIN_POINTS, presets.MAX_POINTS)


def add_training_options(parser: argparse.ArgumentParser) -> None:
    """The options that define a run (a RunSpec); shared by train, snapshot and export."""
    defaults = RunSpec()
    g = parser.add_argument_group("training (default: the data's recipe; the blog's run for its table)")
    g.add_argument(
        "--epochs",
        type=_positive_int,
        help=f"epochs to train (default: the recipe's; {defaults.epochs:,} for the blog)",
    )
    g.add_argument("--seed", type=_seed, help=f"seed of the starting weights (default {defaults.seed})")
    g.add_argument(
        "--layers", type=_layers, metavar="3,4,1",
        help="neurons per layer, inputs first, each optionally with its activation: 2,8 tanh,1 "
        "(default: the recipe's hidden layers)",
    )  # fmt: skip
    g.add_argument(
        "--activation", type=_activation,
        help="sigmoid, tanh, relu or linear: one name for the hidden layers (the output keeps the recipe's), "
        "or one per weight layer (default: the recipe's)",
    )  # fmt: skip
    g.add_argument(
        "--output", type=_output, metavar="softmax",
        help=f"the output layer's activation: {', '.join(activations.ALL_NAMES)} (default: the recipe's; "
        "softmax for three or more classes, linear for the regression presets, else sigmoid)",
    )  # fmt: skip
    g.add_argument(
        "--lr", type=_learning_rate,
        help="learning rate (default: the recipe's; a point set's is divided by its points)",
    )  # fmt: skip
    g.add_argument(
        "--batch", type=_batch, help="full, or rows per step (1 = one at a time) (default: the recipe's, full)"
    )
    g.add_argument(
        "--order", choices=ORDERS, default="shuffled",
        help="how --batch steps go through the rows: shuffled every epoch (default) or in the data's order",
    )  # fmt: skip
    g.add_argument(
        "--bias", action=argparse.BooleanOptionalAction,
        help="give every neuron a bias (default: on, except for the blog's table, whose network has none)",
    )  # fmt: skip
    g.add_argument("--data", metavar="FILE.csv", help="training data: numbers, last column(s) the target")
    g.add_argument(
        "--targets", type=_targets, metavar="labels|values|K",
        help="the last column holds class labels (one output per class) or values; or the last K columns are "
        "targets (default: class labels if it holds words or a few whole numbers 0, 1, 2..., else values)",
    )  # fmt: skip
    g.add_argument(
        "--predict", type=numbers, metavar="1,1,0",
        help="the new situation to ask about (default: the data's own, else the middle of its inputs)",
    )  # fmt: skip
    g.add_argument(
        "--scale", choices=SCALINGS[1:],
        help="scale the inputs to train on: standard (mean 0, standard deviation 1), minmax (-1 to 1) or none "
        "(default: standard for a data file whose inputs reach beyond -3 to 3, else none)",
    )  # fmt: skip
    g.add_argument(
        "--features", type=_features, metavar="x,y,x2",
        help=f"2-D data: train on these features of each point, any of {','.join(FEATURES)} in that order "
        "(default: x,y as they are)",
    )  # fmt: skip
    g.add_argument("--preset", metavar="NAME", help=f"built-in data instead of --data: {', '.join(presets.PRESETS)}")
    g.add_argument("--preset-seed", type=_seed, metavar="S", help="seed of a preset's points (default 0)")
    g.add_argument("--noise", type=_noise, metavar="X", help="a preset's noise, 0 to 1 (default 0.1)")
    g.add_argument("--points", type=_points, metavar="N", help="a preset's points (default 200)")
    add_lab_options(parser)


_rate = real_number(0)


def add_lab_options(parser: argparse.ArgumentParser) -> None:
    """Regularisation, the test split and scheduled changes: part of a run, like the training options."""
    g = parser.add_argument_group("regularisation, test rows and changes mid-run")
    g.add_argument(
        "--l1", type=_rate, metavar="RATE",
        help="penalise l1 * sum|w| over the weights (not biases), per row as the loss is (default 0)",
    )  # fmt: skip
    g.add_argument(
        "--l2", type=_rate, metavar="RATE",
        help="penalise l2/2 * sum w^2 over the weights (not biases), per row as the loss is (default 0)",
    )  # fmt: skip
    g.add_argument(
        "--test-fraction", type=_fraction, metavar="F",
        help="hold this fraction of the rows out of training and report their loss (0 to below 1; the rows "
        "follow --preset-seed, the same on every run) (default 0)",
    )  # fmt: skip
    g.add_argument(
        "--change", type=_change, action="append", metavar="EPOCH:KEY=VALUE[,KEY=VALUE]",
        help=f"change settings at an epoch (repeatable): {', '.join(KEYS)} (all hidden layers) or activationN "
        "(weight layer N); noise regenerates a preset's points with the same seed. E.g. 3000:lr=0.1,l2=0.001",
    )  # fmt: skip


def _fraction(text: str) -> float:
    value = real_number(0, 1)(text)
    if value >= 1:
        raise argparse.ArgumentTypeError(f"must be at least 0 and below 1, got {text}")
    return value


def _change(text: str) -> Change:
    try:
        return Change.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _given(settings: dict) -> dict:
    """The settings whose option was given (argparse leaves the others None)."""
    return {key: value for key, value in settings.items() if value is not None}


def _data_source(args) -> DataSource:
    if args.preset is not None and args.data:
        raise UsageError("--preset and --data both give the data; use one")
    given = {"--preset-seed": args.preset_seed, "--noise": args.noise, "--points": args.points}
    stray = next((option for option, value in given.items() if value is not None), None)
    if args.preset is None and stray:
        raise UsageError(f"{stray} needs --preset")
    if args.targets is not None and not args.data:
        raise UsageError("--targets needs --data")
    if args.preset is not None:
        settings = {"preset_seed": args.preset_seed, "noise": args.noise, "points": args.points}
        return DataSource("preset", args.preset, **_given(settings))
    if args.data:
        if isinstance(args.targets, str):
            return DataSource("csv", path=args.data, target_kind=args.targets)
        return DataSource("csv", path=args.data, **_given({"targets": args.targets}))
    return DataSource()


def _activations(args, entries, recipe) -> tuple[str, ...]:
    """One per weight layer: from --layers' entries or --activation (one name: the hidden layers), else the recipe's."""
    named = [act for _, act in entries[1:]]
    n_hidden = len(entries) - 2
    if args.output is not None:
        if named[-1] is not None or (args.activation is not None and len(args.activation) > 1):
            raise UsageError("give the output's activation once: with --output, or in --layers or --activation")
        recipe = replace(recipe, output=args.output)
    if args.activation is None:
        return (*(act or recipe.activation for act in named[:-1]), named[-1] or recipe.output)
    if any(named):
        raise UsageError("give activations in --layers or with --activation, not both")
    names = args.activation
    if len(names) == n_hidden + 1:
        return names
    if len(names) == 1:
        return names * n_hidden + (recipe.output,)
    raise UsageError(
        f"--activation lists {len(names)} names but the network has {n_hidden + 1} weight layers: "
        f"give one name (for the hidden layers) or one per weight layer"
    )


def spec_from_args(args) -> RunSpec:
    """The run the options describe: the data's recipe, changed by the options given.

    Raises UsageError, or SpecError for a setting out of range.
    """
    data = _data_source(args)
    recipe = data.recipe()
    entries = args.layers or ((0, None), *((n, None) for n in recipe.hidden), (0, None))
    settings = _given({"bias": args.bias, "lr": args.lr, "seed": args.seed, "epochs": args.epochs,
                       "order": args.order})  # fmt: skip
    settings.update(_given({"scale": args.scale, "features": args.features}))  # real data: how inputs are made
    settings.update(_given({"l1": args.l1, "l2": args.l2, "test_fraction": args.test_fraction}))
    if args.change:
        settings["changes"] = tuple(args.change)
    if args.batch is not None:  # "full" is a choice too: None in the spec
        settings["batch"] = None if args.batch == FULL_BATCH else args.batch
    return RunSpec.following(
        data,
        hidden=tuple(n for n, _ in entries[1:-1]),
        activations=_activations(args, entries, recipe),
        new_situation=None if args.predict is None else tuple(float(v) for v in args.predict),
        **settings,
    )


def run_from_args(args) -> tuple[RunSpec, TrainConfig, Dataset, Dataset | None]:
    """The run the options describe, built (its test rows last); raises UsageError or DataError (a bad CSV file)."""
    try:
        spec = spec_from_args(args)
        config, dataset, test = spec.build_split()
    except SpecError as exc:  # a setting out of range or at odds with the data: an option's fault
        raise UsageError(str(exc)) from None
    layers = config.arch.layers
    if args.layers and (args.layers[0][0] != layers[0] or args.layers[-1][0] != layers[-1]):
        sizes = [n for n, _ in args.layers]
        raise UsageError(
            f"--layers {','.join(map(str, sizes))} needs {counted(sizes[0], 'input')} and "
            f"{counted(sizes[-1], 'output')}, but {spec.data.describe()} has {counted(dataset.n_in, 'input')} and "
            f"{counted(dataset.n_out, 'target')}"
        )
    return spec, config, dataset, test


def _print_weights(arch: Architecture, theta: np.ndarray) -> None:
    weights, biases = arch.views(theta)
    for i, (w, b) in enumerate(zip(weights, biases), start=1):
        n_in, n_out = w.shape
        neurons = "1 neuron" if n_out == 1 else f"{n_out} neurons"
        inputs = f"with {n_in} inputs" if n_out == 1 else f"each with {n_in} inputs"
        print(f"    Layer {i} ({neurons}, {inputs}):")
        print(w)
        if b is not None:
            print(f"    Layer {i} biases:")
            print(b)


def _print_notes(dataset: Dataset) -> None:
    """One line on standard error for each choice made about the data (class labels, scaling)."""
    for note in dataset.notes:
        print(f"netviz: note: {note}", file=sys.stderr)


def cmd_train(args) -> int:
    from netviz.engine.history import History

    spec, config, dataset, test = run_from_args(args)
    _print_notes(dataset)
    if args.save is not None:
        _writable_target(args.save, (".netviz",))
        _probe_folder(args.save)
    history = History(config, dataset, test=test)
    print("Stage 1) Random starting synaptic weights:")
    _print_weights(config.arch, config.arch.init_params(config.seed, config.init))
    start = time.perf_counter()
    try:
        trainer = segments.train(history, config.epochs, spec.changes, spec)
    except Diverged as exc:
        print(f"netviz train: {exc}; the last finite epoch is {history.latest_epoch:,}", file=sys.stderr)
        return EXIT_DIVERGED
    seconds = time.perf_counter() - start
    print("Stage 2) New synaptic weights after training:")
    config, dataset = history.config, history.dataset  # the last segment's, after any --change
    _print_weights(config.arch, trainer.theta)
    situation = dataset.new_situation  # every run has one (see RunSpec), asked in the data's own units
    situation = ", ".join(
        f"{v:g}" for v in (situation if dataset.scaling is None else dataset.scaling.original(situation))
    )
    print(f"Stage 3) Considering a new situation [{situation}] -> ?:")
    print(config.arch.forward(trainer.theta, dataset.new_situation)[-1][0])
    accuracy = presets.accuracy(config.arch.forward(trainer.theta, dataset.inputs)[-1], dataset.targets)
    if accuracy is not None:
        print(f"training accuracy: {100 * accuracy:.1f}%")
    _print_lab_lines(history)
    rate = config.epochs / seconds if seconds > 0 else float("inf")
    print(
        f"({config.arch!r}, {config.epochs:,} epochs in {seconds:.2f} s, {rate:,.0f} epochs/s, "
        f"final loss {format_loss(history.loss[-1])})",
        file=sys.stderr,
    )
    if args.save is not None:
        from netviz.engine.session import save_session

        save_session(args.save, history, spec=spec)
        print(f"saved the session to {args.save}", file=sys.stderr)
    return EXIT_OK


def _print_lab_lines(history) -> None:
    """netviz train's lines for changes, regularisation and test rows: each change, and at the last epoch the
    objective training minimised and the loss and accuracy on the rows held out of it."""
    last, config, test = history.latest_epoch, history.config, history.test
    theta = history.weights_at(last)
    for segment in history.segments[1:]:
        print(f"epoch {segment.start:,}: {segments.describe(segment.edit)}")
    if config.regularised:
        print(f"loss with penalty: {history.loss_with_penalty_at(last):.6g}")
    if test is not None:
        print(f"test loss: {history.test_loss[last]:.6g}")
        accuracy = presets.accuracy(config.arch.forward(theta, test.inputs)[-1], test.targets)
        if accuracy is not None:
            print(f"test accuracy: {100 * accuracy:.1f}%")


def parse_size(text: str) -> tuple[int, int]:
    """'1280x800' -> (1280, 800); each side 16..8192 pixels."""
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x800") from None
    if not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise argparse.ArgumentTypeError(f"each side must be 16 to 8192 pixels, got {text!r}")
    return width, height


def train_whole_run(config: TrainConfig, dataset: Dataset, command: str, test=None, spec: RunSpec | None = None):
    """Train the configured run (with its test rows and the spec's changes) into a History; None (after saying
    why) if it diverged."""
    from netviz.engine.history import History

    history = History(config, dataset, test=test)
    try:
        segments.train(history, config.epochs, () if spec is None else spec.changes, spec)
    except Diverged as exc:
        print(f"netviz {command}: {exc}; the last finite epoch is {history.latest_epoch:,}", file=sys.stderr)
        return None
    return history


def _writable_target(path: str, suffixes: tuple[str, ...]) -> None:
    import os

    folder = os.path.dirname(os.path.abspath(path))
    if not path.lower().endswith(suffixes):
        raise UsageError(f"{path}: unknown file type; use {' or '.join(suffixes)}")
    extension = os.path.basename(path).lower()
    if extension in suffixes:  # a hidden file no file browser would show
        raise PathError(f"{path}: the name is only an extension; give a name, like run{extension}")
    if not os.path.isdir(folder):
        raise PathError(f"{path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise PathError(f"{path}: is a folder")
    if not os.access(folder, os.W_OK):
        raise PathError(f"{path}: the folder {folder} is not writable")


def saved_history(args):
    """The history in the --session file, or None without --session; training options do not mix with it."""
    if args.session is None:
        return None
    defaults = _Parser(add_help=False)
    add_training_options(defaults)
    for action in defaults._actions:
        value = getattr(args, action.dest)
        if value is not None if action.default is None else value != action.default:
            raise UsageError(f"{action.option_strings[0]} does not apply to --session: the file holds the run")
    from netviz.api import read_session

    return read_session(args.session)[0].history


def _run_end(saved, last: int) -> str:
    return f"the run's {last:,} epochs" if saved is None else f"the session's last epoch, {last:,}"


def _default_input(dataset: Dataset):
    """The new situation, else the first row, else None (a recorded session may hold no data)."""
    if dataset.new_situation is not None:
        return dataset.new_situation
    return dataset.inputs[0] if len(dataset) else None


def network_input(dataset: Dataset, values: np.ndarray | None) -> np.ndarray | None:
    """--input, given in the data's own units (a point x, y for feature inputs), as the network takes it."""
    if values is None or (dataset.scaling is None and not dataset.features):
        return values
    width = 2 if dataset.features else dataset.n_in
    if len(values) != width:
        what = "2 (a point x, y; its inputs are features of it)" if dataset.features else f"{width} inputs"
        raise UsageError(f"--input has {len(values)} values but the data has {what}")
    return dataset.inputs_at(values)[0]


def cmd_snapshot(args) -> int:
    saved = saved_history(args)
    spec, config, dataset, test = run_from_args(args) if saved is None else (None, saved.config, saved.dataset, None)
    _print_notes(dataset)  # a session's data was read before: its dataset holds no notes
    last = config.epochs if saved is None else saved.latest_epoch
    _writable_target(args.out, (".png",))
    args.input = network_input(dataset, args.input)
    if args.input is not None and len(args.input) != dataset.n_in:
        raise UsageError(f"--input has {len(args.input)} values but the network has {dataset.n_in} inputs")
    if args.epoch is not None and args.epoch > last:
        raise UsageError(f"--epoch {args.epoch} is beyond {_run_end(saved, last)}")
    history = train_whole_run(config, dataset, "snapshot", test, spec) if saved is None else saved
    if history is None:
        return EXIT_DIVERGED
    from netviz.render.still import save_snapshot

    epoch = history.latest_epoch if args.epoch is None else min(args.epoch, history.latest_epoch)
    inputs = args.input if args.input is not None else _default_input(dataset)
    save_snapshot(args.out, history, epoch, args.size, args.theme, inputs, args.weight_scale)
    print(f"wrote {args.out} (epoch {epoch:,}, {args.size[0]}x{args.size[1]}, {args.theme})")
    return EXIT_OK


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, got {value}")
    return value


def _probe_folder(path: str) -> None:
    """Raise UsageError unless a file can be created beside path (as root, os.access says yes to everything)."""
    import os
    import secrets

    folder = os.path.dirname(os.path.abspath(path))
    probe = os.path.join(folder, f".netviz-probe-{secrets.token_hex(6)}")
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise PathError(f"{path}: cannot write in {folder} ({exc.strerror})") from None


def _refuse_animation_options_for_a_still(args) -> None:
    """An SVG still draws one epoch (--to): the options of an animation would be silently ignored."""
    if not args.out.lower().endswith(".svg"):
        return
    given = {"--frames": args.frames, "--from": args.start, "--schedule": args.schedule, "--hold": args.hold}
    stray = next((option for option, value in given.items() if value is not None), None)
    if stray:
        raise UsageError(f"{stray} does not apply to .svg: a still of one epoch (--to)")


def export_options(args) -> ExportOptions:
    """The export the options describe (defaults not yet filled in for the run); UsageError if out of range."""
    _refuse_animation_options_for_a_still(args)
    try:
        return ExportOptions(
            args.out, frames=args.frames, fps=args.fps, size=args.size, schedule=args.schedule, start=args.start,
            end=_shown_epoch(args), theme=args.theme, think=args.think, caption=args.caption, hold=args.hold,
            loop=args.loop, weight_scale=args.weight_scale,
            input=None if args.input is None else tuple(float(v) for v in args.input),
            learn=args.learn, row=None if args.row is None else args.row - 1,
        )  # fmt: skip
    except OptionsError as exc:
        raise UsageError(str(exc)) from None


def _shown_epoch(args) -> int | None:
    """--to, or with --learn the step's epoch (--epoch); --epoch and --row only go with --learn."""
    if not args.learn:
        if args.epoch is not None or args.row is not None:
            raise UsageError(f"{'--epoch' if args.epoch is not None else '--row'} needs --learn")
        return args.end
    if args.epoch is not None and args.end is not None:
        raise UsageError("--epoch and --to both name the epoch; use --epoch")
    return args.end if args.epoch is None else args.epoch


def cmd_export(args) -> int:
    from netviz.export.writer import VideoSupportMissing, require_video

    saved = saved_history(args)
    _refuse_learning_a_recording(args, saved)
    spec, config, dataset, test = run_from_args(args) if saved is None else (None, saved.config, saved.dataset, None)
    _print_notes(dataset)  # a session's data was read before: its dataset holds no notes
    _writable_target(args.out, FORMATS)
    args.input = network_input(dataset, args.input)
    options = export_options(args)
    if options.format == ".mp4":
        try:
            require_video()
        except VideoSupportMissing as exc:
            raise UsageError(str(exc)) from None
    last = config.epochs if saved is None else saved.latest_epoch
    try:
        options = options.for_run(last, dataset.n_in, _default_input(dataset), _run_end(saved, last))
    except OptionsError as exc:
        raise UsageError(str(exc)) from None
    if options.row is not None and options.row >= len(dataset):
        raise UsageError(f"--row {options.row + 1}: the data has rows 1 to {len(dataset)}")
    _probe_folder(args.out)

    history = train_whole_run(config, dataset, "export", test, spec) if saved is None else saved
    if history is None:
        return EXIT_DIVERGED
    if options.format in (".html", ".svg"):
        return export_page_or_svg(args.out, history, options)
    from netviz.export.animation import animation_for
    from netviz.export.learn import learn_animation
    from netviz.export.writer import export
    from netviz.render import ensure_gui_app

    ensure_gui_app()
    export(args.out, (learn_animation if options.learn else animation_for)(history, options))
    megabytes = os.path.getsize(args.out) / 1e6
    size = f"{args.size[0]}x{args.size[1]}"
    if options.format == ".png":
        print(f"wrote {args.out} (the last frame, {size}, {megabytes:.2f} MB)")
    else:
        print(f"wrote {args.out} ({options.frames} frames, {size}, {options.seconds():.1f} s, {megabytes:.2f} MB)")
    return EXIT_OK


def _refuse_learning_a_recording(args, saved) -> None:
    """--learn of a --session holding a recording: its Δw would be made up, as `netviz explain` says too."""
    if args.learn and saved is not None:
        try:
            check_learn_applies(saved)
        except OptionsError as exc:
            raise UsageError(f"{args.session}: {exc}") from None


def cmd_explain(args) -> int:
    """One learning step, epoch N -> N + 1, as text in the blog's style or as one JSON object."""
    import json

    from netviz.engine.explain import explain_json, explain_text
    from netviz.engine.learn import learn_step
    from netviz.engine.session import RecordedHistory

    saved = saved_history(args)
    if isinstance(saved, RecordedHistory):
        raise UsageError(f"{args.session}: a recorded run holds no training settings to replay a step with")
    spec, config, dataset, test = run_from_args(args) if saved is None else (None, saved.config, saved.dataset, None)
    last = config.epochs if saved is None else saved.latest_epoch
    if args.epoch >= last:
        raise UsageError(f"--epoch {args.epoch}: the step to epoch {args.epoch + 1} is beyond {_run_end(saved, last)}")
    if args.row is not None and args.row > len(dataset):
        raise UsageError(f"--row {args.row}: the data has rows 1 to {len(dataset)}")
    history = saved
    if history is None:
        history = train_whole_run(replace(config, epochs=args.epoch + 1), dataset, "explain", test, spec)
        if history is None:
            return EXIT_DIVERGED
    learn = learn_step(history, args.epoch, None if args.row is None else args.row - 1)
    if args.json:
        print(json.dumps(explain_json(learn)))
    else:
        print(explain_text(learn, dataset.input_names, dataset.target_names))
    return EXIT_OK


def export_page_or_svg(path: str, history, options: ExportOptions) -> int:
    """`netviz export run.html` (an interactive page) or `still.svg` (a vector still of the last epoch shown)."""
    if options.format == ".html":
        from netviz.export.html import write_html

        write_html(path, history, options)
        what = f"{options.frames} epochs, {len(history.config.arch.layers)} layers"
    else:
        from netviz.export.svg import write_svg_still

        write_svg_still(path, history, options)
        what = f"epoch {options.end:,}, {options.size[0]}x{options.size[1]}"
    print(f"wrote {path} ({what}, {os.path.getsize(path) / 1e3:.0f} KB)")
    return EXIT_OK


def add_weight_scale_option(parser: argparse.ArgumentParser) -> None:
    """--weight-scale for the commands that draw: how |weight| maps to a line's width and colour."""
    parser.add_argument(
        "--weight-scale", choices=WEIGHT_SCALES, default=DEFAULT_WEIGHT_SCALE,
        help=f"line width for |weight|: log (fixed, 0.1 to 50), run (linear to the run's largest) or clamp "
        f"(linear to 5) (default {DEFAULT_WEIGHT_SCALE})",
    )  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="netviz",
        description="Watch a neural network learn. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"netviz {netviz.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    train = sub.add_parser("train", help="train without a window and print the weights, as the blog does")
    train.add_argument("--save", metavar="FILE.netviz", help="write the run to a session file the app opens")
    add_training_options(train)
    train.set_defaults(func=cmd_train)

    snapshot = sub.add_parser("snapshot", help="render a PNG still of the network (no window needed)")
    snapshot.add_argument("out", metavar="OUT.png")
    snapshot.add_argument("--epoch", type=_epoch, help="the epoch to draw (default: the last)")
    snapshot.add_argument("--size", type=parse_size, default=(1280, 800), help="WIDTHxHEIGHT (default 1280x800)")
    snapshot.add_argument("--theme", choices=tuple(THEMES), default=DEFAULT_THEME)
    add_weight_scale_option(snapshot)
    snapshot.add_argument("--input", type=numbers, metavar="1,1,0", help="the input whose activations fill the neurons")
    snapshot.add_argument("--session", metavar="FILE.netviz", help="draw a saved run instead of training one")
    add_training_options(snapshot)
    snapshot.set_defaults(func=cmd_snapshot)

    export = sub.add_parser(
        "export",
        help="render an animation of training (or of one forward pass) to GIF, MP4, WebP or PNG, "
        "an interactive HTML page or an SVG still",
        description="The format follows the extension: .gif, .mp4 (needs netviz[video]), .webp (animated), "
        ".png (a still of the last frame), .html (an interactive page of the exported epochs) or .svg (a vector "
        "still of the last frame). Trains the run first, as netviz train does.",
    )  # fmt: skip
    export.add_argument("out", metavar="OUT.gif")
    frames_help = f"default {EXPORT_FRAMES}, or every epoch of a shorter run; {THINK_FRAMES} with --think"
    frames_help += f"; {LEARN_FRAMES} with --learn"
    export.add_argument("--frames", type=_positive_int, metavar="N", help=frames_help)
    fps_help = f"{MIN_FPS:g} to {MAX_FPS:g} (default 20; a GIF plays 50 at most)"
    export.add_argument("--fps", type=_fps, default=20.0, help=fps_help)
    export.add_argument("--size", type=parse_size, default=(800, 500), help="WIDTHxHEIGHT (default 800x500)")
    export.add_argument(
        "--schedule", choices=SCHEDULES, help=f"how frames spread over the epochs (default {DEFAULT_SCHEDULE})"
    )
    export.add_argument("--from", dest="start", type=_epoch, metavar="E0", help="first epoch shown (default 0)")
    export.add_argument("--to", dest="end", type=_epoch, metavar="E1", help="last epoch shown (default: the last)")
    export.add_argument("--theme", choices=tuple(THEMES), default=DEFAULT_THEME)
    add_weight_scale_option(export)
    export.add_argument("--think", action="store_true", help="animate one forward pass of --input at the --to epoch")
    export.add_argument("--input", type=numbers, metavar="1,1,0", help="the input whose activations fill the neurons")
    export.add_argument(
        "--caption", action=argparse.BooleanOptionalAction, default=True,
        help="epoch, loss and a loss curve with a cursor (default on)",
    )  # fmt: skip
    export.add_argument(
        "--hold", type=_seconds, metavar="SECONDS",
        help=f"keep the last frame longer (default {HOLD_S:g})",
    )  # fmt: skip
    export.add_argument("--loop", type=_count, default=0, metavar="N", help="plays N times; 0 = forever (default)")
    export.add_argument(
        "--learn", action="store_true",
        help="animate one learning step (forward, error, backward, update) from --epoch N to N+1",
    )  # fmt: skip
    export.add_argument(
        "--epoch", type=_epoch, metavar="N", help="with --learn: the step from epoch N to N+1 (default: the last step)"
    )
    export.add_argument(
        "--row", type=_positive_int, metavar="R", help="with --learn: show training row R, 1 = the first (default: all)"
    )
    export.add_argument("--session", metavar="FILE.netviz", help="animate a saved run instead of training one")
    add_training_options(export)
    export.set_defaults(func=cmd_export)

    explain = sub.add_parser(
        "explain", help="print one learning step (epoch N -> N+1): activations, errors, deltas and Δw",
        description="The forward pass, the error at the outputs, the deltas flowing back and the weight update "
        "of one training step, with the run's real numbers. Trains the run up to --epoch first.",
    )  # fmt: skip
    explain.add_argument("--epoch", type=_epoch, required=True, metavar="N", help="the step from epoch N to N+1")
    explain.add_argument("--row", type=_positive_int, metavar="R", help="show training row R only (1 = the first)")
    explain.add_argument("--json", action="store_true", help="one JSON object with exact numbers instead of text")
    explain.add_argument("--session", metavar="FILE.netviz", help="explain a step of a saved run")
    add_training_options(explain)
    explain.set_defaults(func=cmd_explain)

    add_import_command(sub)

    open_ = sub.add_parser("open", help="open a saved session in the app (also: netviz FILE.netviz)")
    open_.add_argument("file", metavar="FILE.netviz")
    open_.add_argument(
        "--follow", action=argparse.BooleanOptionalAction, default=True,
        help="while a recorder still writes the file, show its new epochs as they come (default on)",
    )  # fmt: skip
    open_.set_defaults(func=cmd_open)
    return parser


def add_import_command(sub) -> None:
    """netviz import SOURCE... --out run.netviz: safetensors checkpoints as a session (netviz.importer)."""
    imp = sub.add_parser(
        "import", help="build a session from safetensors checkpoints (one file per epoch or step, or a folder)",
        description="Each checkpoint holds a chain of dense layers: its 2-D tensors in name order are the weights, "
        "a 1-D tensor is the bias of the weight with its prefix (or just before it); PyTorch's (out, in) weights "
        "are recognised from the chain's sizes. Files are taken in natural name order (step_2 before step_10).",
    )  # fmt: skip
    imp.add_argument("sources", nargs="+", metavar="SOURCE", help="safetensors files, or folders of them")
    imp.add_argument("--out", required=True, metavar="RUN.netviz", help="the session to write")
    imp.add_argument(
        "--map", metavar="W+B,W,...", help="the tensors of each layer in order: WEIGHT or WEIGHT+BIAS, comma-separated"
    )
    imp.add_argument(
        "--orientation", choices=("auto", "in-out", "out-in"), default="auto",
        help="weights stored (n_in, n_out) like Keras and Flax, or (out, in) like PyTorch (default: from the chain)",
    )  # fmt: skip
    imp.add_argument(
        "--activation", type=_any_activation, metavar="NAMES",
        help="one activation for every layer or one per layer, comma-separated (default sigmoid); only for drawing",
    )  # fmt: skip
    imp.add_argument("--data", metavar="FILE.csv", help="rows to show outputs for and to compute the loss on")
    imp.set_defaults(func=cmd_import)


def cmd_import(args) -> int:
    from netviz.importer import import_checkpoints, parse_map

    _writable_target(args.out, (".netviz",))
    acts = args.activation or ("sigmoid",)
    history, transposed = import_checkpoints(
        args.sources, args.out, mapping=parse_map(args.map) if args.map else None, orientation=args.orientation,
        activations=acts[0] if len(acts) == 1 else acts, data=args.data,
    )  # fmt: skip
    arch = history.config.arch
    way = "(out, in), as PyTorch keeps them" if transposed else "(n_in, n_out)"
    names = history.checkpoints
    span = f"epoch 0 is {names[0]}" + (f", epoch {len(names) - 1:,} is {names[-1]}" if len(names) > 1 else "")
    print(f"wrote {args.out}: {len(history):,} epochs of {arch.label()}, weights read {way}; {span}")
    return EXIT_OK


def _any_activation(text: str) -> tuple[str, ...]:
    return _names_among(text, activations.ALL_NAMES)


def _subcommands(parser: argparse.ArgumentParser) -> list[str]:
    return [
        name for action in parser._actions if isinstance(action, argparse._SubParsersAction) for name in action.choices
    ]


def _run_app(argv: list[str]) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            "netviz: error: no display to open the window on (DISPLAY is not set); on a server, "
            "netviz train, snapshot and export work without one",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    from netviz.ui.app import main as app_main

    return app_main(argv)


def cmd_open(args) -> int:
    from netviz.api import read_session
    from netviz.engine.session import SessionError

    if not os.path.lexists(args.file):  # often a recording opened before its training wrote anything
        raise SessionError(args.file, "no such file (a recorder writes it with its first epoch)")
    session, _ = read_session(args.file)  # a bad file stops here with one line and exit 2, before any window opens
    for note in session.notes:
        print(f"netviz: note: {note}", file=sys.stderr)
    from netviz.engine.session import read_notes

    for note in read_notes(args.file):  # what a recorder or importer left out
        print(f"netviz: note: {args.file}: {note}", file=sys.stderr)
    follow = [] if args.follow else ["--no-follow"]
    return _run_app([os.path.abspath(args.file), *follow])  # the app takes a name starting with "-" for an option


class OutputError(Exception):
    """Standard output cannot be written (closed, or on a full disk); the message says why."""


class _GuardedOutput:
    """sys.stdout whose write failures become OutputError, told apart from failures of the files a command writes."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._guarded(self._stream.write, text)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    @staticmethod
    def _guarded(call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(exc.strerror or str(exc)) from None


_NUMBER_LISTS = ("--input", "--predict")


def _attach_negative_numbers(argv: list[str]) -> list[str]:
    """`--input -1,0,1` as `--input=-1,0,1`: argparse takes a value starting with "-" for an option."""
    joined, i = [], 0
    while i < len(argv):
        if argv[i] == "--":
            return joined + argv[i:]
        if argv[i] in _NUMBER_LISTS and i + 1 < len(argv) and _is_negative_list(argv[i + 1]):
            joined.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            joined.append(argv[i])
            i += 1
    return joined


def _is_negative_list(text: str) -> bool:
    try:
        numbers(text)
    except argparse.ArgumentTypeError:
        return False
    return text.startswith("-")


def _check_command(first: str, parser: argparse.ArgumentParser) -> None:
    """UsageError for a first word that is neither an option, a command nor a session file."""
    commands = _subcommands(parser)
    if not first.startswith("-") and first not in commands and not first.lower().endswith(".netviz"):
        raise UsageError(f"{first} is not a .netviz file or a command ({', '.join(commands)})")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if not argv:
        return _run_app(argv)
    if len(argv) == 1 and argv[0].lower().endswith(".netviz"):
        argv = ["open", "--", *argv]
    stdout = sys.stdout
    try:
        _check_command(argv[0], parser)
        args = parser.parse_args(_attach_negative_numbers(argv))
        if args.command is None:
            return _run_app(argv)
        if args.command != "open":
            unwind_on_termination()  # SIGTERM and SIGHUP clean up temporary files, as Ctrl-C does
            if stdout is None:  # Python's stand-in for a descriptor closed by `>&-`
                raise OutputError("standard output is closed")
            sys.stdout = _GuardedOutput(stdout)
        code = args.func(args)
        sys.stdout.flush()  # so that a reader gone early (`netviz train | head`) is noticed here
        return code
    except OutputError as exc:
        print(f"netviz: error: cannot write the output: {exc}", file=sys.stderr)
        if stdout is not None:  # Python flushes it again at exit; let that go nowhere
            os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return EXIT_BAD_INPUT
    except UsageError as exc:
        command = f"netviz {argv[0]}" if argv[0] in _subcommands(parser) else "netviz"
        hint = "" if isinstance(exc, PathError) else f" (see {command} --help)"
        print(f"{command}: error: {exc}{hint}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (DataError, ValueError, WriteError) as exc:
        print(f"netviz: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Terminated as exc:
        return 128 + exc.signum
    except BrokenPipeError:
        # Stop quietly, like a shell tool, and keep Python's flush at exit from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return EXIT_PIPE_CLOSED
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    sys.exit(main())
