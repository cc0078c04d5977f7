"""Session files in the window: open, save, recent files, the unsaved-work question, picture and export.

Opening loads the whole file first and swaps the run in only once it loaded: a bad file
shows a dialog and leaves the window exactly as it was.
"""

import os

from PyQt6.QtCore import QObject, QSettings, Qt
from PyQt6.QtWidgets import QFileDialog, QMenu, QMessageBox

MAX_RECENT = 8
SESSION_FILTER = "netviz sessions (*.netviz)"


class SessionFiles(QObject):
    """The File menu's work for `window`: which file the run is in and whether it has unsaved epochs."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.path: str | None = None
        self.saved_epoch = 0  # the newest epoch already in the file (or made by nothing but opening)
        self.edited = False  # something besides training changed since the last save (the new situation)
        self.recent_menu: QMenu | None = None
        self.follow = True  # a recording still being written is followed live (netviz open --no-follow: not)
        self.notes: list[str] = []  # what the recorder or importer of the open session left out; kept on Save as

    # ------------------------------------------------------------------ state
    def has_unsaved_work(self) -> bool:
        w = self.window
        return self.edited or (w.run.trainable and w.history.latest_epoch > self.saved_epoch)

    def mark_edited(self) -> None:
        self.edited = True
        self.window.update_title()

    def forget(self, saved_epoch: int) -> None:
        """A new run, in no file yet; nothing to save up to `saved_epoch`."""
        self.path, self.saved_epoch, self.edited = None, saved_epoch, False
        self.notes = []

    def trained_again(self, path: str | None, notes: list[str]) -> None:
        """After Reset: still the run of the file at `path` (if any), unsaved until Save writes it there."""
        if path is not None:
            self.path, self.notes = path, notes
            self.mark_edited()

    def title(self) -> str:
        name = os.path.basename(self.path) if self.path else "untitled"
        return f"{name}{'*' if self.has_unsaved_work() else ''} — netviz"

    # ------------------------------------------------------------------ open and save
    def open_session(self, path: str) -> bool:
        """Load a .netviz file; a bad one shows a dialog and leaves the current run as it was."""
        from netviz.api import read_session
        from netviz.engine.session import SessionError
        from netviz.live import LiveRecording

        try:
            session, recording = read_session(path)
            live = LiveRecording(path, session) if recording and self.follow else None
        except (SessionError, OSError) as exc:
            self.error_box("Could not open the session", str(exc))
            return False
        self.window.show_session(session)
        if live is not None:
            self.window.follow_recording(live)
        from netviz.engine.session import read_notes

        self.path, self.saved_epoch, self.edited = path, session.history.latest_epoch, False
        self.notes = read_notes(path)
        self.remember(path)
        # View settings that were not valid were left out (the loader says which): say so, briefly.
        notes = f" ({len(session.notes)} view settings were not valid and were left out)" if session.notes else ""
        recorded = "; ".join(self.notes)  # what a recorder or importer left out
        self.window.statusBar().showMessage(f"Opened {path}{notes}{': ' * bool(recorded)}{recorded}", 10000)
        self.window.update_title()
        return True

    def save(self) -> bool:
        return self.save_as(self.path)

    def save_as(self, path: str | None = None) -> bool:
        """Write the run (configuration, data, every epoch, view) to a .netviz file, atomically."""
        from netviz.engine.session import SessionError, save_session

        w = self.window
        if not path:
            name = os.path.basename(self.path) if self.path else "run.netviz"
            path, _ = QFileDialog.getSaveFileName(w, "Save session", os.path.join(self.folder(), name), SESSION_FILTER)
            if not path:
                return False
            if not path.lower().endswith(".netviz"):
                path += ".netviz"
        try:
            save_session(path, w.history, w.view_settings(), w.spec, notes=self.notes)
        except (SessionError, OSError, ValueError) as exc:
            self.error_box("Could not save the session", str(exc))
            return False
        self.path, self.saved_epoch, self.edited = path, w.history.latest_epoch, False
        w.live_edits.forget()  # the file holds the run as it is now: undo ends here
        self.remember(path)
        w.update_title()
        w.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def ask_open(self) -> None:
        if not self.may_discard("Open another session?"):
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open session", self.folder(), f"{SESSION_FILTER};;All files (*)"
        )
        if path:
            self.open_session(path)

    def may_discard(self, question: str) -> bool:
        """True when there is no unsaved training, or the user saved it or chose to discard it."""
        if not self.has_unsaved_work() or not self.window.confirm_discard:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, "Unsaved training", f"{question}\n\nThe epochs trained since the last save are not saved.",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save,
        )  # fmt: skip
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    # ------------------------------------------------------------------ recent files and folders
    def folder(self) -> str:
        """Where file dialogs start: the open session's folder, else the last one used."""
        if self.path:
            return os.path.dirname(os.path.abspath(self.path))
        return QSettings("netviz", "netviz").value("folder", "", type=str)

    def remember(self, path: str) -> None:
        settings = QSettings("netviz", "netviz")
        path = os.path.abspath(path)
        settings.setValue("folder", os.path.dirname(path))
        recent = [p for p in settings.value("recent", [], type=list) if p != path]
        settings.setValue("recent", [path, *recent][:MAX_RECENT])
        self.update_recent_menu()

    def update_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        recent = QSettings("netviz", "netviz").value("recent", [], type=list)
        for path in recent:
            action = menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.may_discard("Open another session?")
                                     and self.open_session(p))  # fmt: skip
        menu.setEnabled(bool(recent))

    # ------------------------------------------------------------------ picture and export
    def save_picture(self) -> None:
        w = self.window
        name = f"netviz-epoch-{w.playback.epoch}.png"
        start = os.path.join(self.folder(), name)
        path, _ = QFileDialog.getSaveFileName(w, "Save picture", start, "PNG (*.png);;SVG vector picture (*.svg)")
        if not path:
            return
        if not path.lower().endswith((".png", ".svg")):
            path += ".png"
        QSettings("netviz", "netviz").setValue("folder", os.path.dirname(os.path.abspath(path)))
        from netviz.export.svg import save_svg
        from netviz.render.still import save_still

        save = save_svg if path.lower().endswith(".svg") else save_still
        try:
            save(path, w.canvas.frame, (1280, 800))
        except OSError as exc:
            self.error_box("Could not save the picture", str(exc))
            return
        w.statusBar().showMessage(f"Saved {path}", 4000)

    def export_animation(self) -> None:
        from netviz.ui.export_dialog import ExportDialog

        w = self.window
        was_playing = w.playback.playing
        w.playback.pause()
        inputs, _ = w.selected_input()
        dialog = ExportDialog(w.history, w.theme_name, inputs, None, parent=w, weight_scale=w.weight_scale_kind)
        dialog.path_edit.setText(os.path.join(self.folder() or os.getcwd(), "netviz.gif"))
        dialog.exec()
        if was_playing:
            w.playback.play()

    def error_box(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # stays up until dismissed; the window behind keeps working
        self.window.error_box = box
