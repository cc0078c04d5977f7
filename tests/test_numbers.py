import math

import pytest

from netviz.numbers import format_loss


@pytest.mark.parametrize(
    ("loss", "text"),
    [(0.24421, "0.2442"), (0.0586, "0.05860"), (0.00079128, "0.0007913"), (1.5e-5, "1.500e-05"), (0.25, "0.2500"),
     (1234.4, "1234"), (12.5, "12.50"), (0.0, "0.000"), (1.0, "1.000"), (math.inf, "—"), (math.nan, "—")],
)  # fmt: skip
def test_a_loss_has_four_significant_digits(loss, text):
    assert format_loss(loss) == text


def test_four_significant_digits_round_trip_to_the_same_text():
    for loss in (0.0078876, 0.123456, 3.3333e-7):
        assert format_loss(float(format_loss(loss))) == format_loss(loss)
