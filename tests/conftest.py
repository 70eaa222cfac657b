"""Shared fixtures: a throw-away project with tiny recipes (drawing only, no training)."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

SQUARE = '''
"""A square.

A filled square whose side is SIDE pixels.
"""
import numpy as np
from figgen.kit import run_recipe_file

PARAMS = {"SIDE": 40, "LEVEL": 0.5}
QUICK = {"SIDE": 20}
LIMITS = {"SIDE": (2, 400)}
OUTPUTS = {"square": "still"}


def make(ctx, p):
    frame = np.full((p.SIDE, p.SIDE, 3), int(255 * p.LEVEL), np.uint8)
    ctx.image("square", frame, alt=f"A gray square of {p.SIDE} pixels.")


if __name__ == "__main__":
    run_recipe_file(__file__)
'''

BLINK = '''
"""Blinking digit.

The first training digit, blinking.
"""
import numpy as np

PARAMS = {"FRAMES": 4}
QUICK = {}
OUTPUTS = {"blink": "animation"}


def make(ctx, p):
    x, _ = ctx.data.train(1)
    digit = (255 - 255 * x[0].reshape(28, 28)).astype(np.uint8)
    on = np.repeat(digit[:, :, None], 3, axis=2)

    def frames():
        for i in range(p.FRAMES):
            yield on if i % 2 == 0 else np.full_like(on, 255)

    ctx.animation("blink", frames, durations_ms=100, keyframes=[0, 1], keyframe_labels=["on", "off"],
                  alt="The first training digit blinking.")
'''


#: the line of a test project's figgen.toml that leaves figgen's own recipes out (a test that writes its own
#: figgen.toml starts it with this line)
OWN_RECIPES = "builtin_recipes = false\n"


def write_recipe(folder: Path, name: str, source: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source).lstrip())
    return path


@pytest.fixture(autouse=True, scope="session")
def repository_stays_clean():
    """No test writes into the checkout: what git sees there is the same before and after the session."""
    root = Path(__file__).resolve().parents[1]

    def status() -> str:
        try:
            done = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=no"],
                cwd=root,
                capture_output=True,
                text=True,
            )
        except OSError:
            return ""
        return done.stdout if done.returncode == 0 else ""

    before = status()
    yield
    assert status() == before, "a test wrote into the repository"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Every test trains into a cache of its own (subprocesses inherit it), never the project's."""
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a recipes/ folder of tiny recipes, as the current directory; its figgen.toml
    (:data:`OWN_RECIPES`) builds those alone, not figgen's own too."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
    (tmp_path / "figgen.toml").write_text(OWN_RECIPES)
    (tmp_path / "recipes").mkdir()
    write_recipe(tmp_path / "recipes", "square", SQUARE)
    write_recipe(tmp_path / "recipes", "blink", BLINK)
    return tmp_path


@pytest.fixture
def shared_cache(tmp_path_factory, monkeypatch):
    """One training cache for the docs-tool tests of a session: a recipe they share trains once."""
    folder = tmp_path_factory.getbasetemp() / "shared-cache"
    monkeypatch.setenv("FIGGEN_CACHE", str(folder))
    return folder


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    """No full MNIST anywhere: every place ``auto`` looks is an empty temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("FIGGEN_MNIST", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("FIGGEN_DATA_HOME", str(tmp_path / "figgen-data"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path


def quick_figures(name: str, root: Path, **options) -> dict[str, tuple]:
    """Build figgen's recipe ``name`` at --quick sizes into ``root``/out (its cache ``root``/cache unless
    ``cache=`` is given), PNG only, and return each matplotlib figure it drew by stem, as
    ``(figure, alt text)``: for tests that read the numbers a figure shows."""
    from figgen import api
    from figgen.recipe.spec import default_recipe_dir
    from figgen.writers.outputs import OutputSet

    seen: dict[str, tuple] = {}
    original = OutputSet.figure

    def figure(self, stem, fig, *, alt):
        seen[stem] = (fig, alt)
        return original(self, stem, fig, alt=alt)

    options = {"cache": root / "cache", **options}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(OutputSet, "figure", figure)
        result = api.build(
            name,
            quick=True,
            formats=["png"],
            out=root / "out",
            recipes_dir=default_recipe_dir(),
            gallery=False,
            **options,
        )
    assert result.failures == []
    return seen
