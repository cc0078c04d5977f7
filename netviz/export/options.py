"""ExportOptions: every setting of an export, with one set of defaults and one validation (no Qt).

`netviz export` and File > Export animation both describe an export as ExportOptions and
build it with `netviz.export.animation.animation_for`, so the same settings give the same bytes.
"""

import math
import os
from dataclasses import dataclass, replace

from netviz.engine.session import RecordedHistory
from netviz.export.schedule import DEFAULT_SCHEDULE, SCHEDULES
from netviz.scene.style import DEFAULT_WEIGHT_SCALE, THEMES, WEIGHT_SCALES

FORMATS = (".gif", ".mp4", ".webp", ".png", ".html", ".svg")  # .html: an interactive page; .svg: a vector still
EXPORT_FRAMES, THINK_FRAMES = 100, 60  # default frames: a training animation, one forward pass
LEARN_FRAMES, MIN_LEARN_FRAMES = 60, 20  # one learning step: default, and the least that shows its four stages
MAX_FRAMES = 10_000
HOLD_S = 2.0  # the last frame stays this long by default, so that a looping animation's end can be read
MIN_FPS, MAX_FPS = 0.1, 100.0  # at most 10 s a frame: a GIF delay holds 655 s, an MP4 rate needs 1/10 s
MAX_HOLD_S, MAX_LOOP = 600.0, 65535
MIN_SIDE, MAX_SIDE = 16, 8192
DEFAULT_THEME = "light"


class OptionsError(ValueError):
    """An export setting out of range or at odds with the run; str() is one line."""


def format_of(path: str) -> str:
    """'.gif', '.mp4', '.webp' or '.png' from the file name; OptionsError for anything else."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise OptionsError(f"{path}: unknown file type; use {', '.join(FORMATS)}")
    return ext


def check_learn_applies(history) -> None:
    """OptionsError for a recorded run: its Δw would be made up, as netviz never had its training settings."""
    if isinstance(history, RecordedHistory):
        raise OptionsError("a recorded run holds no training settings to replay a step with; learn does not apply")


@dataclass(frozen=True)
class ExportOptions:
    """An export: the file (its extension gives the format) and what the animation shows.

    None means the default: frames 100, or every epoch of a shorter run (60 with think); schedule
    change (frames spaced by how much the weights move, measured on the history that animation_for
    is given); from 0 to the run's last epoch; input the new situation; hold 2 s. `for_run()` fills them in for one run.
    """

    path: str
    frames: int | None = None
    fps: float = 20.0
    size: tuple[int, int] = (800, 500)  # (width, height) in pixels
    schedule: str | None = None
    start: int | None = None  # first epoch shown
    end: int | None = None  # last epoch shown (with think: the epoch that thinks)
    theme: str = DEFAULT_THEME
    think: bool = False  # one forward pass of `input` instead of training
    input: tuple[float, ...] | None = None  # whose activations fill the neurons
    caption: bool = True  # epoch, loss and a loss curve with its cursor
    hold: float | None = None  # seconds the last frame stays longer
    loop: int = 0  # times it plays; 0 = forever
    weight_scale: str = DEFAULT_WEIGHT_SCALE  # how |weight| maps to line width (a key of WEIGHT_SCALES)
    learn: bool = False  # one learning step (epoch `end` -> end + 1) in stages instead of training
    row: int | None = None  # with learn: the training row shown; None = the whole batch

    def __post_init__(self):
        format_of(self.path)
        if self.frames is not None and not 1 <= self.frames <= MAX_FRAMES:
            raise OptionsError(f"frames must be 1 to {MAX_FRAMES:,}, got {self.frames}")
        if not (math.isfinite(self.fps) and MIN_FPS <= self.fps <= MAX_FPS):
            raise OptionsError(f"frames per second must be {MIN_FPS:g} to {MAX_FPS:g}, got {self.fps:g}")
        if not all(MIN_SIDE <= side <= MAX_SIDE for side in self.size) or len(self.size) != 2:
            raise OptionsError(f"each side must be {MIN_SIDE} to {MAX_SIDE} pixels, got {self.size}")
        if self.schedule is not None and self.schedule not in SCHEDULES:
            raise OptionsError(f"unknown schedule {self.schedule!r}; use {' or '.join(SCHEDULES)}")
        if self.weight_scale not in WEIGHT_SCALES:
            raise OptionsError(f"unknown weight scale {self.weight_scale!r}; use {', '.join(WEIGHT_SCALES)}")
        if self.theme not in THEMES:
            raise OptionsError(f"unknown theme {self.theme!r}; use {', '.join(THEMES)}")
        if any(e is not None and e < 0 for e in (self.start, self.end)):
            raise OptionsError("epochs are 0 or more")
        if self.hold is not None and not 0 <= self.hold <= MAX_HOLD_S:
            raise OptionsError(f"the hold must be 0 to {MAX_HOLD_S:g} seconds, got {self.hold:g}")
        if not 0 <= self.loop <= MAX_LOOP:
            raise OptionsError(f"loop must be 0 to {MAX_LOOP}, got {self.loop}")
        if self.input is not None and not all(math.isfinite(v) for v in self.input):
            raise OptionsError("the input must be finite numbers")
        if self.think and self.format == ".html":
            raise OptionsError("think does not apply to .html: the page has a Think button")
        if self.think and self.format == ".svg":
            raise OptionsError("think does not apply to .svg: a still of one epoch; export .png for its last frame")
        if self.learn and self.format in (".html", ".svg"):
            formats = ", ".join(f for f in FORMATS if f not in (".html", ".svg"))
            raise OptionsError(f"learn does not apply to {self.format}: export a learning step as {formats}")
        if self.think and (self.start is not None or self.schedule is not None):
            raise OptionsError("think draws one forward pass at the last epoch shown; from and schedule do not apply")
        self._check_learn()

    def _check_learn(self) -> None:
        """A learning step is one epoch's: no range of epochs, no forward pass of its own, enough frames."""
        if not self.learn:
            if self.row is not None:
                raise OptionsError("a row is shown by a learning step (learn) only")
            return
        if self.think or self.start is not None or self.schedule is not None or self.input is not None:
            raise OptionsError(
                "learn animates one step of the training rows; think, from, schedule and input do not apply"
            )
        if self.frames is not None and self.frames < MIN_LEARN_FRAMES:
            raise OptionsError(f"a learning step needs at least {MIN_LEARN_FRAMES} frames, got {self.frames}")
        if self.row is not None and self.row < 0:
            raise OptionsError("rows are 0 or more")

    @property
    def format(self) -> str:
        return format_of(self.path)

    def for_run(self, last_epoch: int, n_in: int, default_input, run_end: str = "") -> "ExportOptions":
        """The options with every default filled in for a run whose last epoch is last_epoch.

        default_input: the new situation (or None); run_end names the run's end in messages
        ("the session's last epoch, 300"). OptionsError (one line) if the options do not fit the run.
        """
        run_end = run_end or f"the run's last epoch, {last_epoch:,}"
        if self.learn:
            return self._learn_for_run(last_epoch, run_end)
        for name, epoch in (("from", self.start), ("to", self.end)):
            if epoch is not None and epoch > last_epoch:
                raise OptionsError(f"{name} epoch {epoch:,} is beyond {run_end}")
        start = 0 if self.start is None else self.start
        end = last_epoch if self.end is None else self.end
        if start > end:
            raise OptionsError(f"from epoch {start:,} is after to epoch {end:,}")
        frames = self.frames or (THINK_FRAMES if self.think else EXPORT_FRAMES)
        if self.frames is None and not self.think:  # a short run (a few checkpoints) shows every epoch
            frames = min(frames, end - start + 1)
        if not self.think and frames > end - start + 1:
            raise OptionsError(f"{frames} frames are more than the {end - start + 1:,} epochs from {start} to {end}")
        inputs = self.input if self.input is not None else default_input
        if inputs is not None and len(inputs) != n_in:
            raise OptionsError(f"the input has {len(inputs)} values but the network has {n_in} inputs")
        if self.think and inputs is None:
            raise OptionsError("think needs an input: the run holds no data rows")
        return replace(
            self, frames=frames, start=None if self.think else start, end=end,
            input=None if inputs is None else tuple(map(float, inputs)),
            schedule=None if self.think else self.schedule or DEFAULT_SCHEDULE,
            hold=HOLD_S if self.hold is None else self.hold,
        )  # fmt: skip

    def _learn_for_run(self, last_epoch: int, run_end: str) -> "ExportOptions":
        """Filled in for a learning step: the step from `end` (default the one before the last epoch) to end + 1."""
        end = max(0, last_epoch - 1) if self.end is None else self.end
        if end >= last_epoch:
            raise OptionsError(f"the step from epoch {end:,} to {end + 1:,} is beyond {run_end}")
        return replace(
            self,
            frames=self.frames or LEARN_FRAMES,
            end=end,
            input=None,
            hold=HOLD_S if self.hold is None else self.hold,
        )

    def seconds(self) -> float:
        """How long the animation plays once (filled-in options)."""
        return self.frames / self.fps + self.hold
