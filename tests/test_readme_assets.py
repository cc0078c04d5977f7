"""The README's pictures: every one it shows exists, and each gallery GIF is as its command says and small."""

import re
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAX_BYTES = 1_000_000  # a page of GIFs should load quickly


def test_every_picture_the_readme_shows_exists():
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / path).is_file(), path


def test_each_gallery_gif_is_the_size_its_command_gives_and_under_a_megabyte():
    commands = re.findall(r"`netviz export (assets/\S+\.gif) --preset \S+ --size (\d+)x(\d+)`", README)
    assert len(commands) >= 3
    for path, width, height in commands:
        assert (ROOT / path).stat().st_size < MAX_BYTES, path
        with Image.open(ROOT / path) as gif:
            assert gif.size == (int(width), int(height)), path
            assert gif.n_frames > 1, path
