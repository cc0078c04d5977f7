"""Export: animations of a run to GIF, WebP, MP4 or PNG. Frames come from render; no training here.

The package itself loads nothing: `netviz.export.options` and `netviz.export.schedule` are pure
(the command line reads their choices without loading Qt), while `animation` and `writer` paint
with Qt. The names below are loaded from their modules on first use.
"""

import importlib

_WHERE = {
    "Animation": "animation", "animation_for": "animation", "think_animation": "animation",
    "training_animation": "animation",
    "DEFAULT_SCHEDULE": "schedule", "SCHEDULES": "schedule", "epoch_schedule": "schedule",
    "FORMATS": "options", "ExportOptions": "options", "OptionsError": "options", "format_of": "options",
    "VIDEO_INSTALL": "writer", "Cancelled": "writer", "VideoSupportMissing": "writer", "export": "writer",
    "export_steps": "writer", "require_video": "writer",
}  # fmt: skip

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'netviz.export' has no attribute {name!r}")
    return getattr(importlib.import_module(f"netviz.export.{_WHERE[name]}"), name)
