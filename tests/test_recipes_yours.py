"""figgen's own recipes and the user's: a project's recipes/ adds to figgen's and replaces them by name,
``builtin_recipes = false`` builds the user's alone, ``figgen recipes copy`` starts a copy, and a quick
build never lands on the real figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import figgen
from figgen.cli import main
from figgen.recipe.spec import builtin_recipe_dir, discover_recipes
from tests.conftest import SQUARE, write_recipe

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p.stem for p in (ROOT / "recipes").glob("*.py"))
# a recipe of the user's named digit: figgen's digit is a training digit, theirs a square
MY_DIGIT = SQUARE.replace('"""A square.', '"""My digit.').replace('"square"', '"digit"')


@pytest.fixture
def here(tmp_path, monkeypatch):
    """An empty project folder as the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_with_no_recipes_folder_figgens_own_are_the_catalogue(here):
    recipes = figgen.list_recipes()
    assert sorted(r.name for r in recipes) == SHIPPED
    assert all(r.path.parent == builtin_recipe_dir() for r in recipes)
    assert recipes.folders == [builtin_recipe_dir()]
    assert list(here.iterdir()) == []


def test_the_users_recipes_add_to_figgens_and_replace_them_by_name(here, capsys):
    (here / "recipes").mkdir()
    write_recipe(here / "recipes", "digit", MY_DIGIT)
    write_recipe(here / "recipes", "square", SQUARE)
    recipes = {r.name: r for r in figgen.list_recipes()}
    assert sorted(recipes) == sorted({*SHIPPED, "square"})
    assert recipes["digit"].title == "My digit." and recipes["digit"].path == Path("recipes/digit.py")
    assert recipes["weights"].path.parent == builtin_recipe_dir()

    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "[yours:" in line] == [
        line for line in lines if line.startswith(("digit ", "square "))
    ]
    assert main(["list", "--json"]) == 0
    listed = {r["name"]: r["builtin"] for r in json.loads(capsys.readouterr().out)}
    assert listed["digit"] is False and listed["square"] is False and listed["softmax"] is True

    # the build runs the user's digit: a 40-pixel square, not figgen's 28x28 digit drawn large
    (output,) = figgen.run_recipe("digit", out="out", formats=["png"])
    assert (output.width, output.height) == (40, 40)


def test_builtin_recipes_false_builds_the_users_alone(here):
    (here / "recipes").mkdir()
    write_recipe(here / "recipes", "square", SQUARE)
    (here / "figgen.toml").write_text("builtin_recipes = false\n")
    assert [r.name for r in figgen.list_recipes()] == ["square"]
    result = figgen.build(out="out", formats=["png"])
    assert [r.name for r in result.recipes] == ["square"]
    (here / "figgen.toml").write_text("builtin_recipes = 'no'\n")
    with pytest.raises(figgen.FiggenError, match=r"builtin_recipes.*expected bool"):
        figgen.list_recipes()


def test_a_named_folder_must_exist_and_recipes_here_is_optional(here):
    with pytest.raises(figgen.FiggenError, match="recipe folder mine does not exist"):
        figgen.list_recipes("mine")
    assert main(["list", "--recipes", "mine"]) == 2
    assert sorted(r.name for r in discover_recipes()) == SHIPPED  # no recipes/ here: figgen's own


def test_copy_puts_figgens_recipe_into_the_users_folder_and_never_replaces_one(here, capsys):
    assert main(["recipes", "copy", "digit", "softmax"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("copied digit to recipes/digit.py")
    for name in ("digit", "softmax"):
        assert (here / "recipes" / f"{name}.py").read_bytes() == (
            builtin_recipe_dir() / f"{name}.py"
        ).read_bytes()
    assert figgen.list_recipes().folders == [builtin_recipe_dir(), Path("recipes")]

    (here / "recipes" / "digit.py").write_text(MY_DIGIT)  # the user's edit
    assert main(["recipes", "copy", "weights", "digit"]) == 2  # one exists: nothing is copied
    assert "recipes/digit.py already exists" in capsys.readouterr().err
    assert not (here / "recipes" / "weights.py").exists()
    assert (here / "recipes" / "digit.py").read_text() == MY_DIGIT
    assert main(["recipes", "copy", "wieghts"]) == 2
    assert "figgen has no recipe 'wieghts' (did you mean 'weights'?)" in capsys.readouterr().err

    copies = figgen.copy_recipes("weights", to="elsewhere/mine")
    assert copies == [Path("elsewhere/mine/weights.py")] and copies[0].is_file()
    with pytest.raises(figgen.FiggenError, match="recipes must be a recipe name or a list of them"):
        figgen.copy_recipes(3)


def test_a_quick_build_goes_apart_from_the_real_figures_and_clean_removes_what_builds_made(here):
    (here / "recipes").mkdir()
    write_recipe(here / "recipes", "square", SQUARE)
    (here / "figgen.toml").write_text("builtin_recipes = false\n")
    figgen.build(formats=["png"])
    (quick,) = figgen.run_recipe("square", quick=True, formats=["png"])
    assert quick.path == Path("output/quick/square.png") and quick.width == 20  # QUICK's SIDE
    assert (here / "output" / "square.png").is_file()  # the real one stays
    (named,) = figgen.run_recipe("square", quick=True, out="preview", formats=["png"])
    assert named.path == Path("preview/square.png")  # a folder named is used as it is

    lines = figgen.clean()
    assert lines[0] == "removed 4 files from output/quick" and "removed the folder output" in lines[-1]
    assert not (here / "output").exists()
    figgen.clean("preview")
    assert not (here / "preview").exists()

    (here / "kept").mkdir()
    (here / "kept" / "notes.txt").write_text("mine")
    figgen.build(out="kept/figs", formats=["png"])
    figgen.clean("kept/figs")  # figgen made figs, not kept, which holds the user's file
    assert sorted(p.name for p in (here / "kept").iterdir()) == ["notes.txt"]

    (here / "output" / "quick").mkdir(parents=True)  # a quick/ of the user's own: not figgen's to clean
    (here / "output" / "quick" / "plan.txt").write_text("mine")
    figgen.build(formats=["png"])
    lines = figgen.clean()  # the real figures' folder is cleaned; quick/ is left as it is
    assert lines[0].startswith("removed") and "quick" not in " ".join(lines)
    assert (here / "output" / "quick" / "plan.txt").read_text() == "mine"


def test_public_names_and_api_errors_speak_python():
    assert dir(figgen) == sorted(figgen.__all__)
    assert "api" not in dir(figgen) and "copy_recipes" in dir(figgen)


def test_api_errors_name_the_parameter_not_a_command_line_flag(here):
    with pytest.raises(figgen.FiggenError) as error:
        figgen.build(["weights"], params={"nope.X": 1}, out="out")
    assert "--" not in str(error.value) and "unknown recipe 'nope'" in str(error.value)
    with pytest.raises(figgen.FiggenError) as error:
        figgen.build(["weights"], params={"TRAIN_SIZE": 10**9}, out="out")
    assert "--" not in str(error.value) and "use TRAIN_SIZE=10000" in str(error.value)
