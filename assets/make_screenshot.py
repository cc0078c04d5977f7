"""Draws assets/app.png: the netviz window, offscreen, with the blog's run paused mid-way in Think mode.

Run from the repository root: python assets/make_screenshot.py
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6.QtCore import QEventLoop, QTimer
from PyQt6.QtWidgets import QApplication

from netviz.ui.main_window import MainWindow


def spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.confirm_discard = False
    window.resize(1280, 860)
    window.show()
    window.playback.set_speed("max")
    window.transport.target_box.setValue(20_000)
    window.play()
    while window.playing:
        spin(50)
    window.playback.set_input_row(5)  # [1, 1, 1] -> 0
    window.transport.act_think.setChecked(True)
    spin(1800)
    window.grab().save("assets/app.png")
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
