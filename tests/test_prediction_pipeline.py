"""prediction_pipeline: the numbers of one prediction, as the figure shows them, recomputed from the run's W
and b with plain numpy (x · W + b, softmax, argmax), and the products drawn as images are the digit times
each sheet."""

from __future__ import annotations

import numpy as np
import pytest

from figgen.core.knobs import QUICK, Knobs
from figgen.data import load_dataset
from figgen.files.cache import Cache
from figgen.training.cached import cached_run
from tests.conftest import quick_figures


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """One quick build of the recipe; its figure, alt text, and the run's W and b read back from the cache."""
    root = tmp_path_factory.mktemp("pipeline")
    fig, alt = quick_figures("prediction_pipeline", root)["prediction_pipeline"]
    data = load_dataset("sample")
    run = cached_run(data, Knobs(**QUICK), Cache(root / "cache"))
    assert run.cached  # the build's own run, not a second training
    return fig, alt, data, run


def texts(fig, prefix):
    found = {a.get_gid(): a.get_text() for a in fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))}
    return [found[f"{prefix}-{k}"] for k in range(10)]


def number(text):
    return float(text.replace("\u2212", "-").strip("()").split()[0])


def test_the_scores_are_x_w_plus_b_and_the_probabilities_their_softmax(shown):
    fig, alt, data, run = shown
    index = data.text_index(0)  # the text's x_train[0], the default EXAMPLE
    images, labels = data.train(index + 1)
    x = images[index].astype(np.float64)
    W, b = run.weights.astype(np.float64), run.bias.astype(np.float64)
    scores = x @ W + b
    probs = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
    sums, biases, zs, ps = (texts(fig, p) for p in ("sum", "bias", "score", "prob"))
    np.testing.assert_allclose([number(t) for t in zs], scores, atol=0.005)
    np.testing.assert_allclose([number(t) for t in biases], b, atol=0.005)
    np.testing.assert_allclose([number(t) for t in sums], x @ W, atol=0.0101)
    # the column adds up as printed: sum + b = z, to the cent
    for s, bias, z in zip(sums, biases, zs, strict=True):
        assert round(number(s) + number(bias), 2) == number(z)
    guess = int(np.argmax(probs))
    for k, text in enumerate(ps):
        value = probs[k]
        if value >= 0.01:
            assert number(text) == pytest.approx(value, abs=0.005)
        assert text.endswith(("✓", "✗")) == (k == guess)
    assert ps[guess].endswith("✓" if guess == int(labels[index]) else "✗")
    bars = [p for p in fig.axes[0].patches if p.get_height() and p.get_facecolor()[3] == 1]
    widths = np.array([p.get_width() for p in bars])
    np.testing.assert_allclose(widths / widths.sum(), probs, atol=1e-9)  # bar lengths are the probabilities
    assert f"predicts {guess} with probability" in alt
    top = int(np.argmax(scores))
    z, bias = round(scores[top], 2), round(b[top], 2)
    assert f"{z - bias:.2f} + {bias:.2f} = {z:.2f}" in alt  # as the figure prints them
    assert fig.axes[0].texts[0].get_text().endswith(f"says {guess}")


def test_the_products_are_the_digit_times_each_sheet_on_the_sheets_scale(shown):
    fig, _, data, run = shown
    index = data.text_index(0)
    x = data.train(index + 1)[0][index].astype(np.float64)
    images = {a.get_gid(): a for a in fig.axes[0].get_images()}
    limit = np.abs(run.weights).max()
    for k in range(10):
        sheet, product = images[f"sheet-{k}"], images[f"product-{k}"]
        np.testing.assert_allclose(sheet.get_array(), run.weights[:, k].reshape(28, 28), rtol=1e-6)
        np.testing.assert_allclose(product.get_array(), (x * run.weights[:, k]).reshape(28, 28), rtol=1e-6)
        for image in (sheet, product):
            assert image.get_clim() == pytest.approx((-limit, limit))  # zero on white, one scale
            assert image.get_cmap().name == "seismic"
    np.testing.assert_array_equal(images["digit"].get_array(), x.reshape(28, 28))
