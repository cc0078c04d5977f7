"""The desktop app: the only layer with QWidgets."""
