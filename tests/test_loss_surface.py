"""The loss surface is the real model's: its values and the projected path, recomputed here with plain numpy
(the cross-entropy written out, the path's principal directions from numpy's SVD) from the cached run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from figgen.core.knobs import QUICK, Knobs
from figgen.data import load_dataset
from figgen.files.cache import Cache
from figgen.training.cached import cached_run
from tests.conftest import quick_figures

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
KNOBS = Knobs(**QUICK)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("surface")
    fig, alt = quick_figures("loss_surface", root)["loss_surface"]
    cache, out = root / "cache", root / "out"
    data = load_dataset("sample")
    run = cached_run(data, KNOBS, Cache(cache))
    assert run.cached
    return {"fig": fig, "alt": alt, "run": run, "data": data, "out": out}


def cross_entropy(w, b, x, labels):
    z = x.astype(np.float64) @ w + b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return float(-np.log(p[np.arange(len(labels)), labels]).mean())


def params(w, b):
    return np.concatenate([np.asarray(w, np.float64).ravel(), np.asarray(b, np.float64)])


def test_the_surface_and_the_path_are_the_real_cross_entropy(built):
    run, (x, labels) = built["run"], built["data"].train(KNOBS.TRAIN_SIZE)
    steps = sorted(run.snapshots)
    centre = params(run.weights, run.bias)
    path = np.stack(
        [np.zeros_like(centre)] + [params(run.snapshots[s], run.snapshot_biases[s]) for s in steps]
    )
    _, _, vt = np.linalg.svd(path - centre, full_matrices=False)
    ax = built["fig"].axes[0]
    line = next(a for a in ax.get_lines() if a.get_gid() == "path")
    drawn = np.column_stack([line.get_xdata(), line.get_ydata()])
    projected = (path - centre) @ vt[:2].T
    signs = np.sign(np.sum(drawn * projected, axis=0))  # a principal direction's sign is a convention
    assert np.allclose(drawn, projected * signs, atol=1e-6)
    directions = vt[:2] * signs[:, None]
    mesh = ax.collections[0]
    grid = 21  # the recipe's quick GRID
    values = np.asarray(mesh.get_array()).reshape(grid, grid)
    alphas = np.unique(mesh.get_coordinates()[..., 0])
    betas = np.unique(mesh.get_coordinates()[..., 1])
    assert len(alphas) >= grid and len(betas) >= grid
    # the cell centres are the midpoints of the cell edges matplotlib drew
    a = (alphas[:-1] + alphas[1:]) / 2
    b = (betas[:-1] + betas[1:]) / 2
    for j, i in [(0, 0), (grid // 2, grid // 3), (grid - 1, grid - 1), (3, grid - 2)]:
        theta = centre + a[i] * directions[0] + b[j] * directions[1]
        w, bias = theta[:7840].reshape(784, 10), theta[7840:]
        assert values[j, i] == pytest.approx(cross_entropy(w, bias, x, labels), rel=1e-4)
    # the trained weights sit at (0, 0), with the run's last logged loss
    assert drawn[-1] == pytest.approx([0, 0], abs=1e-9)
    assert cross_entropy(run.weights, run.bias, x, labels) == pytest.approx(run.log[-1][2], rel=1e-4)
    assert f"{np.log(10):.3f} (ln 10) at the start to {run.log[-1][2]:.3f}" in built["alt"]
    assert f"on {KNOBS.TRAIN_SIZE:,} training examples" in built["alt"]


def test_the_animation_draws_the_path_step_by_step(built):
    out = built["out"]
    assert (out / "loss_surface_path_filmstrip.png").is_file()
    assert (out / "loss_surface_path_poster.png").is_file()
