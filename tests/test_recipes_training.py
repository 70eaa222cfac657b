"""The training recipes (curve, weights, rates, predictions, sizes, shifts) and figgen.figures.training."""

from __future__ import annotations

import hashlib
import json
import re

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from figgen.cli import main
from figgen.data import load_dataset
from figgen.recipe.spec import default_recipe_dir, read_recipe
from figgen.training import default_sweep_sizes, sweep_training_sizes
from tests.test_data import CLOTHES

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
        assert set(mine) == ({"gif", "mp4", "html"} if kind == "animation" else {"png", "svg"})
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
            assert mine["html"]["frames"] == mine["gif"]["frames"]  # the player shows the GIF's frames
            assert '"captions":["Step ' in (root / "out" / f"{stem}.html").read_text()  # as text


def test_quick_builds_are_byte_identical(built):
    root, _ = built
    names = ("weights_training.gif", "weights_training.mp4", "weights_training.html", "test_size_bias.png")
    for name in (*names, "test_size_bias.svg"):
        assert (root / "out" / name).read_bytes() == (root / "again" / name).read_bytes(), name


def test_worker_processes_train_to_the_same_bytes_as_a_serial_build_training_ahead(built, monkeypatch):
    # the serial build trained on its training thread while it drew; workers train inline, own cache
    root, manifest = built
    monkeypatch.setenv("FIGGEN_CACHE", str(root / "workers-cache"))
    names = ["weights_training", "learning_rate", "prediction"]
    assert main(["build", *names, "--quick", "--jobs", "3", "--out", str(root / "workers")]) == 0
    workers = json.loads((root / "workers" / "manifest.json").read_text())
    serial = {r["path"]: r["sha256"] for r in manifest["outputs"] if r["recipe"] in names}
    assert {r["path"]: r["sha256"] for r in workers["outputs"]} == serial and len(
        serial
    ) == 10  # weights_training: gif, mp4, html, filmstrip png + pdf, poster


def test_alt_texts_carry_the_computed_numbers(built):
    _, manifest = built
    alt = {r["output"]: r["alt"] for r in manifest["outputs"]}
    assert "10 disjoint blocks of 100" in alt["test_size_bias"]  # quick: 1,000 test digits
    assert "a 1, shifted left by 0, 1, 2" in alt["shifted_digit"]
    assert alt["prediction"].startswith("Training example 5000 (the text's x_train[0]), a handwritten 7")
    for words in ("0.01 crawls: loss", "0.1 (the text's rate) converges: loss", "0.5 converges: loss"):
        assert words in alt["learning_rate"]


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
        ("learning_rate", "LEARNING_RATES=" + ",".join(["0.1"] * 9), "LEARNING_RATES"),  # at most 8 curves
        ("training_curve", "TRAIN_STEPS=100001", "TRAIN_STEPS"),  # would take hours: refused up front
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


def test_a_data_set_of_other_classes_speaks_of_them_everywhere(tmp_path, monkeypatch, capsys):
    """MNIST's format with clothes for classes (a labels.txt beside the IDX files): no "digit 7" anywhere."""
    import gzip

    sample = load_dataset("sample")
    folder = tmp_path / "fashion"
    folder.mkdir()
    parts = {
        "train-images-idx3-ubyte": (2051, sample.train_pixels[:600]),
        "train-labels-idx1-ubyte": (2049, sample.train_labels[:600]),
        "t10k-images-idx3-ubyte": (2051, sample.test_pixels[:300]),
        "t10k-labels-idx1-ubyte": (2049, sample.test_labels[:300]),
    }
    for stem, (magic, array) in parts.items():
        header = b"".join(v.to_bytes(4, "big") for v in (magic, *array.shape))
        (folder / f"{stem}.gz").write_bytes(gzip.compress(header + array.tobytes(), mtime=0))
    (folder / "labels.txt").write_text("\n".join(CLOTHES) + "\n")
    monkeypatch.chdir(tmp_path)
    recipes = [
        "digit",
        "one_hot",
        "cross_entropy",
        "weights",
        "prediction",
        "predictions_grid",
        "shifted_digit",
    ]
    argv = ["build", *recipes, "--quick", "--data", str(folder), "--set", "TEST_SIZE=300", "--formats", "png"]
    assert main([*argv, "--out", "out"]) == 0, capsys.readouterr().err
    alts = {
        r["recipe"]: r["alt"] for r in json.loads((tmp_path / "out" / "manifest.json").read_text())["outputs"]
    }
    assert "a Sandal" in alts["digit"] and "handwritten" not in alts["digit"]  # image 0 is MNIST's 5
    assert "a Sneaker" in alts["one_hot"] and "cell of Sneaker" in alts["one_hot"]
    assert "true class Dress" in alts["cross_entropy"] and "a true Pullover" in alts["cross_entropy"]
    assert "(T-shirt to Ankle boot)" in alts["weights"]
    assert (
        "Training example 0, a Sandal" in alts["prediction"]
    )  # the text's example (image 5,000) is not here
    assert "a Trouser, shifted left" in alts["shifted_digit"]
    predicted = re.search(r"is predicted (.+?); ", alts["shifted_digit"]).group(1).split(", ")
    assert predicted and set(predicted) <= set(CLOTHES)  # every prediction by its class's name
    main(["data", "--data", str(folder)])
    assert "classes      T-shirt, Trouser, Pullover" in capsys.readouterr().out


def test_the_first_training_sheets_are_visible_on_their_own_scale(built):
    root, manifest = built
    gif = Image.open(root / "out" / "weights_training.gif")

    def coloured(frame: int) -> float:
        gif.seek(frame)
        pixels = np.asarray(gif.convert("RGB"), np.int16)[40:-40, 40:-120]  # the panels, no colour bar
        return float((np.abs(pixels - 255).max(axis=-1) > 60).mean())  # clearly red or blue, not white

    first, last = coloured(1), coloured(gif.n_frames - 1)
    assert first > 0.4 * last > 0  # on one shared scale the first sheets were nearly blank
    alt = next(r["alt"] for r in manifest["outputs"] if r["path"] == "weights_training.gif")
    assert "each on its own colour scale, from ±" in alt


def test_weights_evolution_shows_the_training_sizes_asked_for(tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["build", "weights_evolution", "--quick", "--formats", "gif", "--out", str(out)]
    assert main([*argv, "--set", "SIZES=1,30,300"]) == 0
    record = json.loads((out / "manifest.json").read_text())["outputs"][0]
    assert record["frames"] == 3 and "from 1 to 300 examples" in record["alt"]
    assert main([*argv, "--set", "SIZES=1,301"]) == 2
    assert "weights_evolution.SIZES must be at most TRAIN_SIZE = 300, got 301" in capsys.readouterr().err
