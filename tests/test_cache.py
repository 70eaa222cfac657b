"""The training cache: hits, damage detection, locking, and what a restyle does (never retrain)."""

from __future__ import annotations

import numpy as np
import pytest

from figgen.cache import Cache, cache_key
from figgen.cli import main
from tests.conftest import write_recipe


def test_key_depends_on_every_part_and_nothing_else():
    key = cache_key(data="abc", train_size=10, learning_rate=0.1)
    assert key == cache_key(learning_rate=0.1, train_size=10, data="abc")  # order does not matter
    assert key != cache_key(data="abc", train_size=11, learning_rate=0.1)
    assert key != cache_key(data="abd", train_size=10, learning_rate=0.1)
    with pytest.raises(TypeError):
        cache_key(thing=object())


def test_entry_round_trip_and_hit(tmp_path):
    cache = Cache(tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return {"w": np.arange(6, dtype=np.float32).reshape(2, 3)}, {"seconds": 1.5, "diverged_at": None}

    arrays, meta, hit = cache.get_or_compute("run", "k" * 64, compute)
    again, meta_again, hit_again = cache.get_or_compute("run", "k" * 64, compute)
    assert calls == [1] and cache.hits == 1 and cache.misses == 1 and (hit, hit_again) == (False, True)
    assert np.array_equal(again["w"], arrays["w"]) and again["w"].dtype == np.float32
    assert meta_again == {"seconds": 1.5, "diverged_at": None}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_damaged_entry_is_recomputed_not_trusted(tmp_path, damage):
    cache = Cache(tmp_path)
    value = {"w": np.linspace(0, 1, 1000, dtype=np.float32)}
    cache.get_or_compute("run", "d" * 64, lambda: (value, {}))
    path = cache.path("run", "d" * 64)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[len(data) // 2] ^= 0xFF  # inside the stored floats: still a readable zip
    elif damage == "garbage":
        data = bytearray(b"not a zip at all")
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    recomputed = []
    again = Cache(tmp_path)
    arrays, _, hit = again.get_or_compute("run", "d" * 64, lambda: (recomputed.append(1) or value, {}))
    assert not hit
    assert recomputed == [1]
    assert np.array_equal(arrays["w"], value["w"])


TRAINING = '''
"""Tiny training.

Trains the text's model on a few examples and draws its weights.
"""
from figgen.draw import weights_frame

PARAMS = {"TRAIN_SIZE": 50, "TEST_SIZE": 100, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 5}
OUTPUTS = {"tiny": "still"}


def make(ctx, p):
    run = ctx.run()
    ctx.image("tiny", weights_frame(run.weights, ctx.theme, ctx.preset),
              alt=f"Weights after {p.TRAIN_STEPS + 1} updates, accuracy {run.final_accuracy:.2f}.")
'''


def test_restyle_reuses_training_and_damaged_entry_retrains(project, capsys):
    write_recipe(project / "recipes", "tiny", TRAINING)
    assert main(["build", "tiny", "--out", "out"]) == 0
    entries = list((project / "cache").glob("run-*.npz"))
    assert len(entries) == 1
    stamp = entries[0].stat().st_mtime_ns
    assert main(["build", "tiny", "--out", "out", "--theme", "dark"]) == 0
    assert entries[0].stat().st_mtime_ns == stamp  # not retrained
    entries[0].write_bytes(b"damaged")
    assert main(["build", "tiny", "--out", "out", "--theme", "light"]) == 0
    assert len(entries[0].read_bytes()) > 1000  # recomputed and stored again
    assert main(["build", "tiny", "--out", "out", "--set", "TRAIN_SIZE=60"]) == 0
    assert len(list((project / "cache").glob("run-*.npz"))) == 2


def test_a_diverged_run_stops_the_recipe_with_a_clear_error(project, capsys):
    write_recipe(project / "recipes", "tiny", TRAINING)
    assert main(["build", "tiny", "--out", "out", "--set", "LEARNING_RATE=1000"]) == 2
    err = capsys.readouterr().err
    assert "recipe tiny failed: training with LEARNING_RATE=1000 diverged at step 0: the training loss" in err
    assert not (project / "out" / "tiny.png").exists()
