"""How netviz writes numbers that are shown in several places, so that each reads the same everywhere."""

import math

LOSS_DIGITS = 4  # significant digits of a loss


def format_loss(loss: float) -> str:
    """A loss to 4 significant digits, trailing zeros kept so that its width holds while it plays:
    0.2442, 0.05860, 0.0007913, 1.500e-05; "—" for a loss that is not a number (a diverged run)."""
    if not math.isfinite(loss):
        return "—"
    return f"{loss:#.{LOSS_DIGITS}g}".rstrip(".")


def counted(n: int, noun: str) -> str:
    """ "1 target", "2 targets", "60,000 epochs": a count and its noun, singular for one."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def loss_caption(loss: float) -> str:
    """ "loss 0.2442" for a caption; "loss unknown" for NaN, the loss of a checkpoint that did not keep one."""
    return "loss unknown" if math.isnan(loss) else f"loss {format_loss(loss)}"
