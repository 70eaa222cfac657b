"""recipe.spec: reading recipes without running them, their knobs and parameters, and running one file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from figgen.cli import main
from figgen.core.errors import FiggenError
from figgen.recipe.spec import coerce, default_recipe_dir, discover_recipes, read_recipe
from tests.conftest import write_recipe


def test_recipe_without_docstring_is_an_error(project, capsys):
    (project / "recipes" / "nodoc.py").write_text('OUTPUTS = {"a": "still"}\ndef make(ctx, p):\n    pass\n')
    assert main(["list"]) == 2
    assert "needs a module docstring" in capsys.readouterr().err


def test_a_recipe_file_runs_on_its_own(project):
    done = subprocess.run(
        [sys.executable, "recipes/square.py", "--out", "solo", "--set", "SIDE=12"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert Image.open(project / "solo" / "square.png").size == (12, 12)
    quick = subprocess.run(
        [sys.executable, "recipes/square.py", "--out", "solo", "--quick"], cwd=project, capture_output=True
    )
    assert quick.returncode == 0 and Image.open(project / "solo" / "square.png").size == (20, 20)
    # a bad value: the build's one-line error and exit code, as `figgen build square --set SIDE=1`
    bad = subprocess.run(
        [sys.executable, "recipes/square.py", "--out", "solo", "--set", "SIDE=1"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("figgen: error: square.SIDE must be at least 2")


def test_the_catalogue_order_is_each_recipes_order_then_its_name(tmp_path, capsys):
    shipped = [r.name for r in discover_recipes(default_recipe_dir())]
    assert shipped == [
        "digit",
        "digits_flat",
        "one_hot",
        "softmax",
        "matrix_shapes",
        "cross_entropy",
        "training_curve",
        "training_log",
        "weights",
        "weights_evolution",
        "weights_training",
        "explore_training",
        "gradient_descent",
        "explore_descent",
        "loss_surface",
        "learning_rate",
        "prediction",
        "prediction_pipeline",
        "draw_digit",
        "predictions_grid",
        "confusion_matrix",
        "per_class_accuracy",
        "training_mistake",
        "accuracy_vs_size",
        "overfitting",
        "test_size_bias",
        "shifted_digit",
    ]
    assert main(["list", "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == shipped
    square = '"""A square."""\nORDER = ORDINAL\nOUTPUTS = {"square": "still"}\n'
    for name, order in [("b", "2.5"), ("a", "20"), ("c", "2.5"), ("z", "-1")]:
        write_recipe(tmp_path, name, square.replace("ORDINAL", order))
    for name in ("y", "x"):
        write_recipe(tmp_path, name, square.replace("ORDER = ORDINAL\n", ""))
    assert [r.name for r in discover_recipes(tmp_path, builtin=False)] == ["z", "b", "c", "a", "x", "y"]
    for order in ("True", "'first'", "float('nan')", "1e999"):
        write_recipe(tmp_path, "bad", square.replace("ORDINAL", order))
        with pytest.raises(FiggenError, match="ORDER must be a number|ORDER must be a literal"):
            read_recipe(tmp_path / "bad.py")


def test_list_json_reads_recipes_without_running_them(project, capsys):
    assert main(["list", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["square"]["title"] == "A square."
    assert listed["square"]["outputs"] == {"square": "still"}
    assert listed["blink"]["params"] == {"FRAMES": 4}


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        ("12", 5, 12),
        ("1_000", 5, 1000),
        ("0.5", 0.1, 0.5),
        ("2", 0.1, 2.0),
        ("yes", False, True),
        ("off", True, False),
        ("1,2,3", [4], [1, 2, 3]),
        ("[0.1, 2]", [0.5], [0.1, 2.0]),
        (3, 0.5, 3.0),
        ("text", "a", "text"),
    ],
)
def test_values_are_coerced_to_the_default_type(raw, default, expected):
    value = coerce("r.K", raw, default)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("raw", "default"), [("1.5", 5), ("maybe", True), ("__import__('os')", [1]), (True, 5), ("a,b", [1])]
)
def test_bad_values_are_refused_without_evaluating_them(raw, default):
    with pytest.raises(FiggenError, match="r.K must be"):
        coerce("r.K", raw, default)


KNOBBED = '''
"""Knobbed.

Uses the text's knobs by name.
"""
KNOBS = ("TRAIN_SIZE", "LEARNING_RATE")
PARAMS = {"FRAMES": 36, "LEARNING_RATE": 0.5}
QUICK = {"FRAMES": 4}
LIMITS = {"FRAMES": (2, 400)}
OUTPUTS = {"k": "still"}
'''


def test_knobs_come_from_one_place_and_a_recipe_names_only_what_differs(tmp_path):
    recipe = read_recipe(write_recipe(tmp_path, "knobbed", KNOBBED))
    assert recipe.params == {"TRAIN_SIZE": 5500, "LEARNING_RATE": 0.5, "FRAMES": 36}
    assert recipe.quick == {"TRAIN_SIZE": 300, "FRAMES": 4}  # the shared quick size, and its own
    assert recipe.resolve({"TRAIN_SIZE": "20"}, quick=True) == {
        "TRAIN_SIZE": 20,
        "LEARNING_RATE": 0.5,
        "FRAMES": 4,
    }
    p = recipe.parameters(recipe.resolve())
    assert (p.TRAIN_SIZE, p.LEARNING_RATE, p.FRAMES) == (5500, 0.5, 36)
    with pytest.raises(FiggenError, match="^knobbed.TRAIN_SIZE must be at least 1, got 0$"):
        recipe.resolve({"TRAIN_SIZE": "0"})
    with pytest.raises(FiggenError, match="^knobbed.FRAMES must be at most 400, got 401$"):
        recipe.resolve({"FRAMES": 401})
    with pytest.raises(FiggenError, match="has no parameter 'FRAME' \\(did you mean 'FRAMES'\\?\\)"):
        recipe.resolve({"FRAME": 3})


def test_unknown_knobs_are_refused(tmp_path):
    path = write_recipe(tmp_path, "bad", KNOBBED.replace('"LEARNING_RATE")', '"LEARNING_RATES")'))
    with pytest.raises(FiggenError, match="KNOBS must list some of TRAIN_SIZE, TEST_SIZE"):
        read_recipe(path)


# --- property-based: any --set text ---------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ALL = discover_recipes(default_recipe_dir())
PARAMS = sorted({(r.name, key) for r in ALL for key in r.params})


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    which=st.sampled_from(PARAMS),
    raw=st.one_of(
        st.text(max_size=30),
        st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{0,4})?(e-?[0-9]{1,3})?", fullmatch=True),
        st.lists(st.from_regex(r"-?[0-9]{1,3}(\.[0-9])?", fullmatch=True), max_size=12).map(",".join),
    ),
)
def test_any_set_value_is_taken_or_refused_in_one_line_naming_the_parameter(which, raw):
    from figgen.data import load_dataset

    name, key = which
    recipe = next(r for r in ALL if r.name == name)
    try:
        values = recipe.resolve({key: raw}, quick=True, data=load_dataset("sample"))
    except FiggenError as exc:
        assert f"{name}." in str(exc) and "\n" not in str(exc), exc
    else:
        assert type(values[key]) is type(recipe.params[key])


def test_list_shows_each_parameter_with_its_default_quick_value_and_range(project, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "SIDE = 40, quick 20  (2 to 400)" in out and "LEVEL = 0.5" in out
    assert main(["list", "--recipes", str(Path(__file__).resolve().parents[1] / "recipes")]) == 0
    out = capsys.readouterr().out
    assert "TRAIN_SIZE = 5500, quick 300  (1 to the training examples)" in out
    assert "LEARNING_RATES = 0.02,0.3,0.9,1.05  (above 0, at most 2; 1 to 4 values)" in out
    assert "EXAMPLE = -1  (-1 to the last training example)" in out
