"""Headless Chromium for the HTML page's tests and benchmark: Debian's browser, driven by Playwright."""

import os
import shutil
import tempfile
from contextlib import contextmanager

# As root in a container: no sandbox; no GPU; nothing that phones home on its own.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str:
    """The system Chromium (.ci/run installs Debian's)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("no Chromium found: apt-get install chromium")


@contextmanager
def chromium():
    """A Playwright browser context on the system Chromium with a fresh profile, closed afterwards."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="netviz-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True,
                viewport={"width": 1000, "height": 900}, device_scale_factor=1,
            )  # fmt: skip
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class Page:
    """A player page opened from disk, with every console message, page error and request it made."""

    def __init__(self, context, path, width: int = 1000, height: int = 900):
        self.messages, self.errors, self.requests = [], [], []
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.on("console", lambda m: self.messages.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = "file://" + os.path.abspath(path)
        self.page.goto(self.url)
        self.page.wait_for_selector(".netviz-player[data-ready=true]", timeout=10_000)
        self.player = self.page.locator(".netviz-player")

    def attr(self, name: str) -> str:
        return self.player.get_attribute(f"data-{name}")

    def call(self, script: str):
        """Evaluate script with `player` bound to the player element's API."""
        return self.page.evaluate(f"(() => {{ const player = document.querySelector('.netviz-player').netviz; "
                                  f"return {script}; }})()")  # fmt: skip

    def close(self) -> None:
        self.page.close()
