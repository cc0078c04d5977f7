"""The predictions table: each training row's inputs, target and current output, and an editable new situation."""

import math

import numpy as np
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor, QPalette
from PyQt6.QtWidgets import (
    QWIDGETSIZE_MAX,
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netviz.engine.data import Dataset
from netviz.engine.runspec import middle_of_inputs
from netviz.player.run import Run
from netviz.render.still import trained_under
from netviz.scene.style import THEMES, Theme

ERROR_LEVELS = 12  # colour steps from good to bad: a cell's colour changes only when its error crosses one
_ERROR_STOPS = np.array([[45, 164, 78], [212, 167, 44], [207, 34, 46]], dtype=np.float64)  # green, amber, red
ERROR_ALPHA = 110  # translucent, so the tint reads on light and dark backgrounds with the theme's text colour
MAX_VISIBLE_ROWS = 12  # taller data sets scroll
MIN_SHOWN_ROWS = 8  # the blog's 7 rows and its new situation always show, however the window is split
USUAL_PERCENT = 90  # a column is as wide as this share of its values needs
WIDTH_SAMPLE = 1_000  # rows measured for that, evenly spread (a large data set is laid out in a blink)
MAX_MIN_WIDTH = 360  # wider data sets scroll sideways: an 800-pixel window keeps room for the loss plot
NO_VALUE = "—"
MARK = "▸ "  # before the chosen row's number in the row header
HINT = "Double-click a new situation input to change it."


def error_strength(error: np.ndarray, scale: np.ndarray | float) -> np.ndarray:
    """|error| / scale clamped to [0, 1]: 0 is a perfect output, 1 is as wrong as half the target range or worse.

    NaN (no output yet) counts as 1.
    """
    s = np.abs(np.asarray(error, dtype=np.float64)) / scale
    return np.clip(np.nan_to_num(s, nan=1.0, posinf=1.0), 0.0, 1.0)


def error_level(strength: np.ndarray) -> np.ndarray:
    """Colour step 0..ERROR_LEVELS-1 of each strength."""
    return np.rint(np.asarray(strength) * (ERROR_LEVELS - 1)).astype(np.intp)


def error_colours(strength: np.ndarray) -> np.ndarray:
    """RGBA (n, 4): green at 0 through amber at 0.5 to red at 1 (clamped), all at ERROR_ALPHA."""
    s = np.clip(np.asarray(strength, dtype=np.float64), 0.0, 1.0) * (len(_ERROR_STOPS) - 1)
    i = np.minimum(s.astype(np.intp), len(_ERROR_STOPS) - 2)
    t = (s - i)[:, None]
    rgb = _ERROR_STOPS[i] + (_ERROR_STOPS[i + 1] - _ERROR_STOPS[i]) * t
    alpha = np.full((len(s), 1), ERROR_ALPHA)
    return np.rint(np.concatenate([rgb, alpha], axis=1)).astype(np.uint8)


def _format_input(value: float) -> str:
    """Short and exact where it can be: 1, 0.25, 0.6370 -> 0.637, 12345.5, 1.23e-05."""
    if not math.isfinite(value):
        return str(value)
    if value == round(value) and abs(value) < 1e15:
        return str(int(value))
    if abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _format_output(value: float) -> str:
    return NO_VALUE if math.isnan(value) else f"{value:.4f}"


class PredictionsPanel(QWidget):
    """One row per training row (inputs, target, output coloured by error) and a last, editable new situation.

    Qt paints this table in C++ (no Python delegate), so that its cells, which change every frame
    while training plays, are painted without the GIL. The chosen row is therefore marked by its
    own look (bold, a tinted background for inputs and target, a ▸ in its header), not by Qt's
    selection, whose highlight would hide the output cells' error colours.
    """

    row_selected = pyqtSignal(int)  # training row index, or -1 for the new situation
    new_situation_changed = pyqtSignal(object)  # np.ndarray (n_in,): a copy of the new situation's inputs

    def __init__(self, dataset: Dataset, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.horizontalHeader().setStretchLastSection(True)  # the pixels the shares leave over
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.currentCellChanged.connect(self._on_current_cell_changed)
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)

        self.message = QLabel(HINT, self)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

        self._run: Run | None = None
        self._epoch: int | None = None  # the epoch shown (rows coming into view are filled in for it)
        self._selected = 0
        self._marked = -1  # the table row drawn as chosen
        self._selecting = False  # True while select_row() moves the current cell: no row_selected then
        self._message_is_error = False
        self._sideways = False  # the columns are wider than the table: it scrolls sideways
        self._error_brushes = [QBrush(QColor(*rgba)) for rgba in error_colours(np.linspace(0, 1, ERROR_LEVELS))]
        self.set_theme(THEMES["light"])
        self.set_dataset(dataset)

    # ---------------------------------------------------------------- the Panel
    def set_run(self, run: Run) -> None:
        self._run = run
        self._epoch = None  # the last run's epoch may not exist in this one; the window shows one next
        self.set_dataset(run.dataset)

    def show_epoch(self, epoch: int) -> None:
        """Outputs at this epoch of the rows in view and of the new situation (only changed cells are
        set; rows scrolled out of view are filled in when they come into view)."""
        run = self._run
        self._epoch = epoch
        _, rows_then = trained_under(run.history, epoch)  # points added or removed mid-way: the rows of then
        if rows_then is not self._dataset:
            self.set_dataset(rows_then, run.dataset.new_situation)
        n = len(self._dataset)
        rows = self._rows_in_view()
        theta = run.history.weights_at(epoch)
        values = np.full((len(rows), self._dataset.n_out), np.nan)
        data_rows = rows[rows < n]
        if len(data_rows):
            values[: len(data_rows)] = run.config.arch.forward(theta, self._dataset.inputs[data_rows])[-1]
        new = run.dataset.new_situation
        if rows[-1] == n and new is not None:
            values[-1] = run.config.arch.forward(theta, new)[-1][0]
        self._show_rows(rows, values)

    def _rows_in_view(self) -> np.ndarray:
        """Table rows (n = the new situation) that the table shows now, at least one."""
        table = self.table
        first = max(0, table.rowAt(0))
        last = table.rowAt(table.viewport().height() - 1)
        last = table.rowCount() - 1 if last < 0 else last
        return np.arange(first, max(first, last) + 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_columns()
        self._on_scrolled()  # rows that came into view

    def _on_scrolled(self) -> None:
        if self._run is not None and self._epoch is not None:
            self.show_epoch(self._epoch)

    # ---------------------------------------------------------------- public API
    @property
    def new_row(self) -> int:
        """The table row of the new situation (after every training row)."""
        return len(self._dataset)

    def set_dataset(self, dataset: Dataset, new_situation: np.ndarray | None = None) -> None:
        """Show another data set (and new_situation (n_in,), if not its own); outputs read as blank until
        set_outputs."""
        self._dataset = dataset
        self._marked = -1  # the rows are made anew
        n_in, n_out, n = dataset.n_in, dataset.n_out, len(dataset)
        new = dataset.new_situation if new_situation is None else new_situation
        self._new = middle_of_inputs(dataset) if new is None else np.array(new, dtype=np.float64).reshape(n_in)
        ptp = np.ptp(dataset.targets, axis=0) if n else np.zeros(n_out)
        self._error_scale = np.where(ptp > 0, 0.5 * ptp, 0.5)  # (n_out,)
        self._shown = np.full((n + 1, n_out), np.nan)  # outputs as displayed (rounded), row n = new situation
        self._levels = np.full((n + 1, n_out), -1)  # colour step shown per output cell, -1 = none

        table = self.table
        table.blockSignals(True)
        table.clearContents()
        table.setRowCount(n + 1)
        table.setColumnCount(n_in + 2 * n_out)
        headers = list(dataset.input_names)
        for name in dataset.target_names:
            headers += ["target", "output"] if n_out == 1 else [f"{name}\ntarget", f"{name}\noutput"]
        table.setHorizontalHeaderLabels(headers)
        table.setVerticalHeaderLabels([str(i + 1) for i in range(n)] + ["new situation"])
        self._fix_row_header_width()
        tip = "Coloured by |target − output|: green is close, red is off by half the target range or more."
        for j in range(n_out):
            table.horizontalHeaderItem(self._output_column(j)).setToolTip(tip)

        for r in range(n + 1):
            for c in range(n_in):
                value = dataset.inputs[r, c] if r < n else self._new[c]
                item = self._item(_format_input(value), editable=r == n)
                if r == n:
                    item.setToolTip(self._edit_tip(c))
                table.setItem(r, c, item)
            for j in range(n_out):
                target = _format_input(dataset.targets[r, j]) if r < n else NO_VALUE
                table.setItem(r, self._target_column(j), self._item(target))
                table.setItem(r, self._output_column(j), self._item(NO_VALUE))
        table.blockSignals(False)

        self._column_widths = self._widths_needed()
        self._fit_columns()
        height = table.fontMetrics().height() + 6
        table.verticalHeader().setDefaultSectionSize(height)
        table.verticalHeader().setMinimumSectionSize(height)
        self._update_height()
        self._set_message(HINT)
        self.select_row(self._selected if -1 <= self._selected < self._choosable() else 0)

    def set_outputs(self, outputs: np.ndarray, new_output: np.ndarray | None = None) -> None:
        """Show outputs (n_rows, n_out) and the new situation's prediction (n_out,) or None; cheap at 60 Hz."""
        n, n_out = len(self._dataset), self._dataset.n_out
        values = np.empty((n + 1, n_out))
        values[:n] = np.asarray(outputs, dtype=np.float64).reshape(n, n_out)
        values[n] = np.nan if new_output is None else np.asarray(new_output, dtype=np.float64).reshape(n_out)
        self._show_rows(np.arange(n + 1), values)

    def _show_rows(self, rows: np.ndarray, values: np.ndarray) -> None:
        """Show `values` (len(rows), n_out) in these table rows (n = the new situation's), NaN as "—"."""
        n = len(self._dataset)
        values = np.round(values, 4) + 0.0  # + 0.0 turns -0.0 into 0.0
        shown = self._shown[rows]
        changed = (values != shown) & ~(np.isnan(values) & np.isnan(shown))
        if not changed.any():
            return
        self._shown[rows] = values
        levels = np.full_like(values, -1, dtype=np.intp)
        data = rows < n
        levels[data] = error_level(error_strength(self._dataset.targets[rows[data]] - values[data], self._error_scale))
        for i, j in zip(*np.nonzero(changed)):
            r = rows[i]
            item = self.table.item(r, self._output_column(j))
            item.setText(_format_output(values[i, j]))
            level = levels[i, j]
            if level != self._levels[r, j]:
                item.setBackground(self._error_brushes[level] if level >= 0 else QBrush())
                self._levels[r, j] = level

    def _choosable(self) -> int:
        """How many training rows may be chosen: the run's newest rows, of which the epoch shown may lack some."""
        return len(self._dataset if self._run is None else self._run.dataset)

    def select_row(self, row: int) -> None:
        """Select a training row, or -1 for the new situation (emits no row_selected); a row that the shown
        epoch did not train on stays selected, marked nowhere."""
        n = len(self._dataset)
        if not -1 <= row < self._choosable():
            raise IndexError(f"row {row} is not a training row (0..{n - 1}) or -1 for the new situation")
        self._selected = row
        if row >= n:
            self._mark(-1)
            self.table.setCurrentCell(-1, -1)  # a click on any shown row chooses it
            return
        self._selecting = True
        table_row = n if row == -1 else row
        if self.table.currentRow() != table_row:
            self.table.setCurrentCell(table_row, max(0, self.table.currentColumn()))
        self.table.scrollToItem(self.table.item(table_row, 0))
        self._mark(table_row)
        self._selecting = False

    def _mark(self, table_row: int) -> None:
        """Draw this table row as the chosen one (and the one before as not)."""
        table = self.table
        for r, chosen in ((self._marked, False), (table_row, True)):
            if not 0 <= r < table.rowCount():
                continue
            for c in range(table.columnCount()):
                if self._is_output_column(c):
                    continue  # outputs keep their error colour, and a width that fits their numbers
                item = table.item(r, c)
                font = item.font()
                font.setBold(chosen)
                item.setFont(font)
                item.setBackground(self._chosen_brush if chosen else QBrush())
            header = table.verticalHeaderItem(r)
            name = header.text().removeprefix(MARK)
            header.setText(f"{MARK}{name}" if chosen else name)
        self._marked = table_row

    def marked_row(self) -> int | None:
        """The training row drawn as chosen, -1 for the new situation, None when no row is."""
        if self._marked < 0:
            return None
        return -1 if self._marked == self.new_row else self._marked

    def selected_row(self) -> int:
        """The selected training row, or -1 for the new situation."""
        return self._selected

    def new_situation(self) -> np.ndarray:
        """A copy of the new situation's inputs (n_in,)."""
        return self._new.copy()

    def set_theme(self, theme: Theme) -> None:
        """Table colours from the theme (the error colours are translucent and suit every theme)."""
        palette = self.palette()
        background, text, muted = QColor(theme.background), QColor(theme.text), QColor(theme.muted)
        header = QColor(theme.background).darker(106) if background.lightness() > 128 else background.lighter(130)
        for role, colour in (
            (QPalette.ColorRole.Window, background),
            (QPalette.ColorRole.Base, background),
            (QPalette.ColorRole.AlternateBase, header),
            (QPalette.ColorRole.Button, header),
            (QPalette.ColorRole.WindowText, text),
            (QPalette.ColorRole.Text, text),
            (QPalette.ColorRole.ButtonText, text),
            (QPalette.ColorRole.PlaceholderText, muted),
        ):
            palette.setColor(role, colour)
        chosen = QColor(theme.muted)  # grey: no hue to confuse with the error colours
        chosen.setAlpha(70)
        self._chosen_brush = QBrush(chosen)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self._theme = theme
        marked, self._marked = self._marked, -1
        if marked >= 0:
            self._mark(marked)
        self._set_message(self.message.text(), error=self._message_is_error)

    # ---------------------------------------------------------------- helpers and handlers
    def _target_column(self, j: int) -> int:
        return self._dataset.n_in + 2 * j

    def _is_output_column(self, c: int) -> bool:
        return c >= self._dataset.n_in and (c - self._dataset.n_in) % 2 == 1

    def _output_column(self, j: int) -> int:
        return self._dataset.n_in + 2 * j + 1

    def _item(self, text: str, editable: bool = False) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        item.setFlags(flags)
        return item

    def _widths_needed(self) -> list[int]:
        """Each column's width for its header and its usual values (an output: four decimals, signed when
        the targets are); a rare longer value (one in ten at most, such as -0.000123) is cut short rather
        than pushing the outputs out of view."""
        table, metrics = self.table, self.table.fontMetrics()
        output = "-0.0000" if self._dataset.targets.size and self._dataset.targets.min() < 0 else "0.0000"
        rows = np.unique(np.linspace(0, table.rowCount() - 1, min(table.rowCount(), WIDTH_SAMPLE)).astype(int))
        widths = []
        for c in range(table.columnCount()):
            fixed = table.horizontalHeaderItem(c).text().split("\n")
            fixed += [output] if c >= self._dataset.n_in and (c - self._dataset.n_in) % 2 else []
            values = [metrics.horizontalAdvance(table.item(r, c).text()) for r in rows]
            usual = np.percentile(values, USUAL_PERCENT, method="higher")
            widths.append(int(max(usual, *(metrics.horizontalAdvance(t) for t in fixed))) + 12)
        return widths

    def _fix_row_header_width(self) -> None:
        """The row header as wide as its widest label with the chosen row's mark: choosing a row must not
        narrow the columns (by as much as the mark, they would no longer fit, and both scroll bars show)."""
        header = self.table.verticalHeader()
        header.setMinimumWidth(0)
        header.setMinimumWidth(header.sizeHint().width() + header.fontMetrics().horizontalAdvance(MARK))

    def _row_header_width(self) -> int:
        """The width the table gives its row header (Qt takes the larger of its minimum and its hint)."""
        header = self.table.verticalHeader()
        return max(header.minimumWidth(), header.sizeHint().width())

    def _fit_columns(self) -> None:
        """Each column gets the width of its numbers and an equal share of the room left; when there is
        none, the table scrolls sideways rather than cutting every value to "0.…"."""
        header = self.table.horizontalHeader()
        widths = self._column_widths
        room = self._room_for_columns()
        share = max(0, room - sum(widths)) // max(1, len(widths))
        for c, width in enumerate(widths):
            header.resizeSection(c, width + share)
        if self._sideways != (room < sum(widths)):
            self._sideways = not self._sideways
            self._update_height()

    def _room_for_columns(self) -> int:
        """The viewport's width as the table's size will make it: the view lays out its scroll bars
        later, and a resize of the viewport alone reaches no Python code."""
        table = self.table
        room = table.width() - 2 * table.frameWidth() - self._row_header_width()
        rows_height = table.rowCount() * table.verticalHeader().defaultSectionSize()
        if rows_height > table.height() - 2 * table.frameWidth() - table.horizontalHeader().sizeHint().height():
            room -= table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return room

    def _update_height(self) -> None:
        table = self.table
        rows = min(table.rowCount(), MAX_VISIBLE_ROWS)
        header = table.horizontalHeader().sizeHint().height()
        height = header + rows * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth()
        if self._sideways:  # the scroll bar below the columns must not hide the last row
            height += table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        shown = header + MIN_SHOWN_ROWS * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth()
        table.setMinimumHeight(min(height, shown))
        table.setMaximumHeight(height if table.rowCount() <= MAX_VISIBLE_ROWS else QWIDGETSIZE_MAX)
        self._table_height = height

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(self._table_height + self.layout().spacing() + self.message.sizeHint().height())
        return hint

    def minimumSizeHint(self):
        """Wide enough for every column's numbers (and a scroll bar), up to MAX_MIN_WIDTH."""
        hint = super().minimumSizeHint()
        table = self.table
        scroll_bar = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = self._row_header_width() + sum(self._column_widths) + 2 * table.frameWidth()
        width += scroll_bar
        hint.setWidth(max(hint.width(), min(width, MAX_MIN_WIDTH)))
        return hint

    def _set_message(self, text: str, error: bool = False) -> None:
        self._message_is_error = error
        colour = self._theme.negative if error else self._theme.muted
        self.message.setStyleSheet(f"color: {colour}; padding: 1px 4px 2px 4px;")
        self.message.setText(text)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        c = item.column()
        if item.row() != self.new_row or c >= self._dataset.n_in:
            return
        name, old, text = self._dataset.input_names[c], self._new[c], item.text().strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            shown = text if len(text) <= 20 else text[:17] + "..."
            what = f"{shown!r} is not a finite number" if text else "needs a number"
            problem = f"{name}: {what}; kept {_format_input(old)}."
            self._set_message(problem, error=True)
            self._set_cell_quietly(item, _format_input(old), problem)
            return
        self._set_message(HINT)
        self._set_cell_quietly(item, _format_input(value), self._edit_tip(c))
        if value != old:
            self._new[c] = value
            self.new_situation_changed.emit(self._new.copy())

    def _edit_tip(self, c: int) -> str:
        return f"{self._dataset.input_names[c]} of the new situation: double-click to change"

    def _set_cell_quietly(self, item: QTableWidgetItem, text: str, tooltip: str) -> None:
        """Rewrite an input cell without coming back into _on_item_changed."""
        self.table.blockSignals(True)
        item.setText(text)
        item.setToolTip(tooltip)
        self.table.blockSignals(False)

    def _on_current_cell_changed(self, r: int, _c: int, _old_r: int, _old_c: int) -> None:
        if self._selecting or r < 0:
            return
        row = -1 if r == self.new_row else r
        self._mark(r)
        if row != self._selected:
            self._selected = row
            self.row_selected.emit(row)
