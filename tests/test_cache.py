"""The training cache: hits, damage detection, locking, and what a restyle does (never retrain)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from figgen.cli import main
from figgen.core.errors import FiggenWarning
from figgen.files.cache import Cache, cache_key
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
    with pytest.warns(FiggenWarning, match="damaged training cache entry .*run-d{32}.npz") as caught:
        arrays, _, hit = again.get_or_compute("run", "d" * 64, lambda: (recomputed.append(1) or value, {}))
    assert len(caught) == 1 and not hit
    assert recomputed == [1]
    assert np.array_equal(arrays["w"], value["w"])
    assert again.get_or_compute("run", "d" * 64, lambda: 1 / 0)[2]  # healed: the next read is a hit


@pytest.mark.parametrize(("kind", "dropped"), [("run", "bias"), ("rates", "1.bias"), ("sweep", "biases")])
def test_an_entry_with_a_valid_checksum_but_missing_arrays_is_damaged_and_heals(tmp_path, kind, dropped):
    from figgen.core.knobs import Knobs
    from figgen.data import load_dataset
    from figgen.training.cached import cached_rates, cached_run, cached_sweep

    cache, data = Cache(tmp_path), load_dataset("sample")
    knobs = Knobs(TRAIN_SIZE=20, TEST_SIZE=20, TRAIN_STEPS=2, LOG_EVERY=1)
    train = {
        "run": lambda: cached_run(data, knobs, cache),
        "rates": lambda: cached_rates(data, knobs, [0.1, 0.5], cache)[1],
        "sweep": lambda: cached_sweep(data, [10, 20], knobs, cache),
    }[kind]
    bias = {"run": "bias", "rates": "bias", "sweep": "biases"}[kind]
    first = train()
    entry = next(tmp_path.glob(f"{kind}-*.npz"))
    with np.load(entry) as archive:  # rewrite it whole, with a fresh checksum, but one array short
        arrays = {k: archive[k] for k in archive.files if k not in (dropped, "__checksum__", "__meta__")}
        meta = json.loads(str(archive["__meta__"]))
    cache._store(entry, arrays, meta)  # as figgen stores entries: its checksum is valid
    with pytest.warns(FiggenWarning, match="missing or misshapen arrays"):
        again = train()
    assert not again.cached and np.array_equal(getattr(again, bias), getattr(first, bias))
    assert train().cached  # stored again, whole


def test_a_cache_that_cannot_be_written_costs_a_warning_not_the_result(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # as for a read-only folder
    cache = Cache(tmp_path / "ro")
    with pytest.warns(FiggenWarning, match="is not writable; training is not kept"):
        arrays, _, hit = cache.get_or_compute("run", "e" * 64, lambda: ({"w": np.ones(3)}, {}))
    assert not hit and arrays["w"].tolist() == [1, 1, 1] and list((tmp_path / "ro").iterdir()) == []


def test_clear_removes_only_figgens_entries(tmp_path):
    cache = Cache(tmp_path)
    cache.get_or_compute("run", "f" * 64, lambda: ({"w": np.ones(3)}, {}))
    mine = ["weights.npz", "run-notahash.npz", "notes.lock", "run-" + "a" * 32 + ".npz.bak"]
    for name in mine:
        (tmp_path / name).write_text("the user's own")
    (tmp_path / ("sweep-" + "b" * 32 + ".npz")).mkdir()  # a folder with an entry's name is not an entry
    assert cache.clear() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*mine, "sweep-" + "b" * 32 + ".npz"])


def test_a_cache_folder_that_is_a_file_is_a_clear_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "cachefile").write_text("x")
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cachefile"))
    assert main(["train", "--steps", "1", "--train-size", "5", "--test-size", "5"]) == 2
    err = capsys.readouterr().err
    where = tmp_path / "cachefile"
    assert err == f"figgen: error: the training cache {where} is a file, not a folder (see $FIGGEN_CACHE)\n"


TRAINING = '''
"""Tiny training.

Trains the text's model on a few examples and draws its weights.
"""
from figgen.kit import weights_frame

PARAMS = {"TRAIN_SIZE": 50, "TEST_SIZE": 100, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 5}
OUTPUTS = {"tiny": "still"}


def make(ctx, p):
    run = ctx.train()
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
    capsys.readouterr()
    assert main(["build", "tiny", "--out", "out", "--theme", "light"]) == 0
    assert len(entries[0].read_bytes()) > 1000  # recomputed and stored again
    # said once, though the recipe ran twice: before its training (trained ahead) and after
    assert capsys.readouterr().err.count("damaged training cache entry") == 1
    assert main(["build", "tiny", "--out", "out", "--set", "TRAIN_SIZE=60"]) == 0
    assert len(list((project / "cache").glob("run-*.npz"))) == 2


def test_a_warning_from_the_training_thread_reaches_its_recipe(project, capsys):
    # the sweep's largest model is a run, loaded inside the sweep's training, on the training thread
    sizes = TRAINING.replace("run = ctx.train()", "run = ctx.sweep([10, 50])").replace(
        "run.weights", "run.weights[-1]"
    )
    write_recipe(project / "recipes", "sizes", sizes.replace("run.final_accuracy", "run.accuracy[-1]"))
    assert main(["build", "sizes", "--out", "out"]) == 0
    (run,) = (project / "cache").glob("run-*.npz")
    run.write_bytes(b"damaged")
    for sweep in (project / "cache").glob("sweep-*.npz"):
        sweep.unlink()
    capsys.readouterr()
    assert main(["build", "sizes", "--out", "out", "--theme", "dark"]) == 0
    err = capsys.readouterr().err
    assert err.count("figgen: warning: damaged training cache entry") == 1 and "FiggenWarning" not in err


def test_a_diverged_run_stops_the_recipe_with_a_clear_error(project, capsys):
    write_recipe(project / "recipes", "tiny", TRAINING)
    assert main(["build", "tiny", "--out", "out", "--set", "LEARNING_RATE=1000"]) == 2
    err = capsys.readouterr().err
    assert "recipe tiny failed: training with LEARNING_RATE=1000 diverged at step 0: from there the" in err
    assert not (project / "out" / "tiny.png").exists()
