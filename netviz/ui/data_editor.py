"""A table of training rows: inputs and targets, edited cell by cell, rows and columns added or
removed, imported from and exported to CSV with the same rules as `netviz train --data`."""

import math
import re
from collections.abc import Callable

import numpy as np
from PyQt6.QtCore import QPoint, QRect, Qt
from PyQt6.QtGui import QColor, QPainter, QPalette, QPen
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netviz.atomic import WriteError
from netviz.engine.data import DataError, Dataset, load_csv, save_csv
from netviz.engine.runspec import middle_of_inputs

HINT = "Double-click a cell to change it. The last row is the new situation to ask about."
TARGET_TINT_ALPHA = 40  # of 255: target cells tinted with the accent, faint enough to read numbers on
SEPARATOR_WIDTH = 2  # pixels, between the inputs and the targets
STRETCHED_COLUMNS = 8  # up to this many columns share the width (about 70 pixels each in the dialog)


def next_name(names: list[str], taken: set[str], fallback: str) -> str:
    """A new column's name, after its neighbours `names`: x, y -> z; x1, x2 -> x3; a, b -> c; A -> B.

    Otherwise (or if that name is taken) `fallback` numbered by its place: in3, out2.
    """
    last = names[-1] if names else ""
    match = re.fullmatch(r"(.*?)(\d+)", last)
    if match:
        prefix = match.group(1)
        numbers = [int(m.group(1)) for n in names if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", n))]
        candidate = f"{prefix}{max(numbers) + 1}"
    elif len(last) == 1 and last.isalpha() and last.lower() != "z":
        candidate = chr(ord(last) + 1)
    else:
        candidate = ""
    k = len(names) + 1
    while not candidate or candidate in taken:
        candidate, k = f"{fallback}{k}", k + 1
    return candidate


def parse_cell(text: str) -> float:
    """A finite number, or ValueError with a message a person understands."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def target_colour(palette: QPalette) -> QColor:
    """The colour that marks target columns: the accent, the palette's Highlight."""
    return palette.color(QPalette.ColorRole.Highlight)


class TargetsApart(QStyledItemDelegate):
    """Target cells tinted, with a line between the last input and the first target column."""

    def __init__(self, n_inputs: Callable[[], int], parent=None):
        super().__init__(parent)
        self._n_inputs = n_inputs

    def paint(self, painter: QPainter, option, index) -> None:
        first_target = self._n_inputs()
        if index.column() >= first_target:
            tint = QColor(target_colour(option.palette))
            tint.setAlpha(TARGET_TINT_ALPHA)
            painter.fillRect(option.rect, tint)
        super().paint(painter, option, index)
        if index.column() == first_target:
            painter.save()
            painter.setPen(QPen(target_colour(option.palette), SEPARATOR_WIDTH))
            x = option.rect.left() + SEPARATOR_WIDTH // 2
            painter.drawLine(x, option.rect.top(), x, option.rect.bottom())
            painter.restore()


class ColumnGroups(QWidget):
    """A band above the table that names its column groups: "inputs" over the inputs, "targets" over the targets."""

    def __init__(self, table: QTableWidget, n_inputs: Callable[[], int], parent=None):
        super().__init__(parent)
        self._table, self._n_inputs = table, n_inputs
        self.setFixedHeight(self.fontMetrics().height() + 6)
        header = table.horizontalHeader()
        header.sectionResized.connect(self.update)
        header.geometriesChanged.connect(self.update)
        table.horizontalScrollBar().valueChanged.connect(self.update)

    def spans(self) -> list[tuple[str, int, int]]:
        """(name, left, right) of each group in this widget's coordinates; empty groups left out."""
        header = self._table.horizontalHeader()
        top = self.window()  # the header and this band meet only there
        offset = header.mapTo(top, QPoint(0, 0)).x() - self.mapTo(top, QPoint(0, 0)).x()
        n, n_in = self._table.columnCount(), self._n_inputs()
        spans = []
        for name, first, last in (("inputs", 0, n_in - 1), ("targets", n_in, n - 1)):
            left = max(header.sectionViewportPosition(first), 0)  # clipped to the columns in view
            right = min(header.sectionViewportPosition(last) + header.sectionSize(last), header.width())
            if first <= last and left < right:
                spans.append((name, offset + left, offset + right))
        return spans

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        for name, left, right in self.spans():
            colour = target_colour(self.palette()) if name == "targets" else self.palette().color(
                QPalette.ColorRole.PlaceholderText)  # fmt: skip
            painter.setPen(QPen(colour, 2))
            bottom = self.height() - 1
            painter.drawLine(left + 2, bottom, right - 2, bottom)
            painter.drawText(QRect(left, 0, right - left, bottom), Qt.AlignmentFlag.AlignCenter, name)
        painter.end()


class DataEditor(QDialog):
    """Edit a Dataset; `dataset()` gives the edited copy. The new situation is the last row."""

    def __init__(self, dataset: Dataset, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Training data")
        if parent is not None:  # a dialog is a window of its own: it takes the window's theme explicitly
            self.setPalette(parent.palette())
        self.resize(560, 480)
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.setItemDelegate(TargetsApart(lambda: self.n_inputs, self.table))
        # Rows as tall as the run's table beside the drawing (and an editor's frame), not the style's ~30 px.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.groups = ColumnGroups(self.table, lambda: self.n_inputs)
        self.error = False  # the message says what went wrong (else it is a hint)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.n_targets = dataset.n_out
        self.name = dataset.name

        buttons = QHBoxLayout()
        for text, slot in (
            ("Add row", self.add_row), ("Remove row", self.remove_rows),
            ("Add input", lambda: self.add_column(target=False)), ("Add target", lambda: self.add_column(target=True)),
            ("Remove column", self.remove_column), ("Import CSV…", self._on_import), ("Export CSV…", self._on_export),
        ):  # fmt: skip
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        ok_cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok_cancel.accepted.connect(self.accept)
        ok_cancel.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.groups)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(ok_cancel)
        self._result: Dataset | None = None
        self.set_dataset(dataset)

    # ------------------------------------------------------------------ model
    def set_dataset(self, dataset: Dataset) -> None:
        self.n_targets, self.name = dataset.n_out, dataset.name
        names = list(dataset.input_names) + list(dataset.target_names)
        rows = np.hstack([dataset.inputs, dataset.targets])
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(names))
        self.table.setHorizontalHeaderLabels(names)
        self.table.setRowCount(len(rows) + 1)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, self._cell(value))
        new = dataset.new_situation if dataset.new_situation is not None else middle_of_inputs(dataset)
        self._fill_new_situation(new)
        self.table.blockSignals(False)
        self._mark_targets()
        self._set_message(HINT)

    def _fill_new_situation(self, values) -> None:
        last = self.table.rowCount() - 1
        self.table.setVerticalHeaderItem(last, QTableWidgetItem("new"))
        for c in range(self.table.columnCount()):
            if c < self.n_inputs:
                self.table.setItem(last, c, self._cell(values[c] if c < len(values) else 0.0))
            else:
                item = QTableWidgetItem("—")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(last, c, item)

    @property
    def n_inputs(self) -> int:
        return self.table.columnCount() - self.n_targets

    def _cell(self, value: float) -> QTableWidgetItem:
        item = QTableWidgetItem(f"{value:g}")
        item.setData(Qt.ItemDataRole.UserRole, float(value))  # the last valid value, restored on a bad edit
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def dataset(self) -> Dataset:
        """The table as a Dataset; ValueError if it has no rows, inputs or targets."""
        n_rows, n_cols = self.table.rowCount() - 1, self.table.columnCount()
        if n_rows < 1 or self.n_inputs < 1 or self.n_targets < 1:
            raise ValueError("the data needs at least one row, one input column and one target column")
        values = np.array(
            [[self.table.item(r, c).data(Qt.ItemDataRole.UserRole) for c in range(n_cols)] for r in range(n_rows)],
            dtype=np.float64,
        )
        names = [self.table.horizontalHeaderItem(c).text() for c in range(n_cols)]
        last = n_rows
        new = np.array([self.table.item(last, c).data(Qt.ItemDataRole.UserRole) for c in range(self.n_inputs)])
        return Dataset(values[:, : self.n_inputs], values[:, self.n_inputs :], name=self.name,
                       input_names=names[: self.n_inputs], target_names=names[self.n_inputs :],
                       new_situation=new)  # fmt: skip

    # ---------------------------------------------------------------- editing
    def add_row(self) -> None:
        row = self.table.rowCount() - 1  # above the new situation
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for c in range(self.table.columnCount()):
            self.table.setItem(row, c, self._cell(0.0))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)
        self._on_changed()

    def remove_rows(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes() if i.row() < self.table.rowCount() - 1})
        if not rows:
            self._set_message("Select the rows to remove first.", error=True)
            return
        if len(rows) >= self.table.rowCount() - 1:
            self._set_message("The data needs at least one row.", error=True)
            return
        for row in reversed(rows):
            self.table.removeRow(row)
        self._on_changed()

    def add_column(self, target: bool) -> None:
        """An input column after the last input, or a target column after the last target, named after them."""
        column = self.table.columnCount() if target else self.n_inputs
        names = self.column_names()
        kind = names[self.n_inputs :] if target else names[: self.n_inputs]
        name = next_name(kind, set(names), "out" if target else "in")
        self.table.blockSignals(True)
        self.table.insertColumn(column)
        self.table.setHorizontalHeaderItem(column, QTableWidgetItem(name))
        if target:
            self.n_targets += 1
        for r in range(self.table.rowCount()):
            self.table.setItem(r, column, self._cell(0.0))
        self._fill_new_situation([self.table.item(self.table.rowCount() - 1, c).data(Qt.ItemDataRole.UserRole)
                                  for c in range(self.n_inputs)])  # fmt: skip
        self.table.blockSignals(False)
        self._on_changed()

    def column_names(self) -> list[str]:
        return [self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())]

    def remove_column(self) -> None:
        column = self.table.currentColumn()
        if column < 0:
            self._set_message("Select a cell of the column to remove first.", error=True)
            return
        is_target = column >= self.n_inputs
        if (self.n_targets if is_target else self.n_inputs) <= 1:
            self._set_message("The data needs at least one input and one target column.", error=True)
            return
        self.table.removeColumn(column)
        if is_target:
            self.n_targets -= 1
        self._on_changed()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        try:
            value = parse_cell(item.text())
        except ValueError as exc:
            old = item.data(Qt.ItemDataRole.UserRole)
            self.table.blockSignals(True)
            item.setText(f"{old:g}")
            self.table.blockSignals(False)
            name = self.table.horizontalHeaderItem(item.column()).text()
            self._set_message(f"Row {item.row() + 1}, {name}: {exc}; kept {old:g}.", error=True)
            return
        item.setData(Qt.ItemDataRole.UserRole, value)
        self._on_changed()

    def _on_changed(self) -> None:
        """After an edit: a message about an earlier problem goes as soon as the data is valid again."""
        self._mark_targets()
        try:
            self.dataset()
        except ValueError as exc:
            self._set_message(str(exc), error=True)
            return
        if self.error:
            self._set_message(HINT)

    def _on_selection_changed(self) -> None:
        if self.error and self.message.text().startswith("Select"):  # it asked for the selection just made
            self._set_message(HINT)

    def _mark_targets(self) -> None:
        """Target columns' headers in the accent, with a tooltip; the delegate and the band do the rest."""
        accent = target_colour(self.palette())
        for c in range(self.table.columnCount()):
            item = self.table.horizontalHeaderItem(c)
            is_target = c >= self.n_inputs
            item.setForeground(accent if is_target else self.palette().color(QPalette.ColorRole.Text))
            item.setToolTip("A target: what the network should output" if is_target else "An input")
        self._fit_columns()
        self.groups.update()

    def _fit_columns(self) -> None:
        """A few columns share the dialog's width; many keep their own and scroll sideways."""
        few = self.table.columnCount() <= STRETCHED_COLUMNS
        mode = QHeaderView.ResizeMode.Stretch if few else QHeaderView.ResizeMode.Interactive
        self.table.horizontalHeader().setSectionResizeMode(mode)

    def _set_message(self, text: str, error: bool = False) -> None:
        self.error = error
        self.message.setText(text)
        self.message.setStyleSheet("color: #c0392b;" if error else "color: gray;")

    # ------------------------------------------------------------------ files
    def import_csv(self, path: str) -> bool:
        try:
            self.set_dataset(load_csv(path, n_targets=self.n_targets))
        except DataError as exc:
            self._set_message(str(exc), error=True)
            return False
        return True

    def export_csv(self, path: str) -> bool:
        try:
            save_csv(self.dataset(), path)
        except WriteError as exc:  # its message names the file
            self._set_message(str(exc), error=True)
            return False
        except ValueError as exc:
            self._set_message(f"{path}: {exc}", error=True)
            return False
        self._set_message(f"Saved {path}")
        return True

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import CSV", "", "CSV (*.csv);;All files (*)")
        if path:
            self.import_csv(path)

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", f"{self.name}.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def accept(self) -> None:
        try:
            self._result = self.dataset()
        except ValueError as exc:
            self._set_message(str(exc), error=True)
            return
        super().accept()

    def result_dataset(self) -> Dataset | None:
        return self._result
