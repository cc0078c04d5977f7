"""netviz: watch a small neural network learn."""

__version__ = "0.1.0"
__all__ = ["Recorder", "__version__", "load", "show"]


def __getattr__(name: str):
    # Imported on first use, so that `import netviz` (and `netviz train`) stays light.
    if name == "Recorder":
        from netviz.recorder import Recorder

        return Recorder
    if name == "load":
        from netviz.api import load

        return load
    if name == "show":
        from netviz.notebook import show

        return show
    raise AttributeError(f"module 'netviz' has no attribute {name!r}")
