"""Animations to files: GIF, animated WebP, MP4 (optional extra) or a PNG of the last frame.

`export_steps` is a plain generator: each step renders and encodes a little and yields
(done, total); the window drives it from a timer and the command line runs it through.
Every format is written through netviz.atomic: a temporary file in the target folder renamed
over the target at the end, so a failure or a cancel (closing the generator) leaves no partial
file and an existing file untouched.
"""

import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import BinaryIO

import numpy as np
from PIL import Image

from netviz.atomic import atomic_file, atomic_path
from netviz.export.animation import Animation
from netviz.export.gif import MIN_DELAY_CS, GifStream, delays_cs
from netviz.export.options import format_of
from netviz.export.palette import SharedPalette, pack

PALETTE_SAMPLES = 8  # frames the shared GIF palette is built from, spread over the animation
VIDEO_INSTALL = 'pip install "netviz[video]"'
# Frames are native uint32 0xffRRGGBB: in memory B, G, R, X on little-endian machines.
_LITTLE = sys.byteorder == "little"
PIL_RAWMODE, FFMPEG_PIXFMT = ("BGRX", "bgra") if _LITTLE else ("XRGB", "argb")


class Cancelled(Exception):
    """The export was cancelled; nothing was written."""


class VideoSupportMissing(Exception):
    """MP4 needs the optional imageio-ffmpeg package."""

    def __init__(self):
        super().__init__(f"MP4 export needs imageio-ffmpeg: {VIDEO_INSTALL}")


def require_video() -> None:
    """Raise VideoSupportMissing unless MP4 can be written."""
    try:
        import imageio_ffmpeg  # noqa: F401
    except ImportError:
        raise VideoSupportMissing() from None


def export(
    path: str,
    animation: Animation,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> None:
    """Write the animation to path (the format from its extension); raises Cancelled if cancel is set."""
    steps = export_steps(path, animation)
    try:
        for done, total in steps:
            if progress is not None:
                progress(done, total)
            if cancel is not None and cancel.is_set():
                raise Cancelled()
    finally:
        steps.close()


def export_steps(path: str, animation: Animation) -> Iterator[tuple[int, int]]:
    """Render and encode step by step, yielding (done, total); the file appears after the last step."""
    ext = format_of(path)
    if ext == ".mp4":
        require_video()
        with atomic_path(path) as tmp:  # ffmpeg writes the file itself, by name
            yield from _mp4_steps(tmp, animation)
        return
    write = {".gif": _gif_steps, ".webp": _webp_steps, ".png": _png_steps}[ext]
    with atomic_file(path) as f:
        yield from write(f, animation)


def pil_image(frame: np.ndarray) -> Image.Image:
    """An RGB Pillow image of a (height, width) uint32 0xffRRGGBB frame."""
    height, width = frame.shape
    return Image.frombuffer("RGB", (width, height), np.ascontiguousarray(frame), "raw", PIL_RAWMODE, 0, 1)


def sample_indices(n_frames: int, n_samples: int = PALETTE_SAMPLES) -> list[int]:
    """Up to n_samples frame indices spread from the first frame to the last."""
    return sorted(set(np.linspace(0, n_frames - 1, min(n_samples, n_frames)).round().astype(int).tolist()))


def _gif_steps(f: BinaryIO, animation: Animation) -> Iterator[tuple[int, int]]:
    samples = sample_indices(animation.n_frames)
    total = len(samples) + animation.n_frames
    rendered: dict[int, np.ndarray] = {}
    for k, i in enumerate(samples, start=1):
        rendered[i] = animation.frame(i)
        yield k, total
    palette = SharedPalette.build(list(rendered.values()), animation.exact_colours)
    delays = delays_cs(animation.n_frames, animation.fps, animation.hold_s)
    gif = GifStream(f, animation.size, palette, palette.index_of(animation.background), animation.loop)
    for i in range(animation.n_frames):
        frame = rendered.pop(i) if i in rendered else animation.frame(i)
        gif.add(palette.indices(frame), delays[i])
        yield len(samples) + i + 1, total
    gif.close()


def delays_ms(n_frames: int, fps: float, hold_s: float = 0.0) -> list[int]:
    """Frame durations in milliseconds (at least 20), rounded on the running clock."""
    clock = np.floor(np.arange(n_frames + 1) * 1000.0 / fps + 0.5)
    delays = np.maximum(np.diff(clock).astype(int), 10 * MIN_DELAY_CS)
    delays[-1] += round(hold_s * 1000)
    return delays.tolist()


class _StreamedFrames(Image.Image):
    """Frames 1.. of an animation as one multi-frame image whose frames arrive as the WebP encoder
    seeks to them (the plugin protocol: a seek sets the image's mode, size and pixels)."""

    def __init__(self, n_frames: int, next_frame: Callable[[], Image.Image]):
        super().__init__()
        self.n_frames, self._next_frame, self._index = n_frames, next_frame, -1
        self.seek(0)

    def seek(self, frame: int) -> None:
        if frame == self._index:
            return
        if frame != self._index + 1:
            raise EOFError("the frames of an export come in order")
        image = self._next_frame()
        self.im, self._mode, self._size, self._index = image.im, image.mode, image.size, frame

    def tell(self) -> int:
        return self._index


_WEBP_QUEUE = 2  # frames drawn ahead of the encoder: memory stays a few frames whatever the length


def _webp_steps(f: BinaryIO, animation: Animation) -> Iterator[tuple[int, int]]:
    # Pillow encodes an animated WebP in one call that releases the GIL: it runs on a helper thread
    # and takes each frame from a short queue as this generator draws it (drawing stays on the
    # caller's thread, and the window stays responsive).
    n, total = animation.n_frames, animation.n_frames + 1
    drawn: queue.Queue = queue.Queue(maxsize=_WEBP_QUEUE)
    stop = threading.Event()
    failure: list[BaseException] = []

    def next_frame() -> Image.Image:
        while not stop.is_set():
            try:
                return drawn.get(timeout=0.02)
            except queue.Empty:
                continue
        raise Cancelled()

    def encode():
        try:
            first = next_frame()
            first.save(
                f, "WEBP", save_all=True, append_images=[_StreamedFrames(n - 1, next_frame)] if n > 1 else [],
                duration=delays_ms(n, animation.fps, animation.hold_s), loop=animation.loop,
                # Lossless keeps the theme's colours exact; key frames only at the start keeps it fast and small.
                lossless=True, quality=20, method=2, kmin=999, kmax=1000,
            )  # fmt: skip
        except BaseException as exc:  # handed to the generator, which raises it
            failure.append(exc)

    encoder = threading.Thread(target=encode, name="netviz-webp", daemon=True)
    encoder.start()
    try:
        for i in range(n):
            image = pil_image(animation.frame(i))
            while encoder.is_alive():
                try:
                    drawn.put(image, timeout=0.02)
                    break
                except queue.Full:
                    yield i, total
            yield i + 1, total
            if not encoder.is_alive():
                break
        while encoder.is_alive():
            encoder.join(0.02)
            yield n, total
    finally:
        stop.set()
        encoder.join()
    if failure:
        raise failure[0]
    yield total, total


def _mp4_steps(tmp: str, animation: Animation) -> Iterator[tuple[int, int]]:
    # imageio-ffmpeg supplies the ffmpeg binary; the pipe is run here (its write_frames leaks a pipe).
    import imageio_ffmpeg

    width, height = animation.size
    even = (width + width % 2, height + height % 2)  # H.264 in yuv420p needs even sides
    held = round(animation.hold_s * animation.fps)
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error",
        "-f", "rawvideo", "-pix_fmt", FFMPEG_PIXFMT, "-s", f"{even[0]}x{even[1]}",
        "-r", str(Fraction(animation.fps).limit_denominator(1000)), "-i", "-",
        "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", "-tune", "animation",
        "-movflags", "+faststart", tmp,
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        ffmpeg = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
        try:
            for i in range(animation.n_frames):
                frame = animation.frame(i)
                if even != (width, height):
                    padded = np.full((even[1], even[0]), 0xFF000000 | pack(animation.background), dtype=np.uint32)
                    padded[:height, :width] = frame
                    frame = padded
                data = np.ascontiguousarray(frame).tobytes()
                for _ in range(1 + (held if i == animation.n_frames - 1 else 0)):
                    ffmpeg.stdin.write(data)
                yield i + 1, animation.n_frames
            ffmpeg.stdin.close()
            if ffmpeg.wait() != 0:
                raise OSError(f"ffmpeg failed: {_tail(log)}")
        except BrokenPipeError:
            ffmpeg.wait()
            raise OSError(f"ffmpeg stopped: {_tail(log)}") from None
        finally:
            if ffmpeg.poll() is None:  # cancelled or failed: stop it, the partial file is removed
                ffmpeg.kill()
                ffmpeg.wait()
            if not ffmpeg.stdin.closed:
                ffmpeg.stdin.close()


def _tail(log) -> str:
    log.seek(0)
    lines = log.read().decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no message"


def _png_steps(f: BinaryIO, animation: Animation) -> Iterator[tuple[int, int]]:
    pil_image(animation.frame(animation.n_frames - 1)).save(f, "PNG")
    yield 1, 1
