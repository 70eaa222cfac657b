"""The training recipes (curve, weights, rates, predictions, sizes, shifts) and figgen.figures.training."""

from __future__ import annotations

import hashlib
import json
import math

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from figgen.cli import main
from figgen.data import load_dataset
from figgen.errors import FiggenError
from figgen.figures.training import (
    accuracy_dips,
    accuracy_gains,
    block_accuracies,
    check_block,
    leftmost_column,
    nth_of_digit,
    shift_left,
    shift_study,
)
from figgen.recipe import default_recipe_dir, read_recipe
from figgen.train import default_sweep_sizes, sweep_training_sizes

RECIPES = [
    "training_curve",
    "weights",
    "weights_training",
    "learning_rate",
    "prediction",
    "predictions_grid",
    "accuracy_vs_size",
    "test_size_bias",
    "shifted_digit",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the nine recipes once, quick, into a shared folder with its own training cache."""
    root = tmp_path_factory.mktemp("training-recipes")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FIGGEN_CACHE", str(root / "cache"))
        assert main(["build", *RECIPES, "--quick", "--out", str(root / "out")]) == 0
        manifest = json.loads((root / "out" / "manifest.json").read_text())
        # a second, forced build from the same cache must give the same bytes
        assert (
            main(
                [
                    "build",
                    "weights_training",
                    "test_size_bias",
                    "--quick",
                    "--force",
                    "--out",
                    str(root / "again"),
                ]
            )
            == 0
        )
    return root, manifest


@pytest.mark.parametrize("name", RECIPES)
def test_quick_build_writes_declared_outputs(built, name):
    root, manifest = built
    recipe = read_recipe(default_recipe_dir() / f"{name}.py")
    records = [r for r in manifest["outputs"] if r["recipe"] == name]
    for stem, kind in recipe.outputs.items():
        mine = {r["format"]: r for r in records if r["output"] == stem}
        assert set(mine) == ({"gif", "mp4"} if kind == "animation" else {"png", "svg"})
        for record in mine.values():
            assert len(record["alt"]) > 40 and any(c.isdigit() for c in record["alt"])
            path = root / "out" / record["path"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == record["sha256"]
        if kind == "still":
            with Image.open(root / "out" / f"{stem}.png") as im:
                assert im.size == (mine["png"]["width"], mine["png"]["height"])
                assert im.size[0] == 800
            assert (root / "out" / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        else:
            with Image.open(root / "out" / f"{stem}.gif") as im:
                assert im.n_frames > 1 and im.n_frames == mine["gif"]["frames"]
            reader = imageio_ffmpeg.read_frames(str(root / "out" / f"{stem}.mp4"))
            size = next(reader)["size"]
            assert size == (mine["mp4"]["width"], mine["mp4"]["height"])
            assert sum(1 for _ in reader) > 1
            assert (root / "out" / f"{stem}_filmstrip.png").is_file()


def test_quick_builds_are_byte_identical(built):
    root, _ = built
    for name in ("weights_training.gif", "weights_training.mp4", "test_size_bias.png", "test_size_bias.svg"):
        assert (root / "out" / name).read_bytes() == (root / "again" / name).read_bytes(), name


def test_alt_texts_carry_the_computed_numbers(built):
    _, manifest = built
    alt = {r["output"]: r["alt"] for r in manifest["outputs"]}
    assert "10 disjoint blocks of 100" in alt["test_size_bias"]  # quick: 1,000 test digits
    assert "a 1, shifted left by 0, 1, 2" in alt["shifted_digit"]
    assert alt["prediction"].startswith("Training example 0, a handwritten 5")
    assert all(f"{rate} reaches loss" in alt["learning_rate"] for rate in ("0.01", "0.1", "0.5"))


# --- figgen.figures.training ------------------------------------------------------------------------------


def test_shift_left_moves_pixels_left_with_zero_fill():
    image = np.arange(1, 785, dtype=np.float32).reshape(28, 28)
    moved = shift_left(image, 3)
    assert moved.shape == image.shape
    np.testing.assert_array_equal(moved[:, :25], image[:, 3:])
    assert not moved[:, 25:].any()  # nothing wraps around from the left edge
    np.testing.assert_array_equal(shift_left(image.reshape(1, 784), 0), image.reshape(1, 784))
    assert shift_left(image.reshape(2, 392), 5).shape == (2, 392)
    with pytest.raises(Exception, match="between 0 and 28"):
        shift_left(image, 29)


def test_leftmost_column_is_how_far_a_digit_can_move():
    image = np.zeros((28, 28), np.float32)
    image[5:20, 9] = 1
    assert leftmost_column(image) == 9
    assert leftmost_column(shift_left(image, 9)) == 0
    assert shift_left(image, 9)[5:20, 0].all()


def test_block_accuracies_are_disjoint_and_average_to_the_full_accuracy():
    hits = np.random.default_rng(0).random(10_000) < 0.9
    blocks = block_accuracies(hits, 100)
    assert blocks.shape == (100,)
    assert blocks[0] == hits[:100].mean() and blocks[-1] == hits[-100:].mean()
    assert math.isclose(blocks.mean(), hits.mean(), rel_tol=0, abs_tol=1e-12)  # equal blocks: exact identity
    assert blocks.std() > 0.01  # 100 digits are a noisy test
    assert block_accuracies(hits[:1050], 100).shape == (10,)  # a remainder is dropped


def test_accuracy_dips_are_peaks_followed_by_a_fall_while_loss_falls():
    log = [
        (0, 0.5, 2.0),
        (100, 0.8, 1.0),
        (200, 0.79, 0.9),
        (300, 0.85, 0.8),
        (400, 0.84, 0.85),
        (500, 0.9, 0.7),
    ]
    dips = accuracy_dips(log)
    assert [(d.step, d.next_step) for d in dips] == [(100, 200)]  # 300 -> 400: the loss rose too
    assert dips[0].accuracy == 0.8 and dips[0].next_accuracy == 0.79
    assert accuracy_dips([(0, 0.5, 2.0), (100, 0.6, 1.0), (200, 0.6, 0.9)]) == []  # flat is not a dip


def test_accuracy_gains_per_tenfold():
    sizes, accuracy = [1, 10, 100, 500], [0.1, 0.4, 0.8, 0.9]
    gains = accuracy_gains(sizes, accuracy)
    assert [(a, b) for a, b, _ in gains] == [(1, 10), (10, 100), (100, 500)]
    assert [g for _, _, g in gains] == pytest.approx([0.3, 0.4, 0.1])


def test_nth_of_digit():
    labels = np.array([7, 1, 3, 1, 1])
    assert nth_of_digit(labels, 1, 0) == 1 and nth_of_digit(labels, 1, 2) == 4
    with pytest.raises(FiggenError, match=r"^shifted_digit.WHICH = 3, but the 5 test digits hold only 3 "):
        nth_of_digit(labels, 1, 3, "shifted_digit.WHICH")
    with pytest.raises(FiggenError, match="only 0 examples of 9, not 1$"):
        nth_of_digit(labels, 9, 0)


def test_check_block_refuses_a_block_larger_than_the_test_set():
    check_block(1000, 1000, "test_size_bias.BLOCK")
    with pytest.raises(FiggenError, match=r"^test_size_bias.BLOCK = 1001 is more than TEST_SIZE = 1000"):
        check_block(1001, 1000, "test_size_bias.BLOCK")


def test_shift_study_on_a_tiny_model():
    # A "model" that votes for 1 with the ink of column 10 and for 0 everywhere else: shifting loses it.
    weights = np.zeros((784, 10))
    weights[:, 0] = 1.0
    weights.reshape(28, 28, 10)[:, 10, 1] = 50.0
    bias = np.zeros(10)
    x = np.zeros((4, 784), np.float32)
    for row, column in zip(x, (10, 11, 12, 10), strict=True):
        row.reshape(28, 28)[5:20, column] = 1
    labels = np.array([1, 1, 1, 0])
    study = shift_study(weights, bias, x, labels, index=1, shifts=[0, 1, 5, 40], max_shift=3)
    assert study.digit == 1 and study.edge == 11
    assert study.shown == [0, 1, 5, 11]  # shifts past the edge dropped, the edge added
    assert study.moved.shape == (4, 784) and leftmost_column(study.moved[-1]) == 0
    assert study.probs.argmax(axis=1).tolist() == [0, 1, 0, 0]  # only a 1-pixel move puts ink on column 10
    assert study.shifts == [0, 1, 2, 3]
    np.testing.assert_allclose(study.on_digit, [1 / 3, 1 / 3, 1 / 3, 0])
    np.testing.assert_allclose(study.on_all, [1 / 4, 2 / 4, 2 / 4, 1 / 4])  # the 0 counts once moved off 10
    assert study.collapse == 0 and study.digit_count == 3 and study.test_count == 4


@pytest.mark.parametrize(
    "name, setting, param",
    [
        ("shifted_digit", "WHICH=5000", "WHICH"),  # quick: only 126 ones among 1,000 test digits
        ("shifted_digit", "WHICH=10000", "WHICH"),
        ("shifted_digit", "SHIFTS=0,40", "SHIFTS"),
        ("shifted_digit", "SHIFTS=-3", "SHIFTS"),
        ("shifted_digit", "SHIFTS=", "SHIFTS"),
        ("test_size_bias", "BLOCK=5000", "BLOCK"),  # quick: TEST_SIZE = 1000
        ("test_size_bias", "BLOCK=20000", "BLOCK"),
        ("prediction", "EXAMPLE=10000", "EXAMPLE"),  # the sample has 10,000 training examples
        ("learning_rate", "LEARNING_RATES=0.1,-1", "LEARNING_RATES"),
        ("learning_rate", "LEARNING_RATES=", "LEARNING_RATES"),
    ],
)
def test_bad_parameters_fail_before_training(name, setting, param, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
    args = ["build", name, "--quick", "--set", setting, "--out", str(tmp_path / "out")]
    assert main(args) == 2
    captured = capsys.readouterr()
    errors = [
        line for line in (captured.out + captured.err).splitlines() if line.startswith("figgen: error:")
    ]
    assert len(errors) == 1 and f"{name}.{param}" in errors[0], captured
    assert "Traceback" not in captured.out + captured.err
    assert not (tmp_path / "cache").exists()  # nothing was trained


def test_accuracy_rises_with_training_size_on_the_quick_setting():
    data = load_dataset("sample")
    sizes = default_sweep_sizes(300, 14)
    x, y = data.train(max(sizes))
    xt, yt = data.test(1000)
    sweep = sweep_training_sizes(x, y, xt, yt, sizes, learning_rate=0.1, steps=60)
    assert sweep.sizes[0] == 1 and sweep.sizes[-1] == 300
    assert sweep.accuracy[-1] > sweep.accuracy[0] + 0.4
    assert sweep.accuracy[-1] > 0.6
