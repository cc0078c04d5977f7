"""netviz: watch a small neural network learn."""

import os

# netviz multiplies small matrices, where a multi-threaded BLAS only adds overhead: measured
# here, a 64-128-64-10 network trained 3-4x slower with 2 OpenBLAS threads than with 1, and
# the window's painting needs the other core. This takes effect when netviz is imported
# before NumPy (the netviz command, the app); a user's own setting always wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
__all__ = ["Recorder", "__version__"]


def __getattr__(name: str):
    # Imported on first use, so that `import netviz` (and `netviz train`) stays light.
    if name == "Recorder":
        from netviz.recorder import Recorder

        return Recorder
    raise AttributeError(f"module 'netviz' has no attribute {name!r}")
