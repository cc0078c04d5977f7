"""The menu bar: File, Edit, View and Help, each entry a call into the window's parts."""

from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import QMenu

from netviz.scene.style import THEMES, WEIGHT_SCALES

WEIGHT_SCALE_LABELS = {"log": "Logarithmic, fixed (0.1 to 50)", "run": "Linear, to the run's largest weight",
                       "clamp": "Linear, clamped at |w| = 5 (as Playground)"}  # fmt: skip


class Menus:
    """Builds the window's menus; `keyed` lists every entry with a shortcut (for Help)."""

    def __init__(self, window):
        self.window = window
        self.keyed: list[QAction] = []
        bar = window.menuBar()
        self._file(bar.addMenu("&File"))
        self._edit(bar.addMenu("&Edit"))
        self._view(bar.addMenu("&View"))
        self._help(bar.addMenu("&Help"))

    def _item(self, menu: QMenu, text: str, keys, slot) -> QAction:
        entry = menu.addAction(text)
        if keys:
            entry.setShortcut(QKeySequence(keys))
            self.keyed.append(entry)
        entry.setStatusTip(text.rstrip("…"))
        entry.triggered.connect(lambda _=False: slot())
        return entry

    def _file(self, menu: QMenu) -> None:
        w, files = self.window, self.window.files
        self._item(menu, "New run…", QKeySequence.StandardKey.New, w.new_run)
        self._item(menu, "Open…", QKeySequence.StandardKey.Open, files.ask_open)
        files.recent_menu = menu.addMenu("Open recent")
        files.update_recent_menu()
        self._item(menu, "Save", QKeySequence.StandardKey.Save, files.save)
        self._item(menu, "Save as…", "Ctrl+Shift+S", files.save_as)
        menu.addSeparator()
        self._item(menu, "Save picture (PNG, SVG)…", "Ctrl+P", files.save_picture)
        self._item(menu, "Export animation…", "Ctrl+E", files.export_animation)
        menu.addSeparator()
        self._item(menu, "Quit", "Ctrl+Q", w.close)

    def _edit(self, menu: QMenu) -> None:
        edits = self.window.live_edits
        self.undo_action = self._item(menu, "Undo", QKeySequence.StandardKey.Undo, edits.undo)
        edits.changed.connect(self._update_undo)
        self._update_undo()

    def _update_undo(self) -> None:
        """Undo names the edit it undoes, and is off when there is none (a save ends undo)."""
        what = self.window.live_edits.undo_text
        self.undo_action.setText(f"Undo {what}" if what else "Undo")
        self.undo_action.setEnabled(bool(what))

    def _choices(self, menu: QMenu, names, label, slot) -> dict[str, QAction]:
        """One checkable entry per name, exclusive."""
        group = QActionGroup(menu)
        actions = {}
        for name in names:
            a = menu.addAction(label(name))
            a.setCheckable(True)
            a.triggered.connect(lambda _=False, n=name: slot(n))
            group.addAction(a)
            actions[name] = a
        return actions

    def _view(self, menu: QMenu) -> None:
        w = self.window
        self.theme_actions = self._choices(menu, THEMES, lambda n: f"{n.capitalize()} theme", w.set_theme)
        menu.addSeparator()
        self.scale_actions = self._choices(menu.addMenu("Weight scale"), WEIGHT_SCALES, WEIGHT_SCALE_LABELS.get,
                                           w.set_weight_scale)  # fmt: skip
        menu.addSeparator()
        self.show_changes = menu.addAction("Show changes")
        self.show_changes.setCheckable(True)
        self.show_changes.setStatusTip("Each synapse glows by how much its weight moved since the last frame")
        self.show_changes.toggled.connect(lambda on: w.changes.set_shown(on))
        self.training_panel = menu.addAction("Training panel")
        self.training_panel.setCheckable(True)
        self.training_panel.setChecked(True)
        self.training_panel.setStatusTip("The settings the run trains under, to change while it plays")
        self.training_panel.toggled.connect(w.training_panel.setVisible)
        self._item(menu, "Reset zoom", "Ctrl+0", w.canvas.reset_view)

    def _help(self, menu: QMenu) -> None:
        from netviz.ui import help as help_

        w = self.window
        shortcuts = self._item(menu, "Keyboard shortcuts", "F1", lambda: help_.show_shortcuts(w))
        shortcuts.setShortcuts([QKeySequence("F1"), QKeySequence("?")])
        self._item(menu, "Reading the drawing", None, lambda: help_.show_reading(w))
        menu.addSeparator()
        self._item(menu, "About netviz", None, lambda: help_.show_about(w))
