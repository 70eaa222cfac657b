"""explore_training: a quick build's page holds the real grid's numbers, and in Chromium its controls and its
JavaScript show exactly Python's values for the run and step they pick."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

import figgen
from figgen.core.knobs import Knobs
from figgen.data import load_dataset
from figgen.draw.colormaps import colormap_lut, lut_indices, symmetric_limit
from figgen.draw.panels import SHEET_LEVELS
from figgen.figures.rates import run_regime
from figgen.files.cache import Cache
from figgen.recipe.spec import builtin_recipe_dir, read_recipe
from figgen.training import predict, snapshot_schedule
from figgen.training.cached import cached_grid
from figgen.writers.explore.training import sheet_codes
from tests._browser import CHROMIUM, Browser

RECIPE = read_recipe(builtin_recipe_dir() / "explore_training.py")
QUICK = RECIPE.params | RECIPE.quick  # what --quick trains
STATUS = "document.getElementById('fx-status').textContent"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The recipe built with --quick, and the same grid read back from the build's cache (no training)."""
    folder = tmp_path_factory.mktemp("explore_training")
    result = figgen.build(["explore_training"], out=folder / "out", cache=folder / "cache", quick=True)
    assert result.ok, result.failures
    html = (folder / "out" / "explore_training.html").read_text()
    data = json.loads(
        re.search(r'<script type="application/json" id="fx-data">(.*?)</script>', html, re.S)[1]
    )
    knobs = Knobs(TEST_SIZE=QUICK["TEST_SIZE"], TRAIN_STEPS=QUICK["TRAIN_STEPS"])
    logged = snapshot_schedule(QUICK["TRAIN_STEPS"], QUICK["LOGGED"])
    sizes, rates = sorted(QUICK["SIZES"]), sorted(QUICK["LEARNING_RATES"])
    dataset = load_dataset("sample")
    grid = cached_grid(dataset, sizes, rates, knobs, Cache(folder / "cache"), log_steps=logged)
    assert grid[0][0].cached  # the build trained it; this reads it
    index = dataset.text_index(0)
    x = dataset.train(index + 1)[0][index]
    return {"folder": folder, "html": html, "data": data, "grid": grid, "logged": logged, "x": x}


def expected(built, size: int, rate: float, step: int) -> dict:
    """Python's numbers for one state, as the page shows them."""
    data, grid = built["data"], built["grid"]
    i, j = data["sizes"].index(size), data["rates"].index(rate)
    run = grid[i][j]
    entry = next(row for row in run.log if row[0] == step)
    p = predict(run.snapshots[step], run.snapshot_biases[step], built["x"][None])[0]
    return {
        "TRAIN_SIZE": size,
        "LEARNING_RATE": rate,
        "STEP": step,
        "accuracy": round(entry[1], 3),
        "loss": float(f"{entry[2]:.4g}"),
        "regime": run_regime(run),
        "prediction": int(np.argmax(p)),
        "probabilities": [round(float(v), 3) for v in p],
    }


def test_the_page_holds_the_grid_the_sheets_in_the_figures_colours(built):
    data, grid, logged = built["data"], built["grid"], built["logged"]
    assert data["sizes"] == sorted(QUICK["SIZES"]) and data["rates"] == sorted(QUICK["LEARNING_RATES"])
    assert data["steps"] == logged and logged[0] == 0 and logged[-1] == QUICK["TRAIN_STEPS"]
    codes = sheet_codes(data)
    assert codes.shape == (len(data["sizes"]) * len(data["rates"]), len(logged), 10, 784)
    for i, row in enumerate(grid):
        for j, run in enumerate(row):
            held = data["runs"][i * len(data["rates"]) + j]
            assert held["regime"] == run_regime(run)
            assert held["accuracy"] == [round(a, 3) for _, a, _ in run.log]
            for t, step in enumerate(logged[: len(run.log)]):
                weights = run.snapshots[step]
                limit = symmetric_limit(weights)
                want = lut_indices(weights.T, SHEET_LEVELS, -limit, limit)
                assert np.array_equal(codes[i * len(data["rates"]) + j, t], want), (i, j, step)
    # the colours are the weight figures' own table, and some runs really differ in regime
    assert base64.b64decode(data["lut"]) == colormap_lut("seismic", SHEET_LEVELS).tobytes()
    assert len({r["regime"] for r in data["runs"]}) >= 2
    size = (built["folder"] / "out" / "explore_training.html").stat().st_size
    assert size < 300_000, size  # the quick grid: 9 runs of 8 steps
    assert "http://" not in built["html"] and "https://" not in built["html"]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
def test_the_page_shows_pythons_numbers_through_its_sliders_and_its_script(built, tmp_path):
    data, logged = built["data"], built["logged"]
    sizes, rates = data["sizes"], data["rates"]
    with Browser(tmp_path / "profile") as browser:
        page = browser.open(
            (built["folder"] / "out" / "explore_training.html").as_uri(), width=820, height=900
        )
        page.wait_for("document.documentElement.dataset.state === 'ready'")
        # it opens on the largest size at the rate nearest the text's 0.1, at the last step
        first_rate = min(rates, key=lambda r: abs(r - 0.1))
        assert page.evaluate("figgenExplorable.state()") == expected(built, sizes[-1], first_rate, logged[-1])
        # set() snaps to the nearest held values
        state = page.evaluate("figgenExplorable.set({TRAIN_SIZE: 90, LEARNING_RATE: 0.4, STEP: 7})")
        step = min(logged, key=lambda s: abs(s - 7))
        assert state == expected(built, 100, 0.5, step) == page.evaluate("figgenExplorable.state()")
        shown = page.evaluate(STATUS)
        assert (
            f"training loss {state['loss']}" in shown
            and f"test accuracy {100 * state['accuracy']:.1f}%" in shown
        )
        assert page.evaluate("document.getElementById('xt-step-out').textContent") == f"{step:,}"
        # the sheets on screen are the figure's colours of that step's W, pixel for pixel
        run = built["grid"][sizes.index(100)][rates.index(0.5)]
        weights = run.snapshots[step]
        limit = symmetric_limit(weights)
        lut = colormap_lut("seismic", SHEET_LEVELS)
        for k in (0, 7):
            drawn = page.evaluate(
                f"Array.from(document.querySelectorAll('.xt-cell canvas')[{k}].getContext('2d')"
                ".getImageData(0, 0, 28, 28).data)"
            )
            rgb = np.array(drawn, np.uint8).reshape(784, 4)[:, :3]
            assert np.array_equal(rgb, lut[lut_indices(weights[:, k], SHEET_LEVELS, -limit, limit)]), k
        # the keyboard: the step slider steps through the held steps, the size slider through the sizes
        page.click(*page.centre("#xt-step", 0.01))
        assert page.evaluate("figgenExplorable.state().STEP") == logged[0]
        page.press("ArrowRight")
        page.press("ArrowRight")
        assert page.evaluate("figgenExplorable.state()") == expected(built, 100, 0.5, logged[2])
        page.click(*page.centre("#xt-size", 0.99))
        page.press("ArrowLeft")
        page.press("ArrowLeft")
        assert page.evaluate("figgenExplorable.state()") == expected(built, sizes[0], 0.5, logged[2])
        page.click(*page.centre("#xt-rate", 0.99))  # the largest rate: its regime is named as Python names it
        want = expected(built, sizes[0], rates[-1], logged[2])
        got = page.evaluate("figgenExplorable.state()")
        assert got == want, (got, want)
        words = {"crawls": "crawls", "converges": "converges", "unstable": "unstable", "diverged": "diverges"}
        assert words[want["regime"]] in page.evaluate("document.getElementById('xt-regime').textContent")
