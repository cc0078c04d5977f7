"""A table of training rows: inputs and targets, edited cell by cell, rows and columns added or
removed, imported from and exported to CSV with the same rules as `netviz train --data`."""

import math

import numpy as np
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from netviz.atomic import WriteError
from netviz.engine.data import DataError, Dataset, load_csv, save_csv
from netviz.engine.runspec import middle_of_inputs


def parse_cell(text: str) -> float:
    """A finite number, or ValueError with a message a person understands."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


class DataEditor(QDialog):
    """Edit a Dataset; `dataset()` gives the edited copy. The new situation is the last row."""

    def __init__(self, dataset: Dataset, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Training data")
        self.resize(560, 480)
        self.table = QTableWidget()
        self.table.itemChanged.connect(self._on_item_changed)
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
        self._set_message("Double-click a cell to change it. The last row is the new situation to ask about.")

    def _fill_new_situation(self, values) -> None:
        last = self.table.rowCount() - 1
        self.table.setVerticalHeaderItem(last, QTableWidgetItem("new"))
        for c in range(self.table.columnCount()):
            if c < self.n_inputs:
                self.table.setItem(last, c, self._cell(values[c] if c < len(values) else 0.0))
            else:
                item = QTableWidgetItem("—")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
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

    def add_column(self, target: bool) -> None:
        column = self.table.columnCount() if target else self.n_inputs
        prefix = "out" if target else "x"
        existing = {self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())}
        k = 1
        while f"{prefix}{k}" in existing:
            k += 1
        self.table.blockSignals(True)
        self.table.insertColumn(column)
        self.table.setHorizontalHeaderItem(column, QTableWidgetItem(f"{prefix}{k}"))
        if target:
            self.n_targets += 1
        for r in range(self.table.rowCount()):
            self.table.setItem(r, column, self._cell(0.0))
        self._fill_new_situation([self.table.item(self.table.rowCount() - 1, c).data(Qt.ItemDataRole.UserRole)
                                  for c in range(self.n_inputs)])  # fmt: skip
        self.table.blockSignals(False)

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
        self._set_message("")

    def _set_message(self, text: str, error: bool = False) -> None:
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
