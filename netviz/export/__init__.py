"""Export: animations of a run to GIF, WebP, MP4 or PNG. Frames come from render; no training here."""

from netviz.export.animation import Animation, think_animation, training_animation
from netviz.export.schedule import DEFAULT_SCHEDULE, SCHEDULES, epoch_schedule
from netviz.export.writer import (
    FORMATS,
    VIDEO_INSTALL,
    Cancelled,
    VideoSupportMissing,
    export,
    export_steps,
    format_of,
    require_video,
)

__all__ = [
    "DEFAULT_SCHEDULE",
    "FORMATS",
    "SCHEDULES",
    "VIDEO_INSTALL",
    "Animation",
    "Cancelled",
    "VideoSupportMissing",
    "epoch_schedule",
    "export",
    "export_steps",
    "format_of",
    "require_video",
    "think_animation",
    "training_animation",
]
