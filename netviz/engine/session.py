""".netviz session files: a run's configuration, data, history and view settings, in one zip.

Layout (format "netviz-session", version 1; the README documents it for other programs):

    manifest.json          what the arrays mean: format, version, kind, architecture, training
                           settings (trained runs), data names, history, view settings
    inputs.npy             (n_rows, n_in) float64, the training rows
    targets.npy            (n_rows, n_out) float64
    new_situation.npy      (n_in,) float64, only when the data has one
    loss.npy               (n_epochs,) float64, the loss of every epoch
    keyframes.npy          (n_keyframes, n_params) float64, theta at the epochs below
    keyframe_epochs.npy    (n_keyframes,) int64: 0, s, 2s, ... (s = the stride) and the last epoch

A "trained" run stores keyframes every s epochs and rebuilds the epochs between by replaying
training, which is deterministic; a "recorded" run (written by a Recorder: its training happened
elsewhere and cannot be replayed) stores every epoch. While a Recorder is still writing, or
after it crashed, the manifest names a journal beside the file instead of the last three arrays:
a header, then one record (loss, theta) of little-endian float64 per epoch.

Reading never runs code from the file (no pickles) and turns every problem with a file into
SessionError, one line that names the file.
"""

import contextlib
import json
import math
import os
import re
import socket
import struct
import zipfile
import zlib
from dataclasses import dataclass, field, replace

import numpy as np

import netviz
from netviz.atomic import WriteError, atomic_file
from netviz.engine.data import FEATURES, Dataset, Scaling
from netviz.engine.history import History, Segment
from netviz.engine.limits import MAX_MANIFEST_BYTES, MAX_MANIFEST_DEPTH, MAX_PARAMS, n_params
from netviz.engine.network import INITS, Architecture
from netviz.engine.runspec import RunSpec
from netviz.engine.segments import is_edit
from netviz.engine.training import ORDERS, TrainConfig

FORMAT, VERSION, SUFFIX = "netviz-session", 2, ".netviz"
# A run without regularisation, test rows or edits is written as version 1, which every netviz reads;
# version 2 adds what an older netviz would ignore and so replay wrongly (see _lab_format).
PLAIN_VERSION = 1
MANIFEST = "manifest.json"
KEYFRAME_BYTES = 2 * 2**20  # trained runs: keyframes thin out (stride doubles) until they fit this...
MAX_STRIDE = 64  # ...but never further than this, so that weights_at replays at most 63 epochs
JOURNAL_MAGIC = b"NETVIZJ\x01"
JOURNAL_HEADER = len(JOURNAL_MAGIC) + 16  # the magic, then a token that the manifest repeats
MAX_CONTAINERS = 100_000  # lists and objects in a manifest: netviz writes a handful
_COMPRESSIONS = {zipfile.ZIP_DEFLATED: "deflate", zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}

# Anything a damaged archive can raise while it is read; each becomes a SessionError.
_DAMAGE = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, struct.error,
    NotImplementedError, RuntimeError, OSError, ValueError, KeyError, UnicodeDecodeError,
)  # fmt: skip

_FOREIGN = (
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\x93NUMPY", "a NumPy .npy file"),
    (JOURNAL_MAGIC, "a netviz recording journal (open the .netviz file beside it)"),
)


class SessionError(ValueError):
    """A session file that cannot be read or written; str() is one line naming the file and the problem."""

    def __init__(self, path, problem: str):
        self.path, self.problem = os.fspath(path), problem
        super().__init__(f"{self.path}: {problem}")


class RecordedHistory:
    """Every epoch of a run trained elsewhere (a Recorder's): theta stored for each, nothing to replay.

    Reads like History: len(), latest_epoch, loss, weights_at(e), outputs_at(e), keyframes().
    Only config.arch describes the run; its other settings are placeholders.
    """

    stride = 1

    def __init__(self, arch: Architecture, dataset: Dataset, thetas: np.ndarray, loss: np.ndarray, checkpoints=()):
        if len(thetas) < 1 or thetas.shape != (len(loss), arch.n_params):
            raise ValueError(f"need thetas (n_epochs, {arch.n_params}) and loss (n_epochs,) for {arch!r}")
        if checkpoints and len(checkpoints) != len(loss):
            raise ValueError(f"need one checkpoint name per epoch ({len(loss)}), got {len(checkpoints)}")
        self.checkpoints = tuple(checkpoints)  # an imported run's file of each epoch ("step_400"), else ()
        self.config = TrainConfig(arch, epochs=max(1, len(loss) - 1))
        self.dataset = dataset
        self._thetas = np.array(thetas, dtype=np.float64)  # (n_epochs, n_params)
        self._loss = np.array(loss, dtype=np.float64)  # (n_epochs,)
        self._thetas.flags.writeable = self._loss.flags.writeable = False
        self.segments = [Segment(0, self.config, dataset)]  # a recording is never edited: one segment

    def segment_at(self, epoch: int) -> Segment:
        """The one segment of a recording, for code that reads any history."""
        return self.segments[0]

    def __len__(self) -> int:
        return len(self._loss)

    def __repr__(self) -> str:
        return f"RecordedHistory({self.config.arch!r}, epochs 0..{self.latest_epoch:,})"

    @property
    def latest_epoch(self) -> int:
        return len(self._loss) - 1

    @property
    def loss(self) -> np.ndarray:
        """The loss of every recorded epoch (n_epochs,), read-only."""
        return self._loss

    def nbytes(self) -> int:
        return self._thetas.nbytes + self._loss.nbytes

    def keyframes(self) -> np.ndarray:
        """theta of every epoch (n_epochs, n_params), read-only."""
        return self._thetas

    def weights_at(self, epoch: int) -> np.ndarray:
        """theta (n_params,) recorded at `epoch` (a copy)."""
        if not 0 <= epoch < len(self._loss):
            raise IndexError(f"epoch {epoch} is not in the history (0..{self.latest_epoch})")
        return self._thetas[epoch].copy()

    def outputs_at(self, epoch: int) -> np.ndarray:
        """Outputs (n_rows, n_out) for the recorded data rows (none if the recorder had no data)."""
        return self.config.arch.forward(self.weights_at(epoch), self.dataset.inputs)[-1]


@dataclass
class Session:
    """What a .netviz file holds: a run's history (with its config and data) and the view settings."""

    history: History | RecordedHistory
    view: dict = field(default_factory=dict)  # JSON values: theme, shown epoch, selected row...
    spec: RunSpec | None = None  # how a trained run was chosen (described from its settings in older files)
    notes: list[str] = field(default_factory=list)  # one line per view setting dropped as invalid

    @property
    def config(self) -> TrainConfig:
        return self.history.config

    @property
    def dataset(self) -> Dataset:
        return self.history.dataset

    @property
    def recorded(self) -> bool:
        """True for a run recorded by a Recorder: it can be watched but not trained further."""
        return isinstance(self.history, RecordedHistory)


def epoch_name(history, epoch: int) -> str:
    """The checkpoint an imported epoch was read from ("step_400"), shown beside the epoch; else ""."""
    names = getattr(history, "checkpoints", ())  # only a RecordedHistory has them
    return names[epoch] if 0 <= epoch < len(names) else ""


def journal_path(path) -> str:
    """Where a Recorder writing `path` appends its epochs until it is closed."""
    return os.fspath(path) + "-journal"


def unfinished_journal(path) -> str | None:
    """The journal that the unfinished (crashed) recording at path reads its epochs from, if there is one."""
    try:
        with open(path, "rb") as f, _open_zip(f, os.fspath(path)) as zf:
            _check_members(zf, os.fstat(f.fileno()).st_size, os.fspath(path))
            journal = _read_manifest(zf, os.fspath(path)).get("journal")
            name = journal.get("file") if isinstance(journal, dict) else None
    except (SessionError, *_DAMAGE):
        return None
    if not isinstance(name, str):
        return None
    where = os.path.join(os.path.dirname(os.path.abspath(path)), os.path.basename(name))
    return where if os.path.exists(where) else None


def journal_writer(path) -> tuple[str, int] | None:
    """(host, pid) of the process that recorded the session at path, if its manifest names one."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as f, _open_zip(f, path) as zf:
            journal = _read_manifest(zf, path).get("journal")
    except (SessionError, *_DAMAGE):
        return None
    if not isinstance(journal, dict):
        return None
    host, pid = journal.get("host"), journal.get("pid")
    return (host, pid) if isinstance(host, str) and type(pid) is int and pid > 0 else None


def writer_is_here(writer: tuple[str, int] | None) -> bool:
    """Whether a recording's writer (host, pid) runs on this machine, where it can be asked about: a writer
    on another machine cannot, nor one without a name, nor on Windows (os.kill would end the process)."""
    return writer is not None and writer[0] == socket.gethostname() and os.name == "posix"


def writer_ended(writer: tuple[str, int] | None) -> bool:
    """True when a recording's writer (host, pid) ran on this machine and its process is gone."""
    if not writer_is_here(writer):
        return False
    try:
        os.kill(writer[1], 0)  # signal 0: is there such a process (of any user)?
    except ProcessLookupError:
        return True
    except OSError:  # there is one, of another user
        return False
    return False


def orphan_journal(path) -> str | None:
    """The journal of the recording at path if its writer ended without closing it: nothing will fold it in."""
    journal = unfinished_journal(path)
    return journal if journal is not None and writer_ended(journal_writer(path)) else None


def read_notes(path) -> list[str]:
    """The notes a recorder or importer wrote into the session at path (layers it left out...), else []."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as f, _open_zip(f, path) as zf:
            notes = _read_manifest(zf, path).get("notes", [])
    except (SessionError, *_DAMAGE):
        return []
    return [n for n in notes if isinstance(n, str)] if isinstance(notes, list) else []


# View settings: hints for the window, each checked on its own

MAX_TARGET = 2**31 - 1  # the window's "train to" is a Qt int


def clean_view(view: dict, history, path) -> tuple[dict, list[str]]:
    """(view without its invalid settings, one note per setting dropped, naming the file and the key).

    Checks the settings the window writes (theme, weight_scale, epoch, input_row, target, speed,
    follow) against the run; keys it does not know pass unchanged. Names (theme, scale, speed) are
    checked for their form here and against the app's own lists by the app.
    """
    n_rows, latest = len(history.dataset), history.latest_epoch
    first_row = -1 if history.dataset.new_situation is not None else 0
    rules = {
        "theme": (lambda v: isinstance(v, str) and 0 < len(v) <= 40, "not a theme's name"),
        "epoch": (lambda v: _whole(v) and 0 <= v <= latest, f"not an epoch of the run (0 to {latest:,})"),
        "input_row": (
            lambda v: _whole(v) and first_row <= v < n_rows,
            f"not a row of its data ({first_row} to {n_rows - 1})"
            + (", and the data has no new situation (-1)" if first_row == 0 else ""),
        ),
        "target": (lambda v: _whole(v) and 1 <= v <= MAX_TARGET, f"not an epoch to train to (1 to {MAX_TARGET:,})"),
        "weight_scale": (lambda v: isinstance(v, str) and 0 < len(v) <= 40, "not a weight scale's name"),
        # A name ("smooth", "100", "max"...); netviz 0.1.0 wrote the index of its speed menu (0 to 5).
        "speed": (
            lambda v: (isinstance(v, str) and 0 < len(v) <= 40) or (_whole(v) and 0 <= v < 100),
            "not a speed setting",
        ),
        "follow": (lambda v: isinstance(v, bool), "not true or false"),
    }
    kept, notes = {}, []
    for key, value in view.items():
        valid, wanted = rules.get(key, (lambda v: True, ""))
        if valid(value):
            kept[key] = value
        else:
            notes.append(f"{os.fspath(path)}: the view setting {key!r} is {_shown(value)}, {wanted}; ignored")
    return kept, notes


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value) -> str:
    text = json.dumps(value)  # as the file has it: null, true, Infinity
    return text if len(text) <= 30 else text[:27] + "..."


# Writing


def save_session(
    path,
    history: History | RecordedHistory,
    view: dict | None = None,
    spec: RunSpec | None = None,
    notes: list[str] | None = None,
) -> None:
    """Write history (with its config and data), view settings and the run's spec to path, atomically.

    `spec` is how the run was chosen (a preset and its parameters, a CSV file...): it must build
    history's configuration. A trained run keeps every `stride`-th epoch's theta (see
    KEYFRAME_BYTES and MAX_STRIDE) and the last; a recorded run keeps every epoch. Raises
    SessionError if the file cannot be written, leaving any earlier file at path as it was.
    """
    n = len(history)
    if n < 1:
        raise ValueError("the history holds no epochs yet")
    recorded = isinstance(history, RecordedHistory)
    if recorded:
        stride, thetas, epochs = 1, history.keyframes(), np.arange(n, dtype=np.int64)
    else:
        stride = _file_stride(history, n)
        epochs = np.arange(0, n, stride, dtype=np.int64)
        if epochs[-1] != n - 1:
            epochs = np.append(epochs, n - 1)
        # weights_at stays exact while training appends (or thins) in another thread.
        thetas = np.array([history.weights_at(int(e)) for e in epochs])
    # A run with edits is described by its first segment, as a version 1 file would be; its segments follow.
    config, dataset = (history.config, history.dataset) if recorded else _first(history)
    manifest = session_manifest(config.arch, dataset, view, None if recorded else config)
    if spec is not None and not recorded:
        manifest["run"] = _spec_dict(spec, config)
    manifest["history"] = {"latest_epoch": n - 1, "stride": stride}
    if notes:
        manifest["notes"] = list(notes)  # what a recorder left out (layers netviz cannot draw)
    if recorded and history.checkpoints:
        manifest["checkpoints"] = list(history.checkpoints)[:n]
    arrays = dataset_arrays(dataset)
    arrays.update(loss=np.array(history.loss[:n]), keyframes=thetas, keyframe_epochs=epochs)
    if not recorded and _lab_format(history):
        manifest["version"] = VERSION
        manifest["segments"] = _segment_entries(history, arrays)
        if history.has_test:
            arrays["test_loss"] = np.array(history.test_loss[:n])
    orphan = orphan_journal(path)  # the session replaced was a crashed recording's: its journal goes with it
    write_archive(path, manifest, arrays)
    if orphan is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(orphan)


def _first(history: History) -> tuple[TrainConfig, Dataset]:
    return history.segments[0].config, history.segments[0].dataset


def _segment_entries(history: History, arrays: dict) -> list[dict]:
    """The manifest's segments; the arrays they refer to go into `arrays`.

    Each set of rows is stored once: set 0 is inputs/targets, set i the members rows{i}_inputs and
    rows{i}_targets (rows{i}_points too, for feature inputs). segment{k}_theta holds the network
    at segment k's start (after its edit).
    """
    sets: list[Dataset] = [history.segments[0].dataset]

    def set_index(rows: Dataset | None) -> int | None:
        if rows is None:
            return None
        for i, known in enumerate(sets):
            if known is rows:
                return i
        sets.append(rows)
        arrays[f"rows{len(sets) - 1}_inputs"], arrays[f"rows{len(sets) - 1}_targets"] = rows.inputs, rows.targets
        if rows.points is not None:  # inputs made of features of these points of the plane
            arrays[f"rows{len(sets) - 1}_points"] = rows.points
        return len(sets) - 1

    entries = []
    for k, segment in enumerate(history.segments):
        config = segment.config
        entries.append({
            "start": segment.start,
            "training": {"lr": config.lr, "batch": config.batch, "l1": config.l1, "l2": config.l2},
            "activations": list(config.arch.activations),
            "rows": set_index(segment.dataset),
            "test": set_index(segment.test),
            "edit": segment.edit,
        })  # fmt: skip
        if segment.theta is not None:
            arrays[f"segment{k}_theta"] = segment.theta
    return entries


def _spec_dict(spec: RunSpec, config: TrainConfig) -> dict:
    """The spec as stored (bias and learning rate resolved), after checking that it describes this run."""
    spec = spec.resolved()
    arch = config.arch
    described = (tuple(spec.hidden), tuple(spec.activations), spec.bias, spec.lr, spec.batch, spec.seed, spec.epochs,
                 spec.l1, spec.l2)  # fmt: skip
    actual = (arch.layers[1:-1], arch.activations, arch.bias, config.lr, config.batch, config.seed, config.epochs,
              config.l1, config.l2)  # fmt: skip
    if described != actual:
        raise ValueError(f"the run's spec {spec!r} does not describe its configuration {config!r}")
    return spec.to_dict()


def _lab_format(history: History) -> bool:
    """Whether the run needs version 2: a netviz reading version 1 would replay it without its penalty,
    test rows or edits."""
    first = history.segments[0]
    return len(history.segments) > 1 or first.theta is not None or first.test is not None or first.config.regularised


def _file_stride(history: History, n: int) -> int:
    stride = history.stride
    while stride < MAX_STRIDE and ((n - 1) // stride + 2) * history.config.arch.n_params * 8 > KEYFRAME_BYTES:
        stride *= 2
    return stride


def session_manifest(arch: Architecture, dataset: Dataset, view: dict | None, config: TrainConfig | None) -> dict:
    """The manifest of a trained run (with its config) or a recorded one (config None), without its history."""
    view = {} if view is None else view
    if not isinstance(view, dict):
        raise TypeError(f"view settings must be a dict, got {type(view).__name__}")
    try:
        json.dumps(view, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"view settings must be plain JSON values: {exc}") from None
    manifest = {
        "format": FORMAT,
        "version": PLAIN_VERSION,
        "written_by": f"netviz {netviz.__version__}",
        "kind": "recorded" if config is None else "trained",
        "architecture": {"layers": list(arch.layers), "activations": list(arch.activations), "bias": arch.bias},
    }
    if config is not None:
        manifest["training"] = {
            "lr": config.lr, "batch": config.batch, "seed": config.seed, "epochs": config.epochs, "init": config.init,
            "order": config.order,
            **{name: rate for name, rate in (("l1", config.l1), ("l2", config.l2)) if rate},
        }  # fmt: skip
    manifest["dataset"] = {
        "name": dataset.name,
        "input_names": list(dataset.input_names),
        "target_names": list(dataset.target_names),
        "rows": len(dataset),
    }
    if dataset.scaling is not None:
        manifest["dataset"]["input_scaling"] = _scaling_dict(dataset.scaling)
    if dataset.features:
        manifest["dataset"]["features"] = list(dataset.features)
    manifest["view"] = view
    return manifest


def dataset_arrays(dataset: Dataset) -> dict[str, np.ndarray]:
    arrays = {"inputs": dataset.inputs, "targets": dataset.targets}
    if dataset.new_situation is not None:
        arrays["new_situation"] = np.asarray(dataset.new_situation, dtype=np.float64)
    if dataset.points is not None:
        arrays["points"] = dataset.points
    return arrays


def _member(name: str) -> zipfile.ZipInfo:
    """A member with a fixed date: the same run and view give the same bytes, whenever saved."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info


def write_archive(path, manifest: dict, arrays: dict[str, np.ndarray]) -> None:
    """The zip: manifest first, then each array as NAME.npy; written atomically (netviz.atomic)."""
    try:
        # Stored, not deflated: float64 weights shrink by only ~15% and deflating costs 100 ms per MB.
        with atomic_file(path) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
            text = json.dumps(manifest, indent=1, allow_nan=False)
            zf.writestr(_member(MANIFEST), text, compress_type=zipfile.ZIP_DEFLATED)
            for name, array in arrays.items():
                with zf.open(_member(f"{name}.npy"), "w", force_zip64=array.nbytes > 2**30) as member:
                    np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
    except WriteError as exc:
        raise SessionError(path, exc.problem) from None


# Reading


def load_session(path) -> Session:
    """Read a .netviz file; SessionError (one line) for a missing, foreign, damaged or newer file."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise SessionError(path, "is a folder, not a session file")
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed by the with below, after the checks that may fail)
    except FileNotFoundError:
        raise SessionError(path, "no such file") from None
    except OSError as exc:
        raise SessionError(path, f"cannot read ({exc.strerror or exc})") from None
    try:
        with f, _open_zip(f, path) as zf:
            _check_members(zf, os.fstat(f.fileno()).st_size, path)
            return _read_session(zf, _read_manifest(zf, path), path)
    except SessionError:
        raise
    except MemoryError:
        raise SessionError(path, "is too large to load into memory") from None
    except _DAMAGE as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise SessionError(path, f"is damaged ({detail})") from None


def _open_zip(f, path: str) -> zipfile.ZipFile:
    """The archive in f, or SessionError saying what else the file is."""
    head = f.read(16)
    if not head:
        raise SessionError(path, "is empty")
    try:
        return zipfile.ZipFile(f)
    except zipfile.BadZipFile:
        if head.startswith(b"PK\x03\x04"):
            raise SessionError(path, "is truncated or damaged (its zip directory is missing)") from None
        kind = next((name for magic, name in _FOREIGN if head.startswith(magic)), None)
        if kind is None:
            kind = "a text file" if _is_text(head) else "an unknown kind of file"
        raise SessionError(path, f"is {kind}, not a netviz session") from None


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(byte < 9 for byte in head)


def _check_members(zf: zipfile.ZipFile, size: int, path: str) -> None:
    """Refuse, before anything is unpacked, what netviz never writes: compressed arrays (a
    compressed member can expand a thousandfold) and members larger than the file itself."""
    for info in zf.infolist():
        allowed = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) if info.filename == MANIFEST else (zipfile.ZIP_STORED,)
        if info.compress_type not in allowed:
            method = _COMPRESSIONS.get(info.compress_type, f"method {info.compress_type}")
            raise SessionError(
                path, f"is not a file netviz wrote: {info.filename} is compressed with {method} (netviz stores arrays)"
            )
        stored = info.compress_type == zipfile.ZIP_STORED
        if (stored and info.compress_size != info.file_size) or info.header_offset + info.compress_size > size:
            raise SessionError(
                path, f"is damaged ({info.filename} claims {info.file_size:,} bytes, more than it holds)"
            )


def _read_manifest(zf: zipfile.ZipFile, path: str) -> dict:
    names = set(zf.namelist())
    if MANIFEST not in names:
        kind = "a NumPy .npz archive" if names and all(n.endswith(".npy") for n in names) else "a zip archive"
        raise SessionError(path, f"is {kind}, not a netviz session (it has no {MANIFEST})")
    too_large = f"is damaged (its {MANIFEST} is larger than {MAX_MANIFEST_BYTES // 2**20} MB)"
    if zf.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
        raise SessionError(path, too_large)
    with zf.open(MANIFEST) as member:
        data = member.read(MAX_MANIFEST_BYTES + 1)  # the directory's size may lie: unpack no further
    if len(data) > MAX_MANIFEST_BYTES:
        raise SessionError(path, too_large)
    try:
        text = data.decode("utf-8")
        _check_nesting(text, path)
        manifest = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SessionError(path, f"is damaged (its {MANIFEST} is not JSON)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SessionError(path, f"is a zip archive but not a netviz session (its {MANIFEST} is another program's)")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionError(path, f"is damaged (session format version {version!r})")
    if version > VERSION:
        raise SessionError(
            path,
            f"was written by a newer netviz (session format version {version}; "
            f"this netviz {netviz.__version__} reads version {VERSION}): upgrade netviz to open it",
        )
    return manifest


_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')  # possessive: no backtracking over a long string


def _check_nesting(text: str, path: str) -> None:
    """SessionError for JSON nested deeper than MAX_MANIFEST_DEPTH or holding more than MAX_CONTAINERS
    lists and objects, found by counting brackets outside strings, before the parser builds anything."""
    brackets = np.frombuffer(_JSON_STRING.sub("", text).encode("utf-8", "replace"), dtype=np.uint8)
    opens = (brackets == ord("[")) | (brackets == ord("{"))
    closes = (brackets == ord("]")) | (brackets == ord("}"))
    if opens.sum() > MAX_CONTAINERS:
        raise SessionError(path, f"is damaged (its {MANIFEST} holds more than {MAX_CONTAINERS:,} lists and objects)")
    if opens.any() and np.cumsum(opens.astype(np.int64) - closes).max() > MAX_MANIFEST_DEPTH:
        raise SessionError(path, f"is damaged (its {MANIFEST} is nested more than {MAX_MANIFEST_DEPTH} deep)")


def _field(mapping, key: str, kinds, path: str, what: str):
    """mapping[key] if it is one of kinds (bool never counts as a number), else SessionError."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _tuple(kinds)):
        raise SessionError(path, f"is damaged ({what} {key!r} is missing or not valid)")
    return value


def _tuple(kinds) -> tuple:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _strings(values, path: str, what: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SessionError(path, f"is damaged ({what} are not a list of names)")
    return values


def _read_session(zf: zipfile.ZipFile, manifest: dict, path: str) -> Session:
    kind = manifest.get("kind")
    if kind not in ("trained", "recorded"):
        raise SessionError(path, f"is damaged (unknown kind of run {kind!r})")
    arch = _read_architecture(manifest, path)
    config = _read_training(manifest, arch, path) if kind == "trained" else None
    dataset = _read_dataset(zf, manifest, arch, path)
    if config is not None and len(dataset) == 0:
        raise SessionError(path, "is damaged (a trained run without training rows)")
    view = manifest.get("view", {})
    if not isinstance(view, dict):
        raise SessionError(path, "is damaged (its view settings are not a JSON object)")
    history = _read_history(zf, manifest, arch, config, dataset, path)
    view, notes = clean_view(view, history, path)
    spec = None if config is None else _read_spec(manifest, config, dataset, path)
    return Session(history, view, spec=spec, notes=notes)


def _read_history(zf: zipfile.ZipFile, manifest: dict, arch, config, dataset, path: str):
    """The run's epochs: from its keyframes, or from the journal of an unfinished recording."""
    if "journal" in manifest and manifest.get("kind") == "recorded":
        thetas, loss = _read_journal(manifest, arch, path)
        return RecordedHistory(arch, dataset, thetas, loss)
    meta = _field(manifest, "history", dict, path, "the manifest's")
    latest = _field(meta, "latest_epoch", int, path, "the history's")
    stride = _field(meta, "stride", int, path, "the history's")
    if not 1 <= stride < 2**62:  # epochs are int64: a larger stride cannot describe real keyframes
        raise SessionError(path, f"is damaged (its keyframes cannot be {stride} epochs apart)")
    loss = _read_array(zf, "loss", np.float64, (latest + 1,), path)
    epochs = _read_array(zf, "keyframe_epochs", np.int64, (None,), path)
    thetas = _read_array(zf, "keyframes", np.float64, (len(epochs), arch.n_params), path)
    n = latest + 1
    on_grid = (n - 1) // stride + 1 if stride >= 1 and n >= 1 else 0
    expected = np.arange(on_grid, dtype=np.int64) * stride
    if on_grid and expected[-1] != n - 1:
        expected = np.append(expected, n - 1)
    if stride < 1 or n < 1 or (config is None and stride != 1) or not np.array_equal(epochs, expected):
        raise SessionError(path, f"is damaged (its keyframes do not cover epochs 0..{latest} every {stride})")
    if config is None:
        names = manifest.get("checkpoints")  # optional: names that do not fit are not worth refusing the run for
        fit = isinstance(names, list) and len(names) == n and all(isinstance(v, str) for v in names)
        return RecordedHistory(arch, dataset, thetas, loss, names if fit else ())
    segments, test_loss = None, None
    if "segments" in manifest:
        segments = _read_segments(zf, manifest, config, dataset, latest, path)
        if "test_loss.npy" in zf.namelist():
            test_loss = _read_array(zf, "test_loss", np.float64, (latest + 1,), path)
    return History.restored(
        config, dataset, loss, thetas[:on_grid], thetas[-1], stride, segments=segments, test_loss=test_loss
    )


def _read_segments(zf: zipfile.ZipFile, manifest: dict, config: TrainConfig, dataset: Dataset, latest: int, path):
    """The run's segments (see _segment_entries), each checked; SessionError naming the first bad one."""
    entries = _field(manifest, "segments", list, path, "the manifest's")
    arch, sets, segments = config.arch, {0: dataset}, []

    def rows(index, training: bool) -> Dataset | None:
        if index is None:
            return None
        if not _whole(index) or index < 0 or index > len(entries) * 2:
            raise SessionError(path, f"is damaged (segment rows {index!r} do not name a set of rows)")
        if index not in sets:
            inputs = _read_array(zf, f"rows{index}_inputs", np.float64, (None, arch.layers[0]), path)
            targets = _read_array(zf, f"rows{index}_targets", np.float64, (len(inputs), arch.layers[-1]), path)
            situation = dataset.new_situation if training else None
            names = list(dataset.input_names), list(dataset.target_names)
            points = None
            if dataset.features:  # the rows' points, from which their inputs were made
                points = _read_array(zf, f"rows{index}_points", np.float64, (len(inputs), 2), path)
            sets[index] = Dataset(inputs, targets, dataset.name, *names, situation, scaling=dataset.scaling,
                                  features=dataset.features, points=points)  # fmt: skip
        return sets[index]

    for k, entry in enumerate(entries):
        what = f"segment {k}"
        start = _field(entry, "start", int, path, what)
        # Starts rise, but for an edit at epoch 0, which follows the run's own start (see History.start_segment).
        rising = k == 0 or segments[-1].start < start or (k == 1 and start == 0)
        if not (rising and (start == 0 if k == 0 else start <= latest)):
            raise SessionError(path, f"is damaged ({what} starts at epoch {start})")
        training = _field(entry, "training", dict, path, what)
        acts = _strings(_field(entry, "activations", list, path, what), path, f"{what}'s activations")
        edit = _field(entry, "edit", dict, path, what)
        if not is_edit(edit):
            raise SessionError(path, f"is damaged ({what}'s edit is not one netviz makes)")
        batch = None if training.get("batch") is None else _field(training, "batch", int, path, what)
        settings = {key: float(_field(training, key, (int, float), path, what)) for key in ("lr", "l1", "l2")}
        try:
            segment_config = replace(
                config, arch=Architecture(arch.layers, tuple(acts), arch.bias), batch=batch, **settings
            )
        except ValueError as exc:
            raise SessionError(path, f"is damaged ({what}: {exc})") from None
        theta = None
        if f"segment{k}_theta.npy" in zf.namelist():
            theta = _read_array(zf, f"segment{k}_theta", np.float64, (arch.n_params,), path)
        elif k > 0:
            raise SessionError(path, f"is damaged (segment{k}_theta.npy is missing)")
        train_rows = rows(entry.get("rows"), training=True)
        if train_rows is None or len(train_rows) == 0:
            raise SessionError(path, f"is damaged ({what} has no training rows)")
        segments.append(Segment(start, segment_config, train_rows, rows(entry.get("test"), False), theta, edit))
    if not segments:
        raise SessionError(path, "is damaged (its list of segments is empty)")
    return segments


def _read_architecture(manifest: dict, path: str) -> Architecture:
    arch = _field(manifest, "architecture", dict, path, "the manifest's")
    layers = _field(arch, "layers", list, path, "the architecture's")
    acts = _strings(_field(arch, "activations", list, path, "the architecture's"), path, "the activations")
    bias = _field(arch, "bias", bool, path, "the architecture's")
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in layers):
        raise SessionError(path, "is damaged (its layer sizes are not whole numbers)")
    if len(layers) >= 2 and min(layers) >= 1 and n_params(layers, bias) > MAX_PARAMS:
        raise SessionError(
            path, f"has {n_params(layers, bias):,} parameters; netviz reads at most {MAX_PARAMS:,} (is it damaged?)"
        )
    try:
        return Architecture(tuple(layers), tuple(acts), bias)
    except ValueError as exc:
        raise SessionError(path, f"is damaged (architecture: {exc})") from None


def _read_training(manifest: dict, arch: Architecture, path: str) -> TrainConfig:
    training = _field(manifest, "training", dict, path, "the manifest's")
    lr = _field(training, "lr", (int, float), path, "the training's")
    batch = training.get("batch")
    if batch is not None:
        batch = _field(training, "batch", int, path, "the training's")
    seed = _field(training, "seed", int, path, "the training's")
    epochs = _field(training, "epochs", int, path, "the training's")
    init = _field(training, "init", str, path, "the training's")
    if init not in INITS:
        raise SessionError(path, f"is damaged (unknown init {init!r})")
    order = training.get("order", "shuffled")  # files from before the option trained shuffled
    if order not in ORDERS:
        raise SessionError(path, f"is damaged (unknown row order {order!r})")
    rates = {name: float(_field(training, name, (int, float), path, "the training's")) for name in ("l1", "l2")
             if name in training}  # fmt: skip
    try:
        return TrainConfig(arch, lr=float(lr), batch=batch, seed=seed, epochs=epochs, init=init, order=order, **rates)
    except ValueError as exc:
        raise SessionError(path, f"is damaged (training: {exc})") from None


def _read_spec(manifest: dict, config: TrainConfig, dataset: Dataset, path: str) -> RunSpec:
    """The run's spec: as stored, or (a file from before specs) described from its settings and rows."""
    if "run" not in manifest:
        return RunSpec.describing(config, dataset)
    try:
        spec = RunSpec.from_dict(manifest["run"], rows=dataset)
        _spec_dict(spec, config)
    except ValueError as exc:
        raise SessionError(path, f"is damaged (run settings: {exc})") from None
    return spec


def _read_dataset(zf: zipfile.ZipFile, manifest: dict, arch: Architecture, path: str) -> Dataset:
    meta = _field(manifest, "dataset", dict, path, "the manifest's")
    rows = _field(meta, "rows", int, path, "the dataset's")
    n_in, n_out = arch.layers[0], arch.layers[-1]
    inputs = _read_array(zf, "inputs", np.float64, (rows, n_in), path)
    targets = _read_array(zf, "targets", np.float64, (rows, n_out), path)
    situation = None
    if "new_situation.npy" in zf.namelist():
        situation = _read_array(zf, "new_situation", np.float64, (n_in,), path)
    input_names = _strings(meta.get("input_names"), path, "the input names")
    target_names = _strings(meta.get("target_names"), path, "the target names")
    if len(input_names) != n_in or len(target_names) != n_out:
        raise SessionError(path, "is damaged (its column names do not match its layers)")
    name = _field(meta, "name", str, path, "the dataset's")
    scaling = _read_scaling(meta, n_in, path) if "input_scaling" in meta else None
    features, points = _read_features(zf, meta, rows, n_in, path) if "features" in meta else ((), None)
    return Dataset(
        inputs, targets, name, input_names, target_names, situation, scaling=scaling, features=features, points=points
    )


def _read_features(zf: zipfile.ZipFile, meta: dict, rows: int, n_in: int, path: str):
    """(the feature names, each row's point of the plane (rows, 2)) of inputs made from 2-D points."""
    features = tuple(_strings(meta["features"], path, "the features"))
    if len(features) != n_in or not set(features) <= set(FEATURES):
        raise SessionError(path, "is damaged (its features do not match its inputs)")
    return features, _read_array(zf, "points", np.float64, (rows, 2), path)


# Input scaling: the inputs stored are those trained on; original = scaled * scale + shift, per input.


def _scaling_dict(scaling: Scaling) -> dict:
    return {"method": scaling.method, "shift": scaling.shift.tolist(), "scale": scaling.scale.tolist()}


def _read_scaling(meta: dict, n_in: int, path: str) -> Scaling:
    scaling = _field(meta, "input_scaling", dict, path, "the dataset's")
    method = _field(scaling, "method", str, path, "the input scaling's")
    values = [_field(scaling, key, list, path, "the input scaling's") for key in ("shift", "scale")]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for part in values for v in part)
    if method not in ("standard", "minmax") or not numbers or any(len(part) != n_in for part in values):
        raise SessionError(path, "is damaged (its input scaling is not valid)")
    shift, scale = (np.array(part, dtype=np.float64) for part in values)
    if not (np.isfinite(shift).all() and np.isfinite(scale).all() and (scale > 0).all()):
        raise SessionError(path, "is damaged (its input scaling is not valid)")
    return Scaling(method, shift, scale)


def _read_array(zf: zipfile.ZipFile, name: str, dtype, shape: tuple, path: str) -> np.ndarray:
    """NAME.npy as a writable array of exactly dtype and shape (None: any length), read without pickles.

    The header is checked against the member's size before anything is allocated, so a damaged
    header cannot ask for gigabytes.
    """
    member = f"{name}.npy"
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise SessionError(path, f"is damaged ({member} is missing)") from None
    with zf.open(info) as f:
        found, fortran, found_dtype = _npy_header(f, member, path)
        dtype = np.dtype(dtype).newbyteorder("<")
        if (
            found_dtype != dtype
            or fortran
            or len(found) != len(shape)
            or any(want is not None and got != want for got, want in zip(found, shape))
        ):
            expected = tuple("n" if want is None else want for want in shape)
            raise SessionError(
                path,
                f"is damaged ({member} holds {found_dtype} of shape {_shape(found)}{' (Fortran order)' * fortran}, "
                f"expected {dtype} of shape {_shape(expected)})",
            )
        nbytes = math.prod(found) * dtype.itemsize  # Python ints: a damaged shape cannot overflow
        if info.file_size - f.tell() != nbytes:
            raise SessionError(path, f"is damaged ({member} is {info.file_size} bytes, its header says otherwise)")
        data = bytearray(nbytes)
        if f.readinto(data) != nbytes:
            raise SessionError(path, f"is damaged ({member} is cut short)")
    return np.frombuffer(data, dtype=dtype).reshape(found).astype(dtype.newbyteorder("="), copy=False)


def _shape(shape: tuple) -> str:
    return f"({', '.join(map(str, shape))}{',' * (len(shape) == 1)})"


def _npy_header(f, member: str, path: str) -> tuple:
    """(shape, fortran_order, dtype) from an .npy header; SessionError for anything unreadable."""
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            return np.lib.format.read_array_header_1_0(f)
        if version == (2, 0):
            return np.lib.format.read_array_header_2_0(f)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile):
        raise
    except Exception:  # Python literal text: its parser fails in many ways, with messages about its own insides
        raise SessionError(path, f"is damaged ({member} has an unreadable header)") from None
    raise SessionError(path, f"is damaged ({member} has npy version {version})")


def _read_journal(manifest: dict, arch: Architecture, path: str) -> tuple[np.ndarray, np.ndarray]:
    """(thetas, loss) of every whole record in the journal of an unfinished recording."""
    journal = _field(manifest, "journal", dict, path, "the manifest's")
    name = _field(journal, "file", str, path, "the journal's")
    token = _field(journal, "token", str, path, "the journal's")
    where = os.path.join(os.path.dirname(os.path.abspath(path)), os.path.basename(name))
    width = 1 + arch.n_params  # loss, then theta
    try:
        with open(where, "rb") as f:
            header = f.read(JOURNAL_HEADER)
            if header[: len(JOURNAL_MAGIC)] != JOURNAL_MAGIC or header[len(JOURNAL_MAGIC) :].hex() != token:
                raise SessionError(path, f"is an unfinished recording, and {where} is not its journal")
            n = (os.fstat(f.fileno()).st_size - JOURNAL_HEADER) // (8 * width)
            records = np.fromfile(f, dtype="<f8", count=n * width).reshape(-1, width)
    except FileNotFoundError:
        raise SessionError(path, f"is an unfinished recording whose journal {where} is missing") from None
    except OSError as exc:
        raise SessionError(path, f"cannot read its journal {where} ({exc.strerror or exc})") from None
    if len(records) == 0:
        raise SessionError(path, "is an unfinished recording with no epochs written yet")
    return np.ascontiguousarray(records[:, 1:]), records[:, 0].copy()
