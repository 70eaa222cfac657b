"""A recipe file that cannot be read (a syntax error, a missing docstring) is that recipe's failure: ``list``
shows the others and names it in one line (file and line), ``build`` builds the others and fails it (exit 2),
and a build of other recipes does not notice it. ``list`` and ``build`` read the same folder (figgen.toml's
``recipes_dir``), and a recipe folder that is a file says so."""

from __future__ import annotations

import json
import warnings

import pytest

import figgen
from figgen.cli import main
from figgen.core.errors import FiggenError, FiggenWarning
from figgen.recipe.spec import discover_recipes
from tests.conftest import OWN_RECIPES, SQUARE, write_recipe

BROKEN = '''
"""Broken.

A recipe with a syntax error on its fifth line.
"""
OUTPUTS = {"broken": "still"
def make(ctx, p):
    pass
'''


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("figgen: ")]


def test_list_shows_the_other_recipes_and_names_the_broken_one(project, capsys):
    write_recipe(project / "recipes", "broken", BROKEN)
    assert main(["list"]) == 2
    out, err = capsys.readouterr()
    assert [line.split()[0] for line in out.splitlines() if not line.startswith(" ")] == ["blink", "square"]
    assert err.splitlines() == [
        "figgen: error: recipe broken cannot be read: recipes/broken.py:5: '{' was never closed"
    ]
    assert main(["list", "--json"]) == 2
    out, err = capsys.readouterr()
    assert [r["name"] for r in json.loads(out)] == ["blink", "square"]
    assert len(err.splitlines()) == 1 and "broken.py:5" in err


def test_build_builds_the_others_and_fails_the_broken_one_with_exit_2(project, capsys):
    write_recipe(project / "recipes", "broken", BROKEN)
    assert main(["build", "--out", "out"]) == 2
    out, err = capsys.readouterr()
    assert error_lines(err) == [
        "figgen: error: recipe broken failed: recipes/broken.py:5: '{' was never closed"
    ]
    assert "broken               FAILED" in out
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    assert sorted(manifest["recipes"]) == ["blink", "square"]
    assert main(["build", "square", "--out", "out"]) == 0  # only others: no word of it
    assert error_lines(capsys.readouterr().err) == []
    assert main(["build", "broken", "--out", "out"]) == 2  # named: its own failure, not "unknown recipe"
    assert error_lines(capsys.readouterr().err) == [
        "figgen: error: recipe broken failed: recipes/broken.py:5: '{' was never closed"
    ]


def test_every_way_a_recipe_file_is_unreadable_is_that_recipes_failure(project, capsys):
    write_recipe(project / "recipes", "nodoc", 'OUTPUTS = {"a": "still"}\n')
    write_recipe(project / "recipes", "noutputs", '"""No outputs."""\n')
    (project / "recipes" / "Bad-Name.py").write_text(SQUARE)
    (project / "recipes" / "nulls.py").write_bytes(b'"""Nulls."""\n\x00\n')
    assert main(["list"]) == 2
    out, err = capsys.readouterr()
    assert "square" in out and "blink" in out
    assert len(err.splitlines()) == 4 and all(
        line.startswith("figgen: error: recipe ") for line in err.splitlines()
    )
    assert main(["build", "square", "blink", "--out", "out"]) == 0


def test_the_api_lists_the_readable_recipes_and_warns_of_the_others(project):
    write_recipe(project / "recipes", "broken", BROKEN)
    with pytest.warns(FiggenWarning, match=r"recipe broken cannot be read: recipes/broken.py:5: "):
        recipes = figgen.list_recipes()
    assert [r.name for r in recipes] == ["blink", "square"]
    assert [(b.name, b.line) for b in recipes.broken] == [("broken", 5)]
    found = discover_recipes("recipes")  # the build's reading: no warning, the broken ones named
    assert [b.name for b in found.broken] == ["broken"]


def test_list_and_build_read_the_configured_recipe_folder(project, capsys):
    mine = project / "mine"
    mine.mkdir()
    write_recipe(mine, "circle", SQUARE.replace('"square"', '"circle"'))
    (project / "figgen.toml").write_text(OWN_RECIPES + 'recipes_dir = "mine"\n')
    assert main(["list"]) == 0
    assert capsys.readouterr().out.split()[0] == "circle"
    assert [r.name for r in figgen.list_recipes()] == ["circle"]
    assert [r.name for r in figgen.list_recipes("recipes")] == ["blink", "square"]  # given: that folder
    other = project / "other.toml"
    other.write_text(OWN_RECIPES + 'recipes_dir = "recipes"\n')
    assert [r.name for r in figgen.list_recipes(config=other)] == ["blink", "square"]
    assert main(["list", "--config", "other.toml"]) == 0
    assert capsys.readouterr().out.split()[0] == "blink"
    assert main(["build", "--out", "out"]) == 0
    assert json.loads((project / "out" / "manifest.json").read_text())["recipes"].keys() == {"circle"}


def test_a_recipe_folder_that_is_a_file_says_so(project, capsys):
    (project / "afile").write_text("not a folder")
    with pytest.raises(FiggenError, match=r"^recipe folder afile is not a folder$"):
        figgen.list_recipes("afile")
    with pytest.raises(FiggenError, match=r"^recipe folder nowhere does not exist$"):
        figgen.list_recipes("nowhere")
    assert main(["list", "--recipes", "afile"]) == 2
    assert capsys.readouterr().err == "figgen: error: recipe folder afile is not a folder\n"


def test_a_build_of_good_recipes_gives_no_warning(project):
    with warnings.catch_warnings():
        warnings.simplefilter("error", FiggenWarning)
        assert [r.name for r in figgen.list_recipes()] == ["blink", "square"]
