"""figgen.analysis: the numbers the figures show, computed from arrays and tiny models."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from figgen.analysis import (
    accuracy_dips,
    accuracy_gains,
    block_accuracies,
    check_logits,
    check_prediction,
    correct,
    cross_entropies,
    cross_entropy,
    first_with_label,
    gradient_descent_path,
    learning_rate_verdict,
    leftmost_column,
    mean_cross_entropy,
    nth_of_digit,
    shift_left,
    shift_study,
    snapshot_accuracy,
    softmax,
    training_example,
    training_rows,
    truncate,
)
from figgen.core.errors import FiggenError
from figgen.core.regime import regime
from figgen.data import load_dataset
from figgen.figures.basics import probability_text

J = [0.03, 0.03, 0.01, 0.9, 0.01, 0.01, 0.0025, 0.0025, 0.0025, 0.0025]


def test_softmax_of_zeros_is_uniform():
    np.testing.assert_allclose(softmax(np.zeros(4)), [0.25] * 4)
    np.testing.assert_allclose(softmax(np.zeros(10)), [0.1] * 10)


def test_softmax_of_the_texts_logits():
    probs = softmax([0.1, 0.005, 2])
    assert probs.round(3).tolist() == [0.116, 0.106, 0.778]
    assert [probability_text(p) for p in probs] == ["0.116", "0.106", "0.778"]
    assert probs.sum() == pytest.approx(1.0)
    # stable for large logits, same as the plain formula where that does not overflow
    np.testing.assert_allclose(softmax([1000.1, 1000.005, 1002]), probs)


def test_cross_entropy_of_the_texts_examples():
    right, wrong = cross_entropy(J, 3), cross_entropy(J, 2)
    assert truncate(right) == "0.1053" and truncate(wrong) == "4.6051"
    for label, value in ((3, right), (2, wrong)):
        k = np.eye(10)[label]
        assert value == pytest.approx(np.sum(-np.multiply(np.log(J), k)))  # the text's own expression
    assert cross_entropy([0.0, 1.0], 1) == 0.0  # a zero elsewhere costs nothing (no nan from 0 * log 0)


def test_truncate_cuts_rather_than_rounds():
    assert truncate(0.10536) == "0.1053" and truncate(4.60517) == "4.6051" and truncate(2.0, 2) == "2.00"


def test_gradient_descent_path_follows_the_update_rule():
    path = gradient_descent_path(4.0, 0.3, 5)
    assert len(path) == 6 and path[0] == 4.0
    np.testing.assert_allclose(path[1:], path[:-1] - 0.3 * 2 * path[:-1])


@pytest.mark.parametrize("rate", [0.02, 0.3, 0.6])
def test_gradient_descent_converges_for_rates_below_one(rate):
    path = np.abs(gradient_descent_path(4.0, rate, 400))
    assert np.all(np.diff(path) < 0)
    assert path[-1] < 1e-6


def test_gradient_descent_diverges_for_a_rate_above_one():
    path = gradient_descent_path(4.0, 1.05, 30)
    assert np.all(np.diff(np.abs(path)) > 0)
    assert np.all(np.sign(path[1:]) != np.sign(path[:-1]))  # it overshoots on every step
    assert abs(path[-1]) == pytest.approx(4.0 * 1.1**30)


def test_learning_rate_verdicts():
    rates = (0, 0.02, 0.3, 0.6, 0.9, 1.0, 1.05)
    verdicts = [learning_rate_verdict(gradient_descent_path(4.0, r, 30)) for r in rates]
    assert verdicts == [
        "too small: crawls",  # a rate of 0 never moves
        "too small: crawls",
        "good: converges",
        "overshoots, converges",
        "overshoots, converges",
        "too large: bounces",
        "too large: diverges",
    ]


LN10 = math.log(10)


@pytest.mark.parametrize(
    ("losses", "expected"),
    [
        ([LN10, 2.2, 1.9, 1.84], "crawls"),  # falls, ends above a quarter of where it began
        ([LN10, 1.0, 0.5, 0.34], "converges"),
        ([LN10, 0.5, 13.0, 0.3, 9.0, 0.35], "unstable"),  # the end lands low, the run jumped above ln 10
        ([LN10, 0.5, 13.0, 0.3, 0.2, 12.0], "unstable"),  # the end lands high: still only a jump
        ([LN10, 0.4, 0.3, 0.28, 8.0, 0.31], "unstable"),  # one jump late in the run is enough
        ([LN10, 800.0, 2.4, 40.0, 3.0, 19.0], "diverged"),  # above ln 10 for most of its second half
        ([LN10, 0.5, math.nan], "diverged"),
        ([LN10, math.inf], "diverged"),
        ([LN10, LN10 + 2e-7, LN10 + 2e-7], "crawls"),  # a rate of 1e-9: float32 rounding is not a rise
        ([16.0, 16.0, 16.0], "crawls"),  # never falls (a rate of 0; a ball bouncing between ±x0 is named so
        # by learning_rate_verdict, which sees the sign of x)
    ],
)
def test_regime_reads_the_whole_run(losses, expected):
    assert regime(losses, losses[0]) == expected


@given(
    st.lists(st.one_of(st.just(0.0), st.floats(1e-300, 50.0)), min_size=2, max_size=40),
    st.sampled_from([0.125, 0.5, 2.0, 64.0]),
)
def test_regime_scale_free(losses, scale):
    """The regime depends on the losses relative to where the run started, not on their unit (powers of
    two scale exactly, so no comparison flips by rounding)."""
    start = losses[0] or 1.0
    assert regime(np.array(losses) * scale, start * scale) == regime(losses, start)


def test_training_example_and_first_with_label():
    data = load_dataset("sample")
    index = first_with_label(data, 7)
    image, label = training_example(data, index, "one_hot.LABEL")
    assert label == 7 and image.shape == (784,) and 0 <= image.min() and image.max() <= 1
    assert all(data.train_labels[:index] != 7)
    with pytest.raises(FiggenError, match="digit.EXAMPLE"):
        training_example(data, data.n_train, "digit.EXAMPLE")


def test_prediction_checks():
    check_prediction(J, "cross_entropy.PREDICTION")
    check_prediction([0.33, 0.33, 0.34] + [1e-9] * 7, "p")  # hand-typed values: a sum within 0.01 of 1
    for bad, words in [
        ([0.5, 0.5], "have 10 probabilities, one per digit 0 to 9, got 2"),
        ([0.0] * 9 + [1.0], "above 0 and at most 1, got 0"),
        ([0.2] * 10, "sum to 1"),
        ([1.5, -0.5] + [0.0] * 8, "above 0 and at most 1, got 1.5"),
    ]:
        with pytest.raises(FiggenError, match=rf"^x\.PREDICTION must .*{words}"):
            check_prediction(bad, "x.PREDICTION")


def test_logits_and_rows_checks():
    check_logits([0.0] * 12, "softmax.LOGITS")
    with pytest.raises(FiggenError, match=r"^softmax.LOGITS must have at most 12 values, got 13$"):
        check_logits([0.0] * 13, "softmax.LOGITS")
    data = load_dataset("sample")
    assert training_rows(data, 3, 5, "digits_flat").shape == (2, 784)
    np.testing.assert_array_equal(training_rows(data, 3, 5, "digits_flat"), data.train(5)[0][3:])
    with pytest.raises(FiggenError, match=r"^digits_flat.START must be below digits_flat.STOP, got START=5"):
        training_rows(data, 5, 5, "digits_flat")


def test_shift_left_moves_pixels_left_with_zero_fill():
    image = np.arange(1, 785, dtype=np.float32).reshape(28, 28)
    moved = shift_left(image, 3)
    assert moved.shape == image.shape
    np.testing.assert_array_equal(moved[:, :25], image[:, 3:])
    assert not moved[:, 25:].any()  # nothing wraps around from the left edge
    np.testing.assert_array_equal(shift_left(image.reshape(1, 784), 0), image.reshape(1, 784))
    assert shift_left(image.reshape(2, 392), 5).shape == (2, 392)
    with pytest.raises(Exception, match="between 0 and 28"):
        shift_left(image, 29)


def test_leftmost_column_is_how_far_a_digit_can_move():
    image = np.zeros((28, 28), np.float32)
    image[5:20, 9] = 1
    assert leftmost_column(image) == 9
    assert leftmost_column(shift_left(image, 9)) == 0
    assert shift_left(image, 9)[5:20, 0].all()


def test_block_accuracies_are_disjoint_and_average_to_the_full_accuracy():
    hits = np.random.default_rng(0).random(10_000) < 0.9
    blocks = block_accuracies(hits, 100)
    assert blocks.shape == (100,)
    assert blocks[0] == hits[:100].mean() and blocks[-1] == hits[-100:].mean()
    assert math.isclose(blocks.mean(), hits.mean(), rel_tol=0, abs_tol=1e-12)  # equal blocks: exact identity
    assert blocks.std() > 0.01  # 100 digits are a noisy test
    assert block_accuracies(hits[:1050], 100).shape == (10,)  # a remainder is dropped


def test_accuracy_dips_are_peaks_followed_by_a_fall_while_loss_falls():
    log = [
        (0, 0.5, 2.0),
        (100, 0.8, 1.0),
        (200, 0.79, 0.9),
        (300, 0.85, 0.8),
        (400, 0.84, 0.85),
        (500, 0.9, 0.7),
    ]
    dips = accuracy_dips(log)
    assert [(d.step, d.next_step) for d in dips] == [(100, 200)]  # 300 -> 400: the loss rose too
    assert dips[0].accuracy == 0.8 and dips[0].next_accuracy == 0.79
    assert accuracy_dips([(0, 0.5, 2.0), (100, 0.6, 1.0), (200, 0.6, 0.9)]) == []  # flat is not a dip


def test_accuracy_gains_per_tenfold():
    sizes, accuracy = [1, 10, 100, 500], [0.1, 0.4, 0.8, 0.9]
    gains = accuracy_gains(sizes, accuracy)
    assert [(a, b) for a, b, _ in gains] == [(1, 10), (10, 100), (100, 500)]
    assert [g for _, _, g in gains] == pytest.approx([0.3, 0.4, 0.1])


def test_nth_of_digit():
    labels = np.array([7, 1, 3, 1, 1])
    assert nth_of_digit(labels, 1, 0) == 1 and nth_of_digit(labels, 1, 2) == 4
    with pytest.raises(FiggenError, match=r"^shifted_digit.WHICH = 3, but the 5 test digits hold only 3 "):
        nth_of_digit(labels, 1, 3, "shifted_digit.WHICH")
    with pytest.raises(FiggenError, match="only 0 examples of 9, not 1$"):
        nth_of_digit(labels, 9, 0)


def test_shift_study_on_a_tiny_model():
    # A "model" that votes for 1 with the ink of column 10 and for 0 everywhere else: shifting loses it.
    weights = np.zeros((784, 10))
    weights[:, 0] = 1.0
    weights.reshape(28, 28, 10)[:, 10, 1] = 50.0
    bias = np.zeros(10)
    x = np.zeros((4, 784), np.float32)
    for row, column in zip(x, (10, 11, 12, 10), strict=True):
        row.reshape(28, 28)[5:20, column] = 1
    labels = np.array([1, 1, 1, 0])
    study = shift_study(weights, bias, x, labels, index=1, shifts=[0, 1, 5, 40], max_shift=3)
    assert study.digit == 1 and study.edge == 11
    assert study.shown == [0, 1, 5, 11]  # shifts past the edge dropped, the edge added
    assert study.moved.shape == (4, 784) and leftmost_column(study.moved[-1]) == 0
    assert study.probs.argmax(axis=1).tolist() == [0, 1, 0, 0]  # only a 1-pixel move puts ink on column 10
    assert study.shifts == [0, 1, 2, 3]
    np.testing.assert_allclose(study.on_digit, [1 / 3, 1 / 3, 1 / 3, 0])
    np.testing.assert_allclose(study.on_all, [1 / 4, 2 / 4, 2 / 4, 1 / 4])  # the 0 counts once moved off 10
    assert study.collapse == 0 and study.digit_count == 3 and study.test_count == 4


def test_snapshot_accuracy_scores_each_snapshot_as_correct_does(monkeypatch):
    import figgen.analysis.scoring

    monkeypatch.setattr(figgen.analysis.scoring, "SNAPSHOT_BLOCK", 64)  # several blocks, the last one short
    data = load_dataset("sample")
    x, labels = data.test(300)
    rng = np.random.default_rng(3)
    steps = [0, 4, 9]
    weights = {s: (rng.standard_normal((784, 10)) * 0.02 * s).astype(np.float32) for s in steps}
    biases = {s: rng.standard_normal(10).astype(np.float32) for s in steps}
    run = type("Run", (), {"snapshots": weights, "snapshot_biases": biases})()
    scores = snapshot_accuracy(run, x, labels)
    assert list(scores) == steps
    for s in steps:
        assert scores[s] == correct(weights[s], biases[s], x, labels).mean()
    assert len(set(scores.values())) == 3  # the snapshots really differ


def test_standard_error_is_the_binomial_one():
    from figgen.analysis import standard_error

    assert standard_error(0.9056, 10_000) == pytest.approx(0.002924, abs=1e-6)  # 29 digits of 10,000
    assert standard_error(0.9, 100) == pytest.approx(0.03)
    assert standard_error(1.0, 100) == 0.0
    with pytest.raises(FiggenError, match="at least one test example"):
        standard_error(0.5, 0)


def test_random_sample_accuracies_are_seeded_and_checked():
    from figgen.analysis import random_sample_accuracies

    hits = np.arange(1000) % 4 != 0  # 75% right, in a strict pattern
    samples = random_sample_accuracies(hits, 100, 50, seed=7)
    assert samples.shape == (50,) and set(np.round(samples * 100)) <= set(range(101))
    np.testing.assert_array_equal(samples, random_sample_accuracies(hits, 100, 50, seed=7))
    assert samples.std() > 0  # unlike consecutive blocks of this pattern, which all score exactly 75%
    assert block_accuracies(hits, 100).std() == 0
    for size, count in ((0, 5), (1001, 5), (10, 0)):
        with pytest.raises(FiggenError):
            random_sample_accuracies(hits, size, count)


def test_the_package_re_exports_every_topic_module_name():
    """Each topic module has a docstring, and every name it defines publicly is ``figgen.analysis.<name>``."""
    import ast
    import importlib
    import pkgutil
    from pathlib import Path

    import figgen.analysis

    defined = set()
    for info in pkgutil.iter_modules(figgen.analysis.__path__):
        module = importlib.import_module(f"figgen.analysis.{info.name}")
        assert module.__doc__, info.name
        tree = ast.parse(Path(module.__file__).read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name)]
            else:
                continue
            for name in names:
                if not name.startswith("_"):
                    defined.add(name)
                    assert getattr(figgen.analysis, name) is getattr(module, name), name
    assert defined == set(figgen.analysis.__all__)


def test_cross_entropies_are_the_texts_loss_row_by_row_even_where_softmax_rounds_to_zero():
    """Each row's cross_entropies is cross_entropy of its softmax (the text's −log p[label]), their mean is
    mean_cross_entropy, over a batch axis too; and a logit gap that makes softmax round to 0 stays finite."""
    rng = np.random.default_rng(2)
    logits, labels = rng.normal(0, 3, (6, 10)), rng.integers(0, 10, 6)
    each = cross_entropies(logits, labels)
    expected = [cross_entropy(softmax(row), int(label)) for row, label in zip(logits, labels, strict=True)]
    np.testing.assert_allclose(each, expected, rtol=1e-12)
    assert mean_cross_entropy(logits, labels) == pytest.approx(np.mean(expected), rel=1e-12)
    batch = np.stack([logits, 2 * logits])  # (2, 6, 10): one loss per row of each
    np.testing.assert_allclose(cross_entropies(batch, labels)[1], cross_entropies(2 * logits, labels))
    far = np.zeros((1, 10))
    far[0, 3] = 800.0  # softmax gives label 0 a probability of exactly 0.0 in float64
    assert cross_entropies(far, np.array([0]))[0] == pytest.approx(800.0)
