"""The evaluation figures tell the truth at a glance: a random sample looks like a sample, the prediction
names its data and split, shifted thumbnails carry a reference line."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.collections import PathCollection

from figgen.analysis import block_accuracies, correct, random_sample_accuracies, standard_error
from figgen.core.themes import get_preset, get_theme
from figgen.data import load_dataset
from figgen.figures.evaluation import binomial_counts, sample_size_figure
from figgen.training import train

THEME, PRESET = get_theme("light"), get_preset("docs")


@pytest.fixture(scope="module")
def hits():
    """Which of the sample's 10,000 test digits a briefly trained text model gets right (about 88%)."""
    data = load_dataset("sample")
    x, labels = data.train(5500)
    x_test, labels_test = data.test(10_000)
    run = train(x, labels, x_test, labels_test, steps=300)
    return correct(run.weights, run.bias, x_test, labels_test)


def test_random_samples_spread_as_the_binomial_and_less_than_consecutive_blocks(hits):
    p = hits.mean()
    samples = random_sample_accuracies(hits, 100, 1000, seed=0)
    binomial = math.sqrt(p * (1 - p) / 100)
    assert samples.std() == pytest.approx(binomial, rel=0.15)
    blocks = block_accuracies(hits, 100)
    assert blocks.std() > 1.3 * samples.std()  # the test set's order adds spread: 5 points against 3
    assert hits[:5000].mean() < hits[5000:].mean() - 0.03  # MNIST's first 5,000 test digits are harder
    assert samples.mean() == pytest.approx(p, abs=0.005)


def test_the_same_seed_draws_the_same_samples(hits):
    a, b = (random_sample_accuracies(hits, 100, 200, seed=0) for _ in range(2))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, random_sample_accuracies(hits, 100, 200, seed=1))
    # each sample is drawn without replacement: a sample of the whole set is the whole set
    np.testing.assert_array_equal(random_sample_accuracies(hits, len(hits), 3, seed=5), [hits.mean()] * 3)


def test_binomial_counts_are_the_binomial_distribution():
    counts = binomial_counts(0.9, 100, 1000)
    assert counts.sum() == pytest.approx(1000)
    assert counts[90] == pytest.approx(1000 * math.comb(100, 90) * 0.9**90 * 0.1**10)
    assert binomial_counts(0.9, 10_000, 1).sum() == pytest.approx(1)  # no overflow at a large n
    np.testing.assert_array_equal(binomial_counts(1.0, 4, 7), [0, 0, 0, 0, 7])


def test_the_test_size_figure_shows_random_samples_first_and_blocks_as_a_contrast():
    rng = np.random.default_rng(0)
    samples = rng.binomial(100, 0.9, 500) / 100
    blocks = np.array([0.95, 0.8, 0.9, 0.9, 0.85])
    fig = sample_size_figure(samples, blocks, 0.9, 500, 100, THEME, PRESET, "images")
    fig.canvas.draw()
    top, bottom = fig.axes
    assert top.get_title() == (
        f"One model, 500 random test sets of 100 images: accuracy {samples.min():.0%} to {samples.max():.0%}"
    )
    heights = {round(p.get_x() + p.get_width() / 2): p.get_height() for p in top.patches if p.get_height()}
    values, counts = np.unique(np.round(samples * 100).astype(int), return_counts=True)
    assert heights == dict(zip(values.tolist(), counts.tolist(), strict=True))  # one bar per accuracy
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert legend == [
        f"500 random test sets: SD {100 * samples.std():.1f} points",
        "binomial expectation: SE 3.0 points (shaded)",  # sqrt(0.9 × 0.1 / 100)
    ]
    assert round(100 * standard_error(0.9, 100), 1) == 3.0
    expectation = top.get_lines()[-1]
    assert max(expectation.get_ydata()) == pytest.approx(binomial_counts(0.9, 100, 500)[90])
    assert bottom.get_title() == (
        "Contrast: 5 consecutive blocks of 100, SD 5.1 points: the test set's order adds spread"
    )
    others, first = (c.get_offsets() for c in bottom.collections if isinstance(c, PathCollection))
    np.testing.assert_allclose(first, [[95, 1]])  # the text's first block, a diamond
    np.testing.assert_allclose(others, [[80, 1], [90, 1], [90, 2], [85, 1]])  # equal blocks stack
    assert bottom.get_xlabel() == "test accuracy on 100 test images (%)"


def _prediction(data, index, train_size):
    from figgen.figures.evaluation import example_subtitle, prediction_figure

    probs = np.full(10, 0.01)
    probs[7] = 0.91
    subtitle = example_subtitle(data, index, train_size)
    fig = prediction_figure(np.zeros(784), index, 7, probs, THEME, PRESET, data.class_names, subtitle)
    fig.canvas.draw()
    return fig.get_suptitle()


def test_the_prediction_names_its_data_split_and_image_and_is_not_passed_off_as_the_texts():
    original = load_dataset("sample")
    assert _prediction(original, 5000, 5500) == (
        "MNIST sample · training image 5,000 (the text's x_train[0]) · split: original (trained on images "
        "0–5,499)\nthe text trained on images 5,000–10,499, so its P = 0.854 differs"
    )
    assert _prediction(original, 12, 100) == (
        "MNIST sample · training image 12 · split: original (trained on images 0–99)"
    )  # not the text's example: no word of the text's P


def test_the_prediction_on_the_texts_split_says_so():
    text = load_dataset("sample", split="text")
    assert text.n_train == 5000  # the sample's text split tops out below the text's 5,500
    assert _prediction(text, 0, 5000) == (
        "MNIST sample · training image 5,000 (the text's x_train[0]) · split: text, the text's own (trained "
        "on images 5,000–9,999)\nthe text's example and split, but the text trained on images "
        "5,000–10,499 (its P = 0.854)"
    )
    full = SimpleNamespace(source="idx", path="/data/mnist", split="text", digits=True)  # full MNIST
    from figgen.figures.evaluation import example_subtitle

    assert example_subtitle(full, 0, 5500) == (
        "mnist · training image 5,000 (the text's x_train[0]) · split: text, the text's own (trained on "
        "images 5,000–10,499)\nthe text's example and training images; the text's P = 0.854"
    )
    clothes = SimpleNamespace(source="npz", path="/d/fashion.npz", split="original", digits=False)
    assert "the text" not in example_subtitle(clothes, 5000, 5500)  # a 7 of the text is no Sandal


def test_every_shifted_thumbnail_has_the_reference_line_at_the_unshifted_left_edge():
    from figgen.analysis import ShiftStudy, shift_left
    from figgen.figures.evaluation import shifted_digit_figure

    digit = np.zeros((28, 28), np.float32)
    digit[5:20, 9:11] = 1  # a bar of ink from column 9
    shown = [0, 1, 2, 9]
    study = ShiftStudy(
        index=0,
        digit=1,
        edge=9,
        shown=shown,
        moved=np.stack([shift_left(digit.reshape(-1), s) for s in shown]),
        probs=np.full((4, 10), 0.1),
        shifts=[0, 1],
        on_digit=np.array([1.0, 0.5]),
        on_all=np.array([0.9, 0.6]),
        digit_count=1,
        test_count=2,
    )
    fig = shifted_digit_figure(study, THEME, PRESET)
    fig.canvas.draw()
    thumbnails = [ax for ax in fig.axes if ax.images]
    assert len(thumbnails) == 4
    for ax, s in zip(thumbnails, shown, strict=True):
        (line,) = ax.get_lines()
        assert list(line.get_xdata()) == [8.5, 8.5]  # the left side of column 9, where the ink began
        ink = np.flatnonzero(ax.images[0].get_array().any(axis=0))
        assert ink[0] - 0.5 == 8.5 - s  # the gap to the line is the shift
    assert thumbnails[0].get_xlabel() == "line: unshifted left edge"


def test_the_order_is_blamed_only_for_a_wider_spread():
    from figgen.figures.evaluation import order_effect

    samples = np.array([0.85, 0.9, 0.95])  # SD 4.1 points
    assert order_effect(samples, np.array([0.8, 0.9, 1.0])) == "the test set's order adds spread"  # 8.2
    assert order_effect(samples, np.array([0.88, 0.9, 0.92])) == "no wider than random test sets here"
    fig = sample_size_figure(samples, np.array([0.88, 0.9, 0.92]), 0.9, 300, 100, THEME, PRESET)
    assert fig.axes[1].get_title().endswith("SD 1.6 points: no wider than random test sets here")
