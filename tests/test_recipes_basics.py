"""The text's first figures: their computed numbers, the gradient-descent frames, and each recipe's build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from figgen.cli import main
from figgen.data import load_dataset
from figgen.draw import get_preset, get_theme
from figgen.errors import FiggenError
from figgen.figures.basics import (
    check_logits,
    check_prediction,
    cross_entropy,
    first_with_label,
    probability_text,
    softmax,
    training_example,
    training_rows,
    truncate,
)
from figgen.figures.descent import descent_frames, gradient_descent_path, half_range, learning_rate_verdict

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
J = [0.03, 0.03, 0.01, 0.9, 0.01, 0.01, 0.0025, 0.0025, 0.0025, 0.0025]


# --- the maths ------------------------------------------------------------------------------------


def test_softmax_of_zeros_is_uniform():
    np.testing.assert_allclose(softmax(np.zeros(4)), [0.25] * 4)
    np.testing.assert_allclose(softmax(np.zeros(10)), [0.1] * 10)


def test_softmax_of_the_texts_logits():
    probs = softmax([0.1, 0.005, 2])
    assert probs.round(3).tolist() == [0.116, 0.106, 0.778]
    assert [probability_text(p) for p in probs] == ["0.116", "0.106", "0.778"]
    assert probs.sum() == pytest.approx(1.0)
    # stable for large logits, same as the plain formula where that does not overflow
    np.testing.assert_allclose(softmax([1000.1, 1000.005, 1002]), probs)


def test_cross_entropy_of_the_texts_examples():
    right, wrong = cross_entropy(J, 3), cross_entropy(J, 2)
    assert truncate(right) == "0.1053" and truncate(wrong) == "4.6051"
    for label, value in ((3, right), (2, wrong)):
        k = np.eye(10)[label]
        assert value == pytest.approx(np.sum(-np.multiply(np.log(J), k)))  # the text's own expression
    assert cross_entropy([0.0, 1.0], 1) == 0.0  # a zero elsewhere costs nothing (no nan from 0 * log 0)


def test_truncate_cuts_rather_than_rounds():
    assert truncate(0.10536) == "0.1053" and truncate(4.60517) == "4.6051" and truncate(2.0, 2) == "2.00"


def test_gradient_descent_path_follows_the_update_rule():
    path = gradient_descent_path(4.0, 0.3, 5)
    assert len(path) == 6 and path[0] == 4.0
    np.testing.assert_allclose(path[1:], path[:-1] - 0.3 * 2 * path[:-1])


@pytest.mark.parametrize("rate", [0.02, 0.3, 0.6])
def test_gradient_descent_converges_for_rates_below_one(rate):
    path = np.abs(gradient_descent_path(4.0, rate, 400))
    assert np.all(np.diff(path) < 0)
    assert path[-1] < 1e-6


def test_gradient_descent_diverges_for_a_rate_above_one():
    path = gradient_descent_path(4.0, 1.05, 30)
    assert np.all(np.diff(np.abs(path)) > 0)
    assert np.all(np.sign(path[1:]) != np.sign(path[:-1]))  # it overshoots on every step
    assert abs(path[-1]) == pytest.approx(4.0 * 1.1**30)


def test_learning_rate_verdicts():
    verdicts = [learning_rate_verdict(gradient_descent_path(4.0, r, 30)) for r in (0.02, 0.3, 0.6, 1.0, 1.05)]
    assert verdicts == [
        "too small: crawls",
        "good: converges",
        "overshoots, converges",
        "too large: bounces",
        "too large: diverges",
    ]


# --- frames and data helpers ----------------------------------------------------------------------


def _ball_pixels(frame: np.ndarray, colour, third: int) -> int:
    """Pixels of exactly ``colour`` in the plot area (below titles, above ticks) of panel ``third``."""
    h, w = frame.shape[0], frame.shape[1] // 3
    region = frame[round(0.2 * h) : round(0.86 * h), third * w : (third + 1) * w, :3]
    return int(np.all(region == colour, axis=-1).sum())


@pytest.mark.parametrize("steps", [12, 60])  # 60: the diverging ball leaves the widest chart
def test_descent_frames_keep_every_ball_in_sight(steps):
    theme, preset = get_theme("light"), get_preset("docs")
    rates = [0.02, 0.3, 1.05]
    paths = [gradient_descent_path(4.0, r, steps) for r in rates]
    frames = list(descent_frames(paths, rates, theme, preset))
    assert len(frames) == steps + 1
    assert {f.shape for f in frames} == {(400, 800, 3)}
    for frame in frames:  # each panel shows its colour: ball, trail or the off-chart arrow
        for third, colour in enumerate((theme.accent, theme.good, theme.mistake)):
            assert _ball_pixels(frame, colour, third) > 20
    assert not np.array_equal(frames[1], frames[-1])
    for third, colour in enumerate((theme.accent, theme.good, theme.mistake)):
        assert _ball_pixels(frames[0], colour, third) >= 90  # a whole ball, before any trail


def test_panels_widen_to_the_positions_reached_up_to_a_cap():
    assert half_range(gradient_descent_path(4.0, 0.3, 30)) == pytest.approx(4.4)
    assert half_range(gradient_descent_path(-4.0, 0.02, 30)) == pytest.approx(4.4)
    assert half_range(gradient_descent_path(4.0, 1.05, 30)) == pytest.approx(1.1 * 4 * 1.1**30)
    assert half_range(gradient_descent_path(4.0, 1.05, 300)) == pytest.approx(1.1 * 20 * 4)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_descent_frames_fit_one_gif_palette(theme):
    rates = [0.02, 0.3, 1.05]
    paths = [gradient_descent_path(4.0, r, 30) for r in rates]
    seen = set()
    for frame in descent_frames(paths, rates, get_theme(theme), get_preset("docs")):
        rgb = frame.reshape(-1, 3).astype(np.uint32)
        seen.update(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]).tolist())
    assert len(seen) <= 255


def test_descent_frames_transparent_theme_gives_rgba():
    theme, preset = get_theme("transparent"), get_preset("docs")
    frame = next(descent_frames([gradient_descent_path(4.0, 0.3, 3)], [0.3], theme, preset))
    assert frame.shape == (400, 800, 4) and frame[..., 3].min() == 0 and frame[..., 3].max() == 255


def test_training_example_and_first_with_label():
    data = load_dataset("sample")
    index = first_with_label(data, 7)
    image, label = training_example(data, index, "one_hot.LABEL")
    assert label == 7 and image.shape == (784,) and 0 <= image.min() and image.max() <= 1
    assert all(data.train_labels[:index] != 7)
    with pytest.raises(FiggenError, match="digit.EXAMPLE"):
        training_example(data, data.n_train, "digit.EXAMPLE")


# --- the recipes ----------------------------------------------------------------------------------

OUTPUTS = {
    "digit": {"digit": "still"},
    "digits_flat": {"digits_flat": "still"},
    "one_hot": {"one_hot": "still"},
    "softmax": {"softmax": "still"},
    "cross_entropy": {"cross_entropy": "still"},
    "gradient_descent": {"gradient_descent": "animation"},
}
ALT_NUMBERS = {
    "softmax": ["0.25", "0.116, 0.106, 0.778"],
    "cross_entropy": ["0.1053", "4.6051"],
    "one_hot": ["[0,0,0,0,0,0,0,1,0,0]"],
    "digit": ["Example: 0 Label: 5"],
}


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_recipe_builds_quick(name, tmp_path, monkeypatch):
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    assert main(["build", name, "--quick", "--out", str(out), "--recipes", str(RECIPES)]) == 0
    listed = {r["path"]: r for r in json.loads((out / "manifest.json").read_text())["outputs"]}
    for stem, kind in OUTPUTS[name].items():
        files = [f"{stem}.png", f"{stem}.svg"] if kind == "still" else [f"{stem}.gif", f"{stem}.mp4"]
        if kind == "animation":
            files += [f"{stem}_filmstrip.png"]
        for file in files:
            assert (out / file).is_file(), file
            record = listed[file]
            assert record["recipe"] == name and len(record["alt"]) > 30
        if kind == "still":
            with Image.open(out / f"{stem}.png") as im:
                assert im.size == (listed[f"{stem}.png"]["width"], listed[f"{stem}.png"]["height"])
                assert im.size[0] == 800
            assert (out / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        else:
            with Image.open(out / f"{stem}.gif") as im:
                assert im.n_frames > 1 and im.size == (800, 400)
            import imageio.v3 as iio

            assert iio.imread(out / f"{stem}.mp4", index=0).shape == (400, 800, 3)
            assert iio.immeta(out / f"{stem}.mp4")["duration"] > 1
        alt = listed[files[0]]["alt"]
        for number in ALT_NUMBERS.get(name, []):
            assert number in alt, (number, alt)


def test_gradient_descent_alt_reports_divergence(tmp_path, monkeypatch):
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    args = ["build", "gradient_descent", "--formats", "gif", "--out", str(out), "--recipes", str(RECIPES)]
    assert main([*args, "--set", "STEPS=6"]) == 0
    alt = json.loads((out / "manifest.json").read_text())["outputs"][0]["alt"]
    assert re.search(r"1\.05 \(too large: diverges, x = 7\.09\)", alt), alt  # 4 · (−1.1)^6 = 7.086


@pytest.mark.filterwarnings("error::RuntimeWarning")  # no overflow or log(0) on the way to the error
@pytest.mark.parametrize(
    "name, settings, param",
    [
        ("gradient_descent", ["X0=0"], "X0"),
        ("gradient_descent", ["LEARNING_RATES=0.1,-1"], "LEARNING_RATES"),  # KNOWN rule, before any work
        ("gradient_descent", ["LEARNING_RATES=0.1,0.2,0.3,0.4,0.5"], "LEARNING_RATES"),  # at most 4 panels
        ("digit", ["EXAMPLE=999999"], "EXAMPLE"),
        ("digit", ["EXAMPLE=10000"], "EXAMPLE"),  # the sample has training examples 0 to 9999
        ("digits_flat", ["START=10000"], "START"),
        ("digits_flat", ["STOP=10001"], "STOP"),
        ("digits_flat", ["START=5", "STOP=5"], "START"),
        ("digits_flat", ["START=300", "STOP=200"], "START"),
        ("one_hot", ["LABEL=10"], "LABEL"),
        ("softmax", ["LOGITS="], "LOGITS"),
        ("softmax", ["LOGITS=" + ",".join(["1"] * 13)], "LOGITS"),
        ("cross_entropy", ["PREDICTION=0.5,0.5"], "PREDICTION"),  # IndexError before
        ("cross_entropy", ["PREDICTION=2,-1,0,0,0,0,0,0,0,0"], "PREDICTION"),  # OverflowError before
        ("cross_entropy", ["PREDICTION=0,0,0,1,0,0,0,0,0,0"], "PREDICTION"),  # −log(0) is infinite
        ("cross_entropy", ["PREDICTION=0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5"], "PREDICTION"),
        ("cross_entropy", ["WRONG_LABEL=10"], "WRONG_LABEL"),
    ],
)
def test_bad_parameters_are_usage_errors(name, settings, param, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
    args = ["build", name, "--strict", "--out", str(tmp_path / "out"), "--recipes", str(RECIPES)]
    for setting in settings:
        args += ["--set", setting]
    assert main(args) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    errors = [line for line in text.splitlines() if line.startswith("figgen: error:")]
    assert len(errors) == 1 and f"{name}.{param}" in errors[0], text
    assert "Traceback" not in text and "Error:" not in errors[0], text  # no exception class names
    assert not list((tmp_path / "out").glob(f"{name}.*"))


def test_prediction_checks():
    check_prediction(J, "cross_entropy.PREDICTION")
    check_prediction([0.33, 0.33, 0.34] + [1e-9] * 7, "p")  # hand-typed values: a sum within 0.01 of 1
    for bad, words in [
        ([0.5, 0.5], "have 10 probabilities, one per digit 0 to 9, got 2"),
        ([0.0] * 9 + [1.0], "above 0 and at most 1, got 0"),
        ([0.2] * 10, "sum to 1"),
        ([1.5, -0.5] + [0.0] * 8, "above 0 and at most 1, got 1.5"),
    ]:
        with pytest.raises(FiggenError, match=rf"^x\.PREDICTION must .*{words}"):
            check_prediction(bad, "x.PREDICTION")


def test_logits_and_rows_checks():
    check_logits([0.0] * 12, "softmax.LOGITS")
    with pytest.raises(FiggenError, match=r"^softmax.LOGITS must have at most 12 values, got 13$"):
        check_logits([0.0] * 13, "softmax.LOGITS")
    data = load_dataset("sample")
    assert training_rows(data, 3, 5, "digits_flat").shape == (2, 784)
    np.testing.assert_array_equal(training_rows(data, 3, 5, "digits_flat"), data.train(5)[0][3:])
    with pytest.raises(FiggenError, match=r"^digits_flat.START must be below digits_flat.STOP, got START=5"):
        training_rows(data, 5, 5, "digits_flat")
