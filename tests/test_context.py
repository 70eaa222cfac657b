"""figgen.recipe.context: what a recipe sees, its knobs, cached training through them, and its outputs."""

from __future__ import annotations

import numpy as np
import pytest

from figgen.core.knobs import Knobs
from figgen.core.themes import get_preset, get_theme
from figgen.files.cache import Cache
from figgen.recipe.context import RecipeContext
from figgen.recipe.spec import read_recipe
from figgen.training import DivergedError
from tests.conftest import write_recipe

TINY = '''
"""Tiny.

Trains on a few examples.
"""
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "TRAIN_STEPS")
PARAMS = {"TRAIN_SIZE": 50, "TEST_SIZE": 100, "TRAIN_STEPS": 5}
OUTPUTS = {"tiny": "still"}
'''


@pytest.fixture
def ctx(tmp_path):
    (tmp_path / "out").mkdir()
    recipe = read_recipe(write_recipe(tmp_path, "tiny", TINY))
    return RecipeContext.for_recipe(
        recipe,
        recipe.resolve(),
        data_source="sample",
        theme=get_theme("dark"),
        preset=get_preset("docs"),
        formats=("png",),
        out_dir=tmp_path / "out",
        cache=Cache(tmp_path / "cache"),
    )


def test_knobs_are_the_recipes_and_the_texts_for_the_rest(ctx):
    assert ctx.params.TRAIN_SIZE == 50
    assert ctx.knobs == Knobs(TRAIN_SIZE=50, TEST_SIZE=100, TRAIN_STEPS=5)  # LEARNING_RATE 0.1, the text's
    assert ctx.data.n_train == 10000 and ctx.theme.name == "dark"


def test_train_trains_once_then_serves_the_cache_and_changed_knobs_train_again(ctx):
    first = ctx.train()
    again = ctx.train()
    assert not first.cached and again.cached
    np.testing.assert_array_equal(first.weights, again.weights)
    assert [row[0] for row in first.log] == [0, 5] and sorted(first.snapshots)[-1] == 5
    other = ctx.train(LEARNING_RATE=0.5)
    assert not other.cached and not np.array_equal(other.weights, first.weights)
    with pytest.raises(DivergedError, match="LEARNING_RATE=1000 diverged at step 0"):
        ctx.train(LEARNING_RATE=1000)
    assert ctx.train(LEARNING_RATE=1000, allow_diverged=True).diverged_at == 0


def test_sweep_is_cached_too(ctx):
    first, again = ctx.sweep([1, 10, 50]), ctx.sweep([1, 10, 50])
    assert not first.cached and again.cached and first.sizes.tolist() == [1, 10, 50]


def test_sweep_takes_its_largest_model_from_train_and_stores_it(ctx):
    sweep = ctx.sweep([10, 50, 1])  # 50 is the recipe's TRAIN_SIZE: the run at 50 is the largest model
    run = ctx.train()
    assert run.cached  # trained and stored by the sweep, not again
    np.testing.assert_array_equal(sweep.weights[1], run.weights)
    np.testing.assert_array_equal(sweep.biases[1], run.bias)
    assert sweep.accuracy[1] == run.final_accuracy and sweep.loss[1] == run.final_loss
    from figgen.training import sweep_training_sizes

    alone = sweep_training_sizes(*ctx.data.train(50), *ctx.data.test(100), [10, 50, 1], steps=5)
    np.testing.assert_allclose(sweep.weights, alone.weights, atol=1e-6)  # as if trained together
    np.testing.assert_allclose(sweep.accuracy, alone.accuracy, atol=1e-6)


def test_train_rates_trains_them_in_one_cached_batch(ctx):
    first, again = ctx.train_rates([0.5, 0.1]), ctx.train_rates([0.5, 0.1])
    assert not any(r.cached for r in first) and all(r.cached for r in again)
    assert [row[0] for row in again[0].log] == [0, 5] and again[0].snapshots == {}
    np.testing.assert_array_equal(first[1].weights, again[1].weights)
    with pytest.raises(DivergedError, match="LEARNING_RATE=1000 diverged at step 0"):
        ctx.train_rates([0.5, 1000])  # trained and stored, then refused
    drawn = ctx.train_rates([0.5, 1000], allow_diverged=True)
    assert all(r.cached for r in drawn) and [r.diverged_at for r in drawn] == [None, 0]
    assert drawn[1].final_loss is None and drawn[1].log[0][0] == 0
    single = ctx.train(LEARNING_RATE=0.1)  # a separate entry, equal to float32 rounding
    assert not single.cached
    np.testing.assert_allclose(again[1].weights, single.weights, atol=1e-6)
    assert again[1].log[-1][1:] == pytest.approx(single.log[-1][1:], abs=1e-6)


def test_outputs_go_through_the_recipes_output_set(ctx, tmp_path):
    ctx.image("tiny", np.zeros((4, 4, 3), np.uint8), alt="Nothing much.")
    assert [r.path for r in ctx.outputs.records] == ["tiny.png"]
    assert (tmp_path / "out" / ctx.outputs.staged[0][0]).is_file()  # staged until the build commits it
