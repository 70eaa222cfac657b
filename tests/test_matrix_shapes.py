"""matrix_shapes: the blocks of y = softmax(x · W + b) are drawn to one scale (784 is 78.4 times 10), and the
arrays shown are the real ones: x's rows the first training digits, W's column the run's, b broadcast down the
m rows, y recomputed with numpy from the run's W and b."""

from __future__ import annotations

import numpy as np
import pytest

from figgen.core.knobs import QUICK, Knobs
from figgen.data import load_dataset
from figgen.files.cache import Cache
from figgen.training.cached import cached_run
from tests.conftest import quick_figures

ROWS, COLUMN = 5, 3


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """One quick build (5 rows, column 3); its figure and alt text, and the run's W and b from the cache."""
    root = tmp_path_factory.mktemp("shapes")
    figures = quick_figures("matrix_shapes", root, params={"ROWS": ROWS, "COLUMN": COLUMN})
    data = load_dataset("sample")
    run = cached_run(data, Knobs(**QUICK), Cache(root / "cache"))
    assert run.cached  # the build's own run, not a second training
    fig, alt = figures["matrix_shapes"]
    images = {a.get_gid(): a for a in fig.axes[0].get_images()}
    return fig, images, alt, data, run


def size(image):
    left, right, bottom, top = image.get_extent()
    return right - left, bottom - top


def test_the_blocks_are_drawn_to_one_scale(shown):
    _, images, _, _, _ = shown
    shapes = {"x": (784, ROWS), "W": (10, 784), "b": (10, 1), "y": (10, ROWS)}  # (columns, rows)
    unit = size(images["W"])[0] / 10
    for gid, (cols, rows) in shapes.items():
        width, height = size(images[gid])
        assert width == pytest.approx(cols * unit) and height == pytest.approx(rows * unit), gid
    assert size(images["W"])[1] / size(images["W"])[0] == pytest.approx(78.4)
    assert size(images["x"])[0] == pytest.approx(size(images["W"])[1])  # x as long as W is tall
    # the magnified rows keep x's 784 columns at the same scale
    assert size(images["x-rows"])[0] == pytest.approx(size(images["x"])[0])


def test_the_arrays_are_the_data_and_the_runs(shown):
    fig, images, alt, data, run = shown
    x, labels = data.train(ROWS)
    W, b = run.weights.astype(np.float64), run.bias.astype(np.float64)
    np.testing.assert_allclose(images["x"].get_array(), x)
    np.testing.assert_allclose(images["x-rows"].get_array(), x)
    for i in range(ROWS):
        np.testing.assert_allclose(images[f"digit-{i}"].get_array(), x[i].reshape(28, 28))
    np.testing.assert_allclose(images["W"].get_array(), W, rtol=1e-6)
    np.testing.assert_allclose(images["sheet"].get_array(), W[:, COLUMN].reshape(28, 28), rtol=1e-6)
    np.testing.assert_allclose(images["b-row"].get_array(), b[None, :], rtol=1e-6)
    np.testing.assert_allclose(images["b-broadcast"].get_array(), np.tile(b, (ROWS, 1)), rtol=1e-6)
    scores = x.astype(np.float64) @ W + b
    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    for gid in ("y", "y-rows"):
        np.testing.assert_allclose(images[gid].get_array(), probs, atol=1e-9)
    framed = sorted(
        (round(p.get_y()), round(p.get_x()))
        for p in fig.axes[0].patches
        if (p.get_gid() or "").startswith("largest")
    )
    cell = size(images["y-rows"])[0] / 10
    left, _, _, top = images["y-rows"].get_extent()
    assert [(round((py - top) / cell), round((px - left) / cell)) for py, px in framed] == [
        (i, int(k)) for i, k in enumerate(probs.argmax(axis=1))
    ]  # each row's largest probability is the one framed
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[0] == "y = softmax(x · W + b): (m × 784) · (784 × 10) + 10 → m × 10"
    assert any(t.startswith(f"x: m × 784, m = {ROWS} digits here") for t in texts)
    assert "W: 784 × 10" in texts and "b: 10" in texts and "y: m × 10" in texts
    right = int((probs.argmax(axis=1) == labels).sum())
    assert f"{right} of the {ROWS} rows' largest probabilities are at their labels" in alt
    assert f"from {b.min():.2f} to {b.max():.2f}" in alt
