"""The overfitting figure shows the real runs' numbers: recomputed here with plain numpy from the data and the
cached runs' W and b (the sweep of weights_evolution, and the small run's snapshots)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from figgen.core.knobs import QUICK, Knobs
from figgen.data import load_dataset
from figgen.files.cache import Cache
from figgen.training import default_sweep_sizes
from figgen.training.cached import cached_run, cached_sweep
from tests.conftest import quick_figures

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
SMALL = 10  # the recipe's quick SMALL_SIZE
KNOBS = Knobs(**QUICK)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One quick build of the recipe, its matplotlib figure and alt text kept, and the runs it drew from."""
    root = tmp_path_factory.mktemp("overfitting")
    fig, alt = quick_figures("overfitting", root)["overfitting"]
    cache = root / "cache"
    data = load_dataset("sample")
    sizes = default_sweep_sizes(KNOBS.TRAIN_SIZE, 14)
    store = Cache(cache)
    sweep = cached_sweep(data, sizes, KNOBS, store)
    small = cached_run(data, KNOBS.replace(TRAIN_SIZE=SMALL), store)
    assert sweep.cached and small.cached  # the build trained them; nothing trains here
    return {"fig": fig, "alt": alt, "data": data, "sizes": sizes, "sweep": sweep, "small": small}


def numpy_scores(w, b, x, labels):
    """Accuracy and mean cross-entropy of softmax(xW + b), written out here."""
    z = x.astype(np.float64) @ w.astype(np.float64) + b
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float((z.argmax(axis=1) == labels).mean()), float(-log_p[np.arange(len(labels)), labels].mean())


def axes_titled(fig, start):
    return next(ax for ax in fig.axes if ax.get_title().startswith(start))


def test_training_and_test_accuracy_by_size_are_the_sweeps(built):
    x, labels = built["data"].train(max(built["sizes"]))
    train = [
        numpy_scores(w, b, x[:n], labels[:n])[0]
        for w, b, n in zip(built["sweep"].weights, built["sweep"].biases, built["sizes"], strict=True)
    ]
    ax = axes_titled(built["fig"], "Accuracy after")
    lines = {tuple(line.get_xdata()): line for line in ax.get_lines() if len(line.get_xdata()) > 2}
    drawn = [line.get_ydata() for line in ax.get_lines() if list(line.get_xdata()) == built["sizes"]]
    assert len(drawn) == 2 and lines
    assert np.allclose(drawn[0], 100 * np.array(train))
    assert np.allclose(drawn[1], 100 * built["sweep"].accuracy)
    assert train[0] == 1.0  # one example, learnt by heart
    gap = 100 * (train[0] - built["sweep"].accuracy[0])
    assert f"a gap of {gap:.0f} points" in built["alt"]
    assert f"gap {gap:.0f} points" in [t.get_text() for t in ax.texts]


def test_the_small_runs_losses_and_accuracies_along_the_steps(built):
    run, data = built["small"], built["data"]
    x_train, l_train = data.train(SMALL)
    x_test, l_test = data.test(KNOBS.TEST_SIZE)
    steps = sorted(run.snapshots)
    train = [numpy_scores(run.snapshots[s], run.snapshot_biases[s], x_train, l_train) for s in steps]
    test = [numpy_scores(run.snapshots[s], run.snapshot_biases[s], x_test, l_test) for s in steps]
    shown = np.array(steps) >= 1
    loss_ax = axes_titled(built["fig"], f"{SMALL} examples: loss")
    ys = [line.get_ydata() for line in loss_ax.get_lines() if len(line.get_ydata()) > 1]
    assert np.allclose(ys[0], np.array([lo for _, lo in train])[shown], rtol=1e-9)
    assert np.allclose(ys[1], np.array([lo for _, lo in test])[shown], rtol=1e-9)
    acc_ax = axes_titled(built["fig"], f"{SMALL} examples: accuracy")
    ys = [line.get_ydata() for line in acc_ax.get_lines() if len(line.get_ydata()) > 1]
    assert np.allclose(ys[1], 100 * np.array([a for a, _ in test])[shown])
    # the numbers of the alt text: the lowest test loss and where, the peak of test accuracy
    losses = [lo for _, lo in test]
    low = int(np.argmin(losses))
    assert 0 < low < len(steps) - 1  # at 10 examples the test loss turns up within the quick 60 steps
    assert f"lowest ({losses[low]:.3f}) at step {steps[low]:,}" in built["alt"]
    assert f"training loss falls to {train[-1][1]:.3f}" in built["alt"]
    accuracy = [a for a, _ in test]
    peak = len(accuracy) - 1 - int(np.argmax(accuracy[::-1]))  # the last of tied highs
    if peak == len(steps) - 1:
        assert "highest at the last step" in built["alt"]
    else:
        assert f"peaks at {accuracy[peak]:.1%} at step {steps[peak]:,}" in built["alt"]


def test_the_band_is_a_bootstrap_of_the_test_examples(built):
    """An independent bootstrap (another seed) gives the band within a fraction of its width."""
    run, data = built["small"], built["data"]
    x_test, l_test = data.test(KNOBS.TEST_SIZE)
    last = max(run.snapshots)
    z = x_test.astype(np.float64) @ run.snapshots[last] + run.snapshot_biases[last]
    hits = (z.argmax(axis=1) == l_test).astype(float)
    rng = np.random.default_rng(12345)
    means = np.array([hits[rng.integers(0, len(hits), len(hits))].mean() for _ in range(2000)])
    low, high = np.percentile(means, [2.5, 97.5])
    zoom = axes_titled(built["fig"], "test, zoomed")
    vertices = zoom.collections[0].get_paths()[0].vertices
    at_last = vertices[vertices[:, 0] == last, 1]  # the band's edges at the last step
    width = 100 * (high - low)
    assert at_last.max() == pytest.approx(100 * high, abs=0.25 * width)
    assert at_last.min() == pytest.approx(100 * low, abs=0.25 * width)
    assert 100 * hits.mean() == pytest.approx(zoom.get_lines()[0].get_ydata()[-1])


def test_the_alt_text_sets_the_texts_claim_apart(built):
    assert 'The text\'s "accuracy slightly went down"' in built["alt"]
    assert re.search(r"95% bootstrap over the test digits \(\d+ resamples\)", built["alt"])


def test_a_plateau_at_the_top_is_no_fall():
    """Test accuracy that reaches its highest and stays there to the end has not turned down: the peak is the
    last of tied highs, and the words say so (the first of them read as a peak followed by a fall of 0)."""
    from types import SimpleNamespace

    from figgen.analysis.overfit import step_study
    from figgen.figures.overfitting import describe_steps

    rng = np.random.default_rng(3)
    x_test, labels = rng.random((40, 784)), rng.integers(0, 10, 40)
    w, b = rng.normal(size=(784, 10)), np.zeros(10)
    run = SimpleNamespace(snapshots={s: w for s in (0, 5, 50)}, snapshot_biases={s: b for s in (0, 5, 50)})
    study = step_study(run, x_test[:5], labels[:5], x_test, labels)
    assert study.peak == 2 and study.fall == 0 and not study.turns_down
    assert describe_steps(study).startswith("test accuracy is highest at the last step")
