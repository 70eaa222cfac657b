"""figgen.training against an independent numpy implementation and against the text's own TF1 loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from figgen.core.errors import FiggenError
from figgen.data import load_dataset, one_hot
from figgen.training import default_sweep_sizes, predict, sweep_training_sizes, train, train_rates
from figgen.training.reference import tutorial_loop


@pytest.fixture(scope="module")
def small():
    """300 training and 200 test images of the bundled sample."""
    data = load_dataset("sample")
    return (*data.train(300), *data.test(200))


def reference_updates(x, labels, learning_rate, updates):
    """Full-batch gradient descent on mean cross-entropy from W = 0, b = 0, in float64 numpy.

    Returns the list of (W, b) after update 1, 2, ... ``updates``.
    """
    x = np.asarray(x, np.float64)
    y = one_hot(labels).astype(np.float64)
    w, b = np.zeros((x.shape[1], 10)), np.zeros(10)
    states = []
    for _ in range(updates):
        p = softmax(x @ w + b)
        g = (p - y) / len(x)
        w = w - learning_rate * (x.T @ g)
        b = b - learning_rate * g.sum(axis=0)
        states.append((w, b))
    return states


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def reference_log_row(w, b, x, labels, x_test, labels_test):
    accuracy = float(((np.asarray(x_test, np.float64) @ w + b).argmax(axis=1) == labels_test).mean())
    p = softmax(np.asarray(x, np.float64) @ w + b)
    loss = float(-np.log(p[np.arange(len(labels)), labels]).mean())
    return accuracy, loss


# --- the update against numpy ----------------------------------------------------------------------------


@pytest.mark.parametrize("block_rows", [1000, 50])  # one block, or the rows (and test rows) halved
def test_train_matches_numpy_reference(small, monkeypatch, block_rows):
    import figgen.training._engine as engine
    import figgen.training._plan as plan

    monkeypatch.setattr(plan, "BLOCK_ROWS", block_rows)
    monkeypatch.setattr(engine, "TEST_PART_ROWS", 2000 if block_rows == 1000 else 64)
    assert len(plan.plan_blocks([300])) == (1 if block_rows == 1000 else 2)
    x, y, xt, yt = small
    result = train(x, y, xt, yt, learning_rate=0.1, steps=30, log_every=10)
    ref = reference_updates(x, y, 0.1, 31)  # TRAIN_STEPS + 1 updates
    w, b = ref[-1]
    assert result.weights.shape == (784, 10) and result.bias.shape == (10,)
    np.testing.assert_allclose(result.weights, w, atol=1e-4)
    np.testing.assert_allclose(result.bias, b, atol=1e-4)
    assert np.abs(w).max() > 1e-2  # the comparison is not between two near-zero arrays
    assert [row[0] for row in result.log] == [0, 10, 20, 30]
    for step, accuracy, loss in result.log:
        ref_accuracy, ref_loss = reference_log_row(*ref[step], x, y, xt, yt)
        assert accuracy == pytest.approx(ref_accuracy, abs=1e-6), step
        assert loss == pytest.approx(ref_loss, rel=1e-5), step
    assert (result.final_accuracy, result.final_loss) == result.log[-1][1:]
    assert result.diverged_at is None
    assert result.seconds > 0
    # predict() is the same model: its argmax gives the logged accuracy
    assert (predict(result.weights, result.bias, xt).argmax(axis=1) == yt).mean() == pytest.approx(
        result.final_accuracy, abs=1e-6
    )


@pytest.mark.parametrize("steps", [0, 1, 7])
def test_steps_means_steps_plus_one_updates(small, steps):
    x, y, xt, yt = small
    result = train(x, y, xt, yt, learning_rate=0.1, steps=steps, log_every=100)
    ref = reference_updates(x, y, 0.1, steps + 2)
    np.testing.assert_allclose(result.weights, ref[steps][0], atol=1e-5)  # after steps + 1 updates
    assert np.abs(result.weights - ref[steps + 1][0]).max() > 1e-3  # and not one more
    if steps > 0:
        assert np.abs(result.weights - ref[steps - 1][0]).max() > 1e-3  # nor one fewer
    assert result.log[0][0] == 0
    assert [row[0] for row in result.log] == ([0] if steps == 0 else [0, steps])


def test_steps_zero_logs_one_row(small):
    x, y, xt, yt = small
    result = train(x, y, xt, yt, steps=0, log_every=100)
    assert len(result.log) == 1 and result.log[0][0] == 0
    w, b = reference_updates(x, y, 0.1, 1)[0]
    accuracy, loss = reference_log_row(w, b, x, y, xt, yt)
    assert result.log[0][1] == pytest.approx(accuracy, abs=1e-6)
    assert result.log[0][2] == pytest.approx(loss, rel=1e-5)


def test_final_step_is_logged_even_off_the_interval(small):
    x, y, xt, yt = small
    result = train(x[:50], y[:50], xt, yt, steps=25, log_every=10)
    assert [row[0] for row in result.log] == [0, 10, 20, 25]


def test_snapshots_are_weights_after_those_updates(small):
    x, y, xt, yt = small
    result = train(x, y, xt, yt, learning_rate=0.1, steps=10, log_every=100, snapshot_steps=[0, 5, 10])
    ref = reference_updates(x, y, 0.1, 11)
    assert sorted(result.snapshots) == [0, 5, 10]
    for step, w in result.snapshots.items():
        np.testing.assert_allclose(w, ref[step][0], atol=1e-5)
        np.testing.assert_allclose(result.snapshot_biases[step], ref[step][1], atol=1e-5)
    assert not np.allclose(result.snapshots[0], result.snapshots[5], atol=1e-3)
    np.testing.assert_array_equal(result.snapshots[10], result.weights)
    # snapshots at non-logged steps do not add log rows
    assert [row[0] for row in result.log] == [0, 10]
    with pytest.raises(FiggenError, match="snapshot step 11 is outside 0..10"):
        train(x, y, xt, yt, steps=10, snapshot_steps=[11])


def test_progress_reports_updates_done(small):
    x, y, xt, yt = small
    calls = []
    train(
        x[:20],
        y[:20],
        xt,
        yt,
        steps=30,
        log_every=10,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 31), (11, 31), (21, 31), (31, 31)]


def test_same_inputs_give_identical_weights(small):
    x, y, xt, yt = small
    first = train(x, y, xt, yt, steps=20, log_every=10)
    second = train(x, y, xt, yt, steps=20, log_every=10)
    np.testing.assert_array_equal(first.weights, second.weights)
    np.testing.assert_array_equal(first.bias, second.bias)
    assert first.log == second.log


# --- against the text's own TF1 loop -----------------------------------------------------------------------


def test_train_matches_the_texts_tf1_loop(small):
    x, y, xt, yt = small
    result = train(x, y, xt, yt, learning_rate=0.1, steps=60, log_every=10)
    log, w, b, _seconds = tutorial_loop(
        x, one_hot(y), xt, one_hot(yt), learning_rate=0.1, train_steps=60, log_every=10
    )
    assert [row[0] for row in result.log] == [row[0] for row in log] == list(range(0, 61, 10))
    for ours, text in zip(result.log, log, strict=True):
        assert abs(ours[1] - text[1]) <= 0.002, (ours, text)
        assert abs(ours[2] - text[2]) <= 0.002, (ours, text)
    np.testing.assert_allclose(result.weights, w, atol=1e-4)
    np.testing.assert_allclose(result.bias, b, atol=1e-4)


# --- sweeps ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("block_rows, blocks", [(0, 5), (100, 3), (10**9, 1)])  # one block per size, or masks
def test_sweep_equals_separate_runs(small, monkeypatch, block_rows, blocks):
    import figgen.training._plan as plan

    monkeypatch.setattr(plan, "BLOCK_ROWS", block_rows)
    x, y, xt, yt = small
    sizes = [3, 1, 120, 40, 3, 300]  # unsorted, with a duplicate
    assert len(plan.plan_blocks(sorted(set(sizes)))) == blocks
    sweep = sweep_training_sizes(x, y, xt, yt, sizes, learning_rate=0.1, steps=30)
    assert sweep.sizes.tolist() == sizes
    assert sweep.weights.shape == (6, 784, 10) and sweep.biases.shape == (6, 10)
    assert sweep.diverged_at == [None] * 6
    for i, size in enumerate(sizes):
        if i == 4:
            continue  # the duplicate of size 3
        single = train(x[:size], y[:size], xt, yt, learning_rate=0.1, steps=30, log_every=30)
        np.testing.assert_allclose(sweep.weights[i], single.weights, atol=1e-5, err_msg=f"size {size}")
        np.testing.assert_allclose(sweep.biases[i], single.bias, atol=1e-5, err_msg=f"size {size}")
        assert sweep.accuracy[i] == pytest.approx(single.final_accuracy, abs=1e-6)
        assert sweep.loss[i] == pytest.approx(single.final_loss, rel=1e-4)
    np.testing.assert_array_equal(sweep.weights[0], sweep.weights[4])
    # models trained on different prefixes really differ
    assert np.abs(sweep.weights[2] - sweep.weights[3]).max() > 1e-3
    # the accuracy rises from one example to the whole slice
    assert sweep.accuracy[1] < 0.35 and sweep.accuracy[5] > 0.6


def test_sweep_refuses_bad_sizes(small):
    x, y, xt, yt = small
    with pytest.raises(FiggenError, match="at least one training size"):
        sweep_training_sizes(x, y, xt, yt, [], steps=1)
    with pytest.raises(FiggenError, match="^TRAIN_SIZE must be at least 1, got 0$"):
        sweep_training_sizes(x, y, xt, yt, [5, 0], steps=1)
    with pytest.raises(FiggenError, match="^training size 301 is more than the 300 training rows given$"):
        sweep_training_sizes(x, y, xt, yt, [5, 301], steps=1)


def test_default_sweep_sizes():
    sizes = default_sweep_sizes(5500)
    assert sizes[:10] == list(range(1, 11))
    assert sizes[-1] == 5500
    assert all(np.diff(sizes) > 0)
    assert 30 <= len(sizes) <= 36
    assert all(isinstance(s, int) for s in sizes)
    assert default_sweep_sizes(1) == [1]
    assert default_sweep_sizes(5) == [1, 2, 3, 4, 5]
    assert default_sweep_sizes(36) == list(range(1, 37))
    for n in (37, 50, 100):
        sizes = default_sweep_sizes(n)
        assert sizes[:10] == list(range(1, 11)) and sizes[-1] == n and len(sizes) <= 36
        assert all(np.diff(sizes) > 0)


def test_plan_blocks_ends_at_sizes_and_leaves_work_for_two_cores():
    from figgen.training._plan import plan_blocks

    sizes = default_sweep_sizes(5500)
    blocks = plan_blocks(sizes)
    assert blocks[0][0] == 0 and blocks[-1][1] == 5500
    assert all(a < b for a, b in blocks) and [a for a, _ in blocks[1:]] == [b for _, b in blocks[:-1]]
    assert {b for _, b in blocks} <= set(sizes)  # a sweep's blocks end at model sizes
    assert 3 <= len(blocks) <= 12
    assert plan_blocks([5500]) == [(0, 2750), (2750, 5500)]  # one run: halved, one half per core
    assert plan_blocks([5500] * 5) == [(0, 2750), (2750, 5500)]
    assert plan_blocks([300]) == [(0, 300)]  # halves too small to be worth a block
    assert plan_blocks([1, 2, 3], 0) == [(0, 1), (1, 2), (2, 3)]  # blocks free: one per size, no mask


def test_hidden_module_fails_its_import_only_inside_the_block():
    import sys

    from figgen.training._tf import hidden_module

    name = "figgen_no_such_module_for_the_test"
    sys.modules.pop(name, None)
    with hidden_module(name), pytest.raises(ImportError):
        __import__(name)
    assert name not in sys.modules
    with hidden_module("math"):  # already loaded: left alone
        assert __import__("math") is math


# --- divergence --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_hundred():
    data = load_dataset("sample")
    return (*data.train(500), *data.test(200))


def test_huge_learning_rate_diverges_without_nan(five_hundred):
    x, y, xt, yt = five_hundred
    result = train(x, y, xt, yt, learning_rate=1000, steps=20, log_every=10)
    assert result.diverged_at == 0  # above ln 10 from the first update to the last
    assert result.final_accuracy is None and result.final_loss is None
    assert all(math.isfinite(v) for row in result.log for v in row)


def test_divergence_is_dated_from_where_the_loss_stayed_above_ln_10(five_hundred):
    # with learning rate 4 the numpy reference's loss is 1.23 after update 0, then 5.9, 9.5, 11.7 (> ln 10)
    x, y, xt, yt = five_hundred
    ref = reference_updates(x, y, 4.0, 4)
    losses = [reference_log_row(*ref[u], x, y, xt, yt)[1] for u in range(4)]
    assert losses[0] < math.log(10) < min(losses[1:])
    result = train(x, y, xt, yt, learning_rate=4.0, steps=3, log_every=3)
    assert result.diverged_at == 1 and result.final_accuracy is None
    assert [row[0] for row in result.log] == [0, 3] and result.log[1][2] == pytest.approx(losses[3], rel=1e-4)
    sweep = sweep_training_sizes(x, y, xt, yt, [500, 1], learning_rate=4.0, steps=3)
    assert sweep.diverged_at == [1, None] and math.isnan(sweep.accuracy[0])
    # stops after every update (dense snapshots) date it the same: each call checks its first update too
    dense = train(x, y, xt, yt, learning_rate=4.0, steps=3, log_every=3, snapshot_steps=range(4))
    assert dense.diverged_at == 1


def test_an_overshoot_that_comes_back_is_not_divergence(five_hundred):
    # the same rate overshoots above ln 10 for a few updates, then converges: training goes on
    x, y, xt, yt = five_hundred
    result = train(x, y, xt, yt, learning_rate=4.0, steps=40, log_every=1)
    assert max(row[2] for row in result.log) > math.log(10)
    assert result.diverged_at is None and result.final_loss < 0.5 and result.final_accuracy > 0.5
    sweep = sweep_training_sizes(x, y, xt, yt, [500], learning_rate=4.0, steps=40)
    assert sweep.diverged_at == [None] and sweep.accuracy[0] == pytest.approx(result.final_accuracy)


def test_normal_run_does_not_diverge(five_hundred):
    x, y, xt, yt = five_hundred
    result = train(x, y, xt, yt, learning_rate=0.5, steps=20, log_every=10)
    assert result.diverged_at is None and result.final_accuracy > 0.7


def test_rates_equal_separate_runs(five_hundred):
    x, y, xt, yt = five_hundred
    rates = [0.5, 0.01, 4.0, 1000.0, 0.5]  # unsorted, a duplicate, an overshoot that recovers, a divergence
    results = train_rates(x, y, xt, yt, rates, steps=20, log_every=10, snapshot_steps=[0, 15])
    assert len(results) == len(rates)
    for rate, batched in zip(rates, results, strict=True):
        single = train(x, y, xt, yt, learning_rate=rate, steps=20, log_every=10, snapshot_steps=[0, 15])
        assert batched.diverged_at == single.diverged_at, rate
        assert [row[0] for row in batched.log] == [row[0] for row in single.log] == [0, 10, 20]
        if rate > 1:
            continue  # large rates amplify float32 rounding from update to update: only the shape is the same
        for ours, alone in zip(batched.log, single.log, strict=True):
            assert ours[1] == pytest.approx(alone[1], abs=1e-6), (rate, ours, alone)
            assert ours[2] == pytest.approx(alone[2], rel=1e-5), (rate, ours, alone)
        np.testing.assert_allclose(batched.weights, single.weights, atol=1e-5, err_msg=f"rate {rate}")
        np.testing.assert_allclose(batched.bias, single.bias, atol=1e-5, err_msg=f"rate {rate}")
        np.testing.assert_allclose(batched.snapshots[15], single.snapshots[15], atol=1e-5)
    assert results[3].diverged_at == 0 and results[3].final_accuracy is None
    assert results[2].diverged_at is None and results[2].final_loss < 0.5
    np.testing.assert_allclose(results[0].weights, results[4].weights, atol=1e-6)  # the same, to rounding
    assert results[0].final_accuracy > results[1].final_accuracy  # the rates really differ
    with pytest.raises(FiggenError, match="at least one learning rate"):
        train_rates(x, y, xt, yt, [], steps=1)


# --- bad values --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"learning_rate": 0}, "^LEARNING_RATE must be above 0, got 0$"),
        ({"learning_rate": -1}, "^LEARNING_RATE must be above 0, got -1$"),
        ({"learning_rate": float("nan")}, "^LEARNING_RATE must be a finite number, got nan$"),
        ({"steps": -1}, "^TRAIN_STEPS must be at least 0, got -1$"),
        ({"log_every": 0}, "^LOG_EVERY must be at least 1, got 0$"),
    ],
)
def test_train_refuses(small, kwargs, message):
    x, y, xt, yt = small
    with pytest.raises(FiggenError, match=message):
        train(x, y, xt, yt, **kwargs)


def test_train_refuses_empty_sets(small):
    x, y, xt, yt = small
    with pytest.raises(FiggenError, match="^TRAIN_SIZE must be at least 1, got 0$"):
        train(x[:0], y[:0], xt, yt)
    with pytest.raises(FiggenError, match="^TEST_SIZE must be at least 1, got 0$"):
        train(x, y, xt[:0], yt[:0])
