"""What netviz accepts at most, so that no input (an option, a data file, a session) can make a
command take more than about 1 GB of memory or refuse it only after a long wait.

The README's "Limits" section lists them for users.
"""

MAX_PARAMS = 1_000_000  # weights and biases of one network: 8 MB a theta; a run then peaks near 750 MB
MAX_DATA_BYTES = 16 * 2**20  # a CSV data file: read at 3-10 MB a second
MAX_MANIFEST_BYTES = 4 * 2**20  # a session's manifest.json, unpacked (names of 4,096 columns take ~100 KB)
MAX_MANIFEST_DEPTH = 32  # nesting of its JSON (netviz writes 3 levels; view settings are free-form)


def n_params(layers, bias: bool) -> int:
    """Weights (and biases) of a network with these layer sizes, computed without building it."""
    return sum(a * b for a, b in zip(layers[:-1], layers[1:])) + (sum(layers[1:]) if bias else 0)
