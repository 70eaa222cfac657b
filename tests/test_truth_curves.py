"""The training curve tells noise from a fall: its zoom shows the test set's standard error, whole."""

from __future__ import annotations

import math

import pytest
from matplotlib.collections import PolyCollection

from figgen.analysis import accuracy_dips
from figgen.core.themes import get_preset, get_theme
from figgen.figures.curves import describe_dips, describe_noise, training_curve_figure

THEME, PRESET = get_theme("light"), get_preset("docs")
N = 10_000
# the default run's log from step 1,000 on (sample data, 5,500 examples, rate 0.1): it dips by 1 test digit
# from step 1,700 and by 3 from step 2,000, the text's "accuracy slightly went down"
ACCURACY = [9009, 9015, 9021, 9027, 9031, 9036, 9036, 9041, 9040, 9044, 9048, 9045, 9048, 9049, 9052, 9056]
LOG = [(0, 0.7, 2.19)] + [
    (1000 + 100 * i, hits / N, 0.3 - 0.005 * i) for i, hits in enumerate(ACCURACY)
]  # the loss falls throughout


def se(p: float, n: int = N) -> float:
    return math.sqrt(p * (1 - p) / n)


def zoom_of(fig):
    return next(ax for ax in fig.axes if ax.get_title().startswith("Test accuracy from"))


@pytest.fixture(scope="module")
def zoom():
    fig = training_curve_figure(LOG, accuracy_dips(LOG), 1000, N, THEME, PRESET)
    fig.canvas.draw()
    return zoom_of(fig)


def test_the_zoom_spans_the_two_standard_error_band_of_every_point(zoom):
    low, high = zoom.get_ylim()
    accuracies = [a for s, a, _ in LOG if s >= 1000]
    assert low <= min(100 * (a - 2 * se(a)) for a in accuracies)
    assert high >= max(100 * (a + 2 * se(a)) for a in accuracies)
    assert high - low >= 4 * 100 * se(LOG[-1][1])  # at least ±2 SE: 1.17 points, not the old 0.6


def test_the_noise_bands_are_drawn_around_the_curve(zoom):
    bands = {c.get_label(): c for c in zoom.collections if isinstance(c, PolyCollection)}
    assert set(bands) == {"±1 SE: ±29 digits", "±2 SE: ±58 digits"}  # round(sqrt(p (1 - p) n)) = 29
    assert round(se(LOG[-1][1]) * N) == 29
    for k in (1, 2):
        ys = bands[f"±{k} SE: ±{29 * k} digits"].get_paths()[0].vertices[:, 1]
        first = LOG[1][1]  # step 1,000: the band's lowest point
        assert ys.min() == pytest.approx(100 * (first - k * se(first)))
        last = LOG[-1][1]
        assert ys.max() == pytest.approx(100 * (last + k * se(last)))


def test_the_dips_are_counted_in_digits_and_called_noise(zoom):
    texts = [t.get_text() for t in zoom.texts]
    falls = [round((d.accuracy - d.next_accuracy) * N) for d in accuracy_dips(LOG)]
    assert falls == [1, 3]
    assert "−1 digit" in texts and "−3 digits" in texts
    note = next(t for t in texts if t.startswith("Dips"))
    assert note == "Dips of 1–3 digits of 10,000,\nwithin ±29 digits (1 SE): noise"


def test_the_alt_text_says_the_dips_are_within_noise():
    dips = accuracy_dips(LOG)
    alt = describe_dips(dips, LOG[-1][1], N)
    assert alt == (
        "accuracy dips while the loss still falls at step 1,700 to 1,800 (90.41% to 90.40%, −1); "
        "step 2,000 to 2,100 (90.48% to 90.45%, −3): dips of 1–3 digits of 10,000, within ±29 digits "
        "(1 SE) of noise"
    )
    assert describe_dips([], 0.9056, N, "images") == (
        "no logged step shows accuracy falling while the loss falls; the test set's noise is "
        "±29 images of 10,000 (1 SE)"
    )


def test_a_fall_larger_than_the_noise_is_not_called_noise():
    log = [(0, 0.5, 2.0), (100, 0.90, 1.0), (200, 0.88, 0.9), (300, 0.89, 0.8)]  # −200 of 10,000: 7 SE
    dips = accuracy_dips(log)
    assert describe_noise(dips, 0.89, N) == "a dip of 200 digits of 10,000, beyond ±63 digits (2 SE)"
    fig = training_curve_figure(log, dips, 100, N, THEME, PRESET)
    fig.canvas.draw()
    assert not any("noise" in t.get_text() for t in zoom_of(fig).texts)
    assert describe_noise(dips[:1], 0.89, 1000) == "a dip of 20 digits of 1,000, within ±20 digits (2 SE)"
