"""Errors the window did not expect: logged, and shown in a dialog while the run stays open."""

import logging
import os
import sys
import traceback
from pathlib import Path

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("netviz")


def log_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(Path.home(), ".local", "state")
    return Path(base) / "netviz" / "netviz.log"


def setup_logging() -> None:
    if log.handlers:
        return
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def report_error(title: str, details: str, parent=None) -> None:
    """Log an error and show it in a dialog (when a window can be shown)."""
    log.error("%s\n%s", title, details)
    print(f"netviz: {title}\n{details}", file=sys.stderr)
    if QApplication.instance() is None:
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("netviz: unexpected error")
    box.setText(title)
    box.setInformativeText(f"The details are in {log_path()}. Your run is still open.")
    box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()  # not exec(): no nested event loop inside the slot that failed


_reporting = False


def excepthook(kind, value, tb) -> None:
    """PyQt6 aborts on an exception escaping a slot unless a hook handles it: show and log it."""
    global _reporting
    details = "".join(traceback.format_exception(kind, value, tb))
    if _reporting:  # an error while showing an error: log it only
        log.error(details)
        return
    _reporting = True
    try:
        report_error(f"{kind.__name__}: {value}", details)
    finally:
        _reporting = False
