import os

# Qt must see this before it is first imported, so every test runs without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
