"""The public Python API (figgen.build, run_recipe, list_recipes, load_dataset, train, clean)."""

from __future__ import annotations

import numpy as np
import pytest

import figgen
from figgen.core.errors import FiggenError
from figgen.recipe.spec import default_recipe_dir
from tests.conftest import SQUARE, write_recipe


def test_build_returns_every_output_with_its_facts_then_up_to_date(project):
    result = figgen.build(out=project / "out", params={"square.SIDE": 12})
    assert result.ok and [r.status for r in result.recipes] == ["built", "built"]
    square = result.find("square", format="png")[0]
    assert square.path == project / "out" / "square.png" and square.path.is_file()
    assert (square.width, square.height, square.kind, square.frames) == (12, 12, "still", None)
    assert square.alt == "A gray square of 12 pixels." and square.bytes == square.path.stat().st_size
    gif = result.find("blink", "blink", "gif")[0]
    assert gif.frames == 4 and gif.kind == "animation"
    assert {o.name for o in result.find("blink")} == {"blink", "blink_filmstrip", "blink_poster"}
    again = figgen.build(out=project / "out", params={"square.SIDE": 12})
    assert {o.status for o in again.outputs} == {"up to date"} and again.outputs == [
        type(o)(**{**o.__dict__, "status": "up to date"}) for o in result.outputs
    ]


def test_run_recipe_returns_its_outputs_and_raises_on_failure(project):
    outputs = figgen.run_recipe("square", out=project / "solo", formats=["svg"])
    assert [o.path.name for o in outputs] == ["square.svg"]
    broken = SQUARE.replace("ctx.image(", "1 / 0\n    ctx.image(").replace('"square"', '"broken"')
    write_recipe(project / "recipes", "broken", broken)
    with pytest.raises(FiggenError, match="^recipe broken failed: ZeroDivisionError"):
        figgen.run_recipe("broken", out=project / "solo")
    with pytest.raises(FiggenError, match="unknown recipe 'sqare' \\(did you mean 'square'\\?\\)"):
        figgen.run_recipe("sqare", out=project / "solo")


def test_list_recipes_and_load_dataset():
    names = [r.name for r in figgen.list_recipes()]
    assert names[:3] == ["digit", "digits_flat", "one_hot"]
    assert sorted(names) == sorted(
        p.stem for p in default_recipe_dir().glob("*.py") if not p.name.startswith("_")
    )
    data = figgen.load_dataset()
    assert (data.source, data.n_train, data.n_test) == ("sample", 10000, 10000)


def test_train_is_served_from_the_cache_the_second_time():
    knobs = {"TRAIN_SIZE": 50, "TEST_SIZE": 100, "TRAIN_STEPS": 5, "LOG_EVERY": 5}
    first, again = figgen.train(**knobs), figgen.train(**knobs)
    assert not first.cached and again.cached and again.log == first.log
    np.testing.assert_array_equal(again.weights, first.weights)
    assert not figgen.train(force=True, **knobs).cached
    with pytest.raises(FiggenError, match="unknown knob 'TRAIN_SIZES' \\(did you mean 'TRAIN_SIZE'\\?\\)"):
        figgen.train(TRAIN_SIZES=5)


def test_clean_removes_what_a_build_wrote(project):
    figgen.build(["square"], out=project / "out")
    lines = figgen.clean(project / "out")  # png, svg, the manifest, the gallery and the hidden state file
    # the files, then the folder the build made (figgen's marker in it says so), now empty
    assert lines == [f"removed 5 files from {project / 'out'}", f"removed the folder {project / 'out'}"]
    assert not (project / "out").exists()
