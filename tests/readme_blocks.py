"""The README's marked Python examples, for the tests that run them."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_block(name: str) -> str:
    """The README's Python block marked <!-- NAME: ... -->."""
    match = re.search(rf"<!-- {name}[^>]*-->\n```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert match, f"the README lost its {name}"
    return match.group(1)
