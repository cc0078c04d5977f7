import pytest

from netviz.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_unsaved_work_prompt(monkeypatch):
    """Tests close windows with trained epochs; the question would block them (one test asks it)."""
    monkeypatch.setattr(MainWindow, "confirm_discard", False)
