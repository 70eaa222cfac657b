"""Every value a recipe's LIMITS (and the knobs' rules) allow builds: the bounds of each, and random values
between them drawn by Hypothesis, in --quick builds that share one training cache.

A value may still be refused when it contradicts the data or another parameter (a digit with no example
among TEST_SIZE test digits): then the build exits 2 with one line naming the parameter, never 1.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figgen.cli import main
from figgen.core import knobs
from figgen.data import load_dataset
from figgen.recipe.spec import default_recipe_dir, discover_recipes

RECIPES = {r.name: r for r in discover_recipes(default_recipe_dir())}
DATA = load_dataset("sample")
# Parameters whose LIMITS cannot say everything: they are checked by the recipe with their own message.
CHECKED_BY_THE_RECIPE = {
    ("cross_entropy", "PREDICTION"),  # ten probabilities that sum to 1
    ("shifted_digit", "WHICH"),  # the n-th test example of DIGIT must exist among TEST_SIZE digits
}


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("limits-cache")


@pytest.fixture(autouse=True)
def use_shared_cache(shared_cache, monkeypatch):
    monkeypatch.setenv("FIGGEN_CACHE", str(shared_cache))


def rules(recipe, key) -> list[knobs.Rule]:
    return [r for r in (knobs.RULES.get(key), recipe.limit(key)) if r is not None]


def resolve(bound, recipe) -> float | None:
    """A bound as a number: the data's counts and the recipe's other (quick) values filled in."""
    if not isinstance(bound, str):
        return bound
    name, _, minus = bound.partition("-")
    values = recipe.resolve(quick=True)
    base = {"train": DATA.n_train, "test": DATA.n_test}.get(name, values.get(name))
    return base - int(minus or 0)


def edges(recipe, key) -> list:
    """The lowest and highest value the rules allow (the low end nudged in when it is open)."""
    lows, highs, items = [], [], None
    for rule in rules(recipe, key):
        if rule.low is not None:
            lows.append(rule.low + (1e-6 if rule.low_open else 0))
        high = resolve(rule.high, recipe)
        if high is not None:
            highs.append(high)
        items = rule.items or items
    default = recipe.params[key]
    kind = recipe.item_kind(key) or type(default)
    found = [kind(max(lows))] if lows else []
    found += [kind(min(highs))] if highs else []
    if isinstance(default, list):
        least, most = items or (1, max(len(default), 1))
        found = [[v] * least for v in found] + [[v] * most for v in found]
    return found


BOUNDS = [
    (name, key, value)
    for name, recipe in RECIPES.items()
    for key in recipe.params
    if rules(recipe, key) and (name, key) not in CHECKED_BY_THE_RECIPE and key not in knobs.NAMES
    for value in edges(recipe, key)
]


def build(tmp_path, name: str, *settings_: str) -> int:
    args = ["build", name, "--quick", "--formats", "png,gif", "--out", str(tmp_path / "out")]
    for setting in settings_:
        args += ["--set", setting]
    return main(args)


def text(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


@pytest.mark.parametrize("name, key, value", BOUNDS, ids=[f"{n}.{k}={text(v)[:20]}" for n, k, v in BOUNDS])
def test_each_recipe_builds_at_the_bounds_of_its_limits(tmp_path, capsys, name, key, value):
    assert build(tmp_path, name, f"{name}.{key}={text(value)}") == 0, capsys.readouterr().err


KNOB_BOUNDS = [
    ("TRAIN_SIZE=1",),
    (f"TRAIN_SIZE={DATA.n_train}",),
    ("TEST_SIZE=1", "test_size_bias.BLOCK=1", "shifted_digit.DIGIT=7"),  # the first test digit is a 7
    (f"TEST_SIZE={DATA.n_test}",),
    ("LEARNING_RATE=1e-9",),
    ("TRAIN_STEPS=0",),
    ("LOG_EVERY=1",),
    # the most updates a run may make, on the smallest sets (the text's size would take minutes)
    (
        f"TRAIN_STEPS={knobs.MAX_STEPS}",
        "TRAIN_SIZE=1",
        "TEST_SIZE=7",
        "LOG_EVERY=100000",
        "test_size_bias.BLOCK=7",
    ),
]


@pytest.mark.parametrize("settings_", KNOB_BOUNDS, ids=[s[0] for s in KNOB_BOUNDS])
def test_every_recipe_builds_at_the_bounds_of_the_knobs(tmp_path, capsys, settings_):
    args = ["build", "--quick", "--formats", "png,gif", "--out", str(tmp_path / "out")]
    for setting in settings_:
        args += ["--set", setting]
    assert main(args) == 0, capsys.readouterr().err


def interior(recipe, key):
    """A Hypothesis strategy of values the rules allow for ``key`` (ints, floats, or lists of them)."""
    low_high = edges(recipe, key)
    default = recipe.params[key]
    if isinstance(default, list):
        least, most = next((r.items for r in rules(recipe, key) if r.items), (1, 4))
        low, high = next(v for v in low_high if v)[0], low_high[-1][0]
        item = st.integers(low, high) if recipe.item_kind(key) is int else st.floats(low, high)
        return st.lists(item, min_size=least, max_size=min(most, 4))
    low, high = low_high[0], low_high[-1]
    if isinstance(default, int):
        return st.integers(low, high)
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


DRAWABLE = sorted({(n, k) for n, k, _ in BOUNDS})


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_values_within_the_limits_build(tmp_path_factory, data):
    name, key = data.draw(st.sampled_from(DRAWABLE))
    value = data.draw(interior(RECIPES[name], key))
    out = tmp_path_factory.mktemp("draw")
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(
            ["build", name, "--quick", "--formats", "png", "--out", str(out), "--set", f"{key}={text(value)}"]
        )
    assert code == 0, (name, key, value, err.getvalue())
