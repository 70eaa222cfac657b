"""The text's first figures: their computed numbers, the gradient-descent frames, and each recipe's build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from figgen.cli import main

RECIPES = Path(__file__).resolve().parents[1] / "recipes"


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
        files = (
            [f"{stem}.png", f"{stem}.svg"]
            if kind == "still"
            else [f"{stem}.{f}" for f in ("gif", "mp4", "html")]
        )
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
                assert im.n_frames > 1 and im.size == (800, 560)  # parabolas above, distance strips below
            import imageio.v3 as iio

            assert iio.imread(out / f"{stem}.mp4", index=0).shape == (560, 800, 3)
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
        ("gradient_descent", ["X0=100.5"], "X0"),
        ("gradient_descent", ["LEARNING_RATES=0.1,-1"], "LEARNING_RATES"),  # the knob's rule, before any work
        ("gradient_descent", ["LEARNING_RATES=0.1,2.5"], "LEARNING_RATES"),  # the recipe's LIMITS narrow it
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
