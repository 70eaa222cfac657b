"""Wrong types through the Python API: a one-line FiggenError naming the argument and what it expects, never a
TypeError or AttributeError from deep inside, and never a wrong value taken for a right one (``gallery="no"``
is not true, ``"digit"`` is not the recipes d, i, g, i and t).

The type checks live in the options table (figgen.builder.options), which the command line, figgen.toml and
the API share; the arguments that are not build options (the recipes, ``params``, ``config``,
``recipes_dir``, ``progress``) are checked where the API takes them.
"""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import figgen
from figgen import api
from figgen.builder.options import OPTIONS, BuildOptions
from figgen.core.errors import FiggenError


def test_a_single_name_is_that_one_recipe(project):
    result = figgen.build("square", out=project / "out", formats="png")
    assert [r.name for r in result.recipes] == ["square"]
    assert [o.path.name for o in result.outputs] == ["square.png"]
    assert [o.path.name for o in figgen.run_recipe("square", out=project / "out", formats="png")] == [
        "square.png"
    ]


BUILD_ERRORS = [
    ({"recipes": 5}, "recipes must be a recipe name or a list of them, got 5"),
    ({"recipes": ["square", 5]}, "recipes must be a recipe name or a list of them, got ['square', 5]"),
    ({"recipes": {"square": 1}}, "recipes must be a recipe name or a list of them, got {'square': 1}"),
    ({"jobs": "2"}, "jobs must be a whole number, got '2'"),
    ({"jobs": 2.0}, "jobs must be a whole number, got 2.0"),
    ({"jobs": True}, "jobs must be a whole number, got True"),
    ({"formats": 123}, "formats must be format names (a list, or text separated by commas), got 123"),
    ({"formats": ["png", 5]}, "formats must be format names (a list, or text separated by commas), got"),
    ({"formats": {"png": 1}}, "formats must be format names (a list, or text separated by commas), got"),
    ({"params": [("SIDE", 3)]}, "params must be a mapping of KEY or RECIPE.KEY to values, got [('SIDE', 3)]"),
    ({"params": {5: 3}}, "params must be a mapping of KEY or RECIPE.KEY to values, got {5: 3}"),
    ({"theme": 5}, "theme must be a name (text): light, dark, transparent; got 5"),
    ({"preset": ["docs"]}, "preset must be a name (text): docs, slides, slides43; got ['docs']"),
    ({"palette": 1.5}, "palette must be a name (text): default, colorblind; got 1.5"),
    ({"split": 0}, "split must be a name (text): original, text; got 0"),
    ({"background": 0x1F4E9C}, "background must be a colour as text ('#1f4e9c'), got 2051740"),
    ({"pace": "fast"}, "pace must be a number, got 'fast'"),
    ({"pace": [2.0]}, "pace must be a number, got [2.0]"),
    ({"pace": True}, "pace must be a number, got True"),
    ({"class_names": 5}, "class_names must be ten names (a list, or text separated by commas), got 5"),
    ({"class_names": list(range(10))}, "class_names must be ten names (a list, or text separated by commas)"),
    ({"out": 123}, "out must be a folder's path (text or a Path), got 123"),
    ({"cache": ["c"]}, "cache must be a folder's path (text or a Path), got ['c']"),
    ({"data": 5}, "data must be sample, auto or a path (text or a Path), got 5"),
    ({"config": 5}, "config must be a file's path (text or a Path), got 5"),
    ({"recipes_dir": 5}, "recipes_dir must be a folder's path (text or a Path), got 5"),
    ({"progress": 5}, "progress must be a function progress(event, **info), got 5"),
    *[({flag: "no"}, f"{flag} must be True or False, got 'no'") for flag in ("gallery", "quick", "force")],
    *[({flag: 1}, f"{flag} must be True or False, got 1") for flag in ("strict", "wait")],
]


@pytest.mark.parametrize(("keywords", "message"), BUILD_ERRORS, ids=lambda v: repr(v)[:40])
def test_a_wrong_type_for_build_is_one_line_naming_the_argument(project, keywords, message):
    recipes = keywords.pop("recipes", ["square"])
    with pytest.raises(FiggenError) as caught:
        figgen.build(recipes, **{"out": project / "out", **keywords})
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert not (project / "out").exists()  # refused before any work


def test_run_recipe_takes_one_name(project):
    with pytest.raises(FiggenError, match=r"^run_recipe needs one recipe name \(text\), got \['square'\]$"):
        figgen.run_recipe(["square"], out=project / "out")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: figgen.clean(123), "out must be a folder's path (text or a Path), got 123"),
        (lambda: figgen.clean("out", cache="yes"), "cache must be True or False, got 'yes'"),
        (lambda: figgen.clean(config=[1]), "config must be a file's path (text or a Path), got [1]"),
        (lambda: figgen.load_dataset(5), "source must be sample, auto or a path (text or a Path), got 5"),
        (lambda: figgen.load_dataset(split=5), "split must be a name (text): original, text; got 5"),
        (
            lambda: figgen.load_dataset(class_names=5),
            "class_names must be ten names (a list, or text separated by commas), got 5",
        ),
        (lambda: figgen.train(data=5), "data must be sample, auto or a path (text or a Path), got 5"),
        (lambda: figgen.train(split=["text"]), "split must be a name (text): original, text; got ['text']"),
        (lambda: figgen.train(force="yes"), "force must be True or False, got 'yes'"),
        (lambda: figgen.train(allow_diverged=0), "allow_diverged must be True or False, got 0"),
        (lambda: figgen.train(cache=5), "cache must be a folder's path (text or a Path), got 5"),
        (
            lambda: figgen.train(progress="bar"),
            "progress must be a function progress(done, total), got 'bar'",
        ),
        (lambda: figgen.train(TRAIN_SIZE="5"), "TRAIN_SIZE must be a whole number, got '5'"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_wrong_type_elsewhere_in_the_api_is_one_line_naming_the_argument(project, call, message):
    with pytest.raises(FiggenError) as caught:
        call()
    assert str(caught.value) == message


def test_the_table_checks_the_types_the_configuration_file_and_the_api_share():
    """Every build option's check refuses a value of the wrong type in one line naming the option."""
    wrong = {bool: "yes", str: 5, float: "fast", int: "2", list: 5}
    assert all(option.accepts is not None for option in OPTIONS)
    for option in OPTIONS:
        kind = bool if isinstance(option.default, bool) else option.toml
        value = wrong[kind] if kind is not None else 5
        with pytest.raises(FiggenError, match=f"^{option.name} must be "):
            BuildOptions.resolve(**{option.name: value})


# --- property-based: any JSON-ish value for any keyword ----------------------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
KEYWORDS = list(inspect.signature(api.build).parameters)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(keywords=st.dictionaries(st.sampled_from(KEYWORDS), JSONISH, max_size=5))
def test_any_value_for_any_build_keyword_is_taken_or_refused_in_one_line(project, monkeypatch, keywords):
    """The options are resolved and the plan's checks run (recipes, selection, parameters), then the build
    stops: no folder is created, nothing is written wherever a random ``out`` points."""
    from figgen.builder import build as building
    from figgen.recipe.spec import discover_recipes, select_recipes

    class Planned(Exception):
        pass

    def plan_only(options, report):
        discovered = discover_recipes(options.recipes)
        options.overrides_for(select_recipes(discovered, options.selected), discovered)
        raise Planned

    monkeypatch.setattr(building, "build", plan_only)
    try:
        api.build(**keywords)
    except (FiggenError, Planned) as exc:
        assert "\n" not in str(exc)


SMALL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.floats(allow_nan=True),
    st.sampled_from(["", "png", "png,svg", "light", "dark", "slides", "2", "#fff", "square", "text"]),
    st.lists(st.sampled_from(["png", "svg", "gif", "square", "x", 1]), max_size=3),
    st.dictionaries(st.sampled_from(["SIDE", "square.SIDE", "square.LEVEL", "X"]), st.integers(-1, 30)),
)
REAL = [k for k in KEYWORDS if k not in ("out", "cache", "config", "recipes_dir", "data", "jobs")]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(keywords=st.dictionaries(st.sampled_from(REAL), SMALL, max_size=4))
def test_a_real_build_with_any_values_gives_a_result_or_a_one_line_error(project, keywords):
    """Real builds of the tiny recipe (quick), into the project's folder, with values near the right ones."""
    keywords = {"quick": True, **keywords}
    try:
        result = api.build(out=project / "out", **keywords)
    except FiggenError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(math.isfinite(r.seconds) for r in result.recipes)
        assert Path(result.folder) == project / "out"


@pytest.mark.parametrize("keyword", ["config", "out", "cache"])
def test_a_path_no_system_takes_is_one_line(project, keyword):
    for path in ("a" * 5000, "a/" * 3000, "a\0b"):
        with pytest.raises(FiggenError) as caught:
            figgen.build("square", **{keyword: path})
        assert "\n" not in str(caught.value) and len(str(caught.value)) < 300
