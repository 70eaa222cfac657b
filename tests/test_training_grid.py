"""The training grid (sizes x rates in one engine loop) against separate single runs, and its cache entry."""

from __future__ import annotations

import numpy as np
import pytest

from figgen.core.errors import FiggenError
from figgen.core.knobs import Knobs
from figgen.data import load_dataset
from figgen.files.cache import Cache
from figgen.training import train, train_grid
from figgen.training.cached import cached_grid

SIZES = [120, 15]  # unsorted: the grid hands them back in the order asked
RATES = [0.5, 0.02, 1000.0]  # converges, crawls, diverges
STEPS = 30
LOGGED = [0, 1, 3, 9, 30]


@pytest.fixture(scope="module")
def data():
    return load_dataset("sample")


@pytest.fixture(scope="module")
def grid(data):
    return train_grid(*data.train(max(SIZES)), *data.test(300), SIZES, RATES, steps=STEPS, log_steps=LOGGED)


def test_each_cell_equals_a_separate_run_on_its_rows_at_its_rate(data, grid):
    x, y = data.train(max(SIZES))
    xt, yt = data.test(300)
    assert [len(row) for row in grid] == [len(RATES)] * len(SIZES)
    for s, size in enumerate(SIZES):
        for r, rate in enumerate(RATES):
            cell = grid[s][r]
            alone = train(x[:size], y[:size], xt, yt, learning_rate=rate, steps=STEPS, log_every=1,
                          snapshot_steps=LOGGED)  # fmt: skip
            if rate > 1:  # large rates amplify float32 rounding from update to update
                assert max(loss for _, _, loss in cell.log) > 10  # it really overshoots, in the grid too
                continue
            assert cell.diverged_at is None and alone.diverged_at is None
            assert [row[0] for row in cell.log] == LOGGED
            assert sorted(cell.snapshots) == sorted(cell.snapshot_biases) == LOGGED
            for step, accuracy, loss in cell.log:  # the separate run logs every step
                assert accuracy == pytest.approx(alone.log[step][1], abs=1e-6), (size, rate, step)
                assert loss == pytest.approx(alone.log[step][2], rel=1e-5, abs=1e-5), (size, rate, step)
                np.testing.assert_allclose(cell.snapshots[step], alone.snapshots[step], atol=1e-5)
                np.testing.assert_allclose(cell.snapshot_biases[step], alone.snapshot_biases[step], atol=1e-5)
            np.testing.assert_allclose(cell.weights, alone.weights, atol=1e-5)
    # the cells really differ: more rows and a working rate do better
    assert grid[0][0].log[-1][1] > grid[1][0].log[-1][1] and grid[0][0].log[-1][1] > grid[0][1].log[-1][1]


def test_the_grid_is_one_cache_entry_and_a_changed_parameter_is_another(data, grid, tmp_path):
    cache = Cache(tmp_path)
    knobs = Knobs(TEST_SIZE=300, TRAIN_STEPS=STEPS)
    first = cached_grid(data, SIZES, RATES, knobs, cache, log_steps=LOGGED)
    assert not first[0][0].cached
    np.testing.assert_allclose(first[1][0].snapshots[9], grid[1][0].snapshots[9], atol=1e-6)
    again = cached_grid(data, SIZES, RATES, knobs, cache, log_steps=LOGGED)
    assert again[0][0].cached and len(list(tmp_path.glob("grid-*.npz"))) == 1
    assert again[1][2].diverged_at == grid[1][2].diverged_at
    np.testing.assert_array_equal(again[0][1].snapshots[3], first[0][1].snapshots[3])
    other = cached_grid(data, SIZES, RATES[:2], knobs, cache, log_steps=LOGGED)
    assert not other[0][0].cached and len(list(tmp_path.glob("grid-*.npz"))) == 2


def test_bad_grids_are_refused_naming_what_is_wrong(data):
    x, y = data.train(20)
    xt, yt = data.test(20)
    with pytest.raises(FiggenError, match="at least one training size and one learning rate"):
        train_grid(x, y, xt, yt, [], [0.1], steps=2)
    with pytest.raises(FiggenError, match="must be distinct"):
        train_grid(x, y, xt, yt, [10, 10], [0.1], steps=2)
    with pytest.raises(FiggenError, match="more than the 20 training rows"):
        train_grid(x, y, xt, yt, [30], [0.1], steps=2)
    with pytest.raises(FiggenError, match="logged step 5 is outside 0..2"):
        train_grid(x, y, xt, yt, [10], [0.1], steps=2, log_steps=[0, 5])
