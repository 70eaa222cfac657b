"""Configuration: figgen.toml / [tool.figgen], precedence of the command line, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from figgen.builder.options import BuildOptions
from figgen.cli import main
from tests._readme import examples


def test_config_file_sets_options_and_params_and_the_command_line_wins(project, capsys):
    (project / "figgen.toml").write_text(
        'out = "site"\ntheme = "dark"\nformats = ["png"]\n\n'
        "[params]\nSIDE = 24\n\n[recipes.square]\nLEVEL = 0.25\n"
    )
    assert main(["build", "square"]) == 0
    manifest = json.loads((project / "site" / "manifest.json").read_text())
    entry = manifest["recipes"]["square"]
    assert entry["params"] == {"SIDE": 24, "LEVEL": 0.25} and entry["theme"] == "dark"
    assert [o["path"] for o in entry["outputs"]] == ["square.png"]
    assert main(["build", "square", "--set", "SIDE=30", "--theme", "light", "--out", "other"]) == 0
    entry = json.loads((project / "other" / "manifest.json").read_text())["recipes"]["square"]
    assert entry["params"]["SIDE"] == 30 and entry["theme"] == "light"


def test_pyproject_tool_table_is_read(project):
    (project / "figgen.toml").unlink()  # figgen.toml comes first
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.figgen]\nbuiltin_recipes = false\nout = "from-pyproject"\n'
    )
    assert main(["build", "square"]) == 0
    assert (project / "from-pyproject" / "square.png").is_file()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('thme = "dark"\n', "unknown key 'thme', line 1 (did you mean 'theme'?)"),
        ('out = "x"\ntheme = "drk"\n', "theme, line 2: unknown theme 'drk' (did you mean 'dark'?)"),
        ("jobs = 0\n", "jobs, line 1: jobs must be at least 1"),
        ('jobs = "two"\n', "jobs, line 1: expected int"),
        ('formats = ["gif", "bmp"]\n', "unknown format 'bmp'"),
        ("theme = \n", "invalid TOML"),
        ('[params]\nSIDE = "big"\n', "square.SIDE must be a whole number, got 'big'"),
        (
            "[recipes.sqare]\nSIDE = 3\n",
            "unknown recipe 'sqare' in the parameters or configuration (did you mean 'square'?)",
        ),
        (
            "[params]\nSIDES = 3\n",
            "configuration [params]: no recipe has a parameter 'SIDES' (did you mean 'SIDE'?)",
        ),
    ],
)
def test_invalid_config_gets_one_clear_line(project, capsys, text, message):
    (project / "figgen.toml").write_text(text)
    assert main(["build"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("figgen: error: ") and message in err[0], err


def test_missing_config_file_named_on_the_command_line(project, capsys):
    assert main(["build", "--config", "nope.toml"]) == 2
    assert "configuration file nope.toml does not exist" in capsys.readouterr().err


def test_config_params_need_only_exist_in_some_recipe(project, capsys):
    (project / "figgen.toml").write_text("[params]\nSIDE = 24\n\n[recipes.square]\nLEVEL = 0.25\n")
    assert main(["build", "blink", "--out", "out"]) == 0  # blink has no SIDE: fine for a config file
    assert main(["build", "blink", "--set", "SIDE=3", "--out", "out"]) == 2  # but not on the command line
    assert "no selected recipe has a parameter 'SIDE'" in capsys.readouterr().err


def test_a_misspelt_recipe_in_set_is_refused_even_with_a_selection(project, capsys):
    assert main(["build", "square", "--set", "sqare.SIDE=3", "--out", "out"]) == 2
    said = capsys.readouterr().err
    assert "unknown recipe 'sqare' in the parameters or configuration (did you mean 'square'?)" in said
    assert main(["build", "square", "--set", ".SIDE=3", "--out", "out"]) == 2
    assert main(["build", "square", "--set", "blink.FRAMES=2", "--out", "out"]) == 0  # known, not selected


def test_figgen_data_shows_the_configured_data_set(project, capsys):
    rng = np.random.default_rng(1)
    np.savez(
        project / "tiny.npz",
        x_train=rng.integers(0, 256, (4, 28, 28), dtype=np.uint8),
        y_train=np.arange(4),
        x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        y_test=np.arange(2),
    )
    (project / "figgen.toml").write_text('data = "tiny.npz"\n')
    assert main(["data", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["source"] == "npz" and shown["train"] == 4 and shown["test"] == 2
    assert main(["data", "--json", "--data", "sample"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == "sample"


# --- property-based: any configuration file --------------------------------------------------------------

import io  # noqa: E402
from contextlib import redirect_stderr  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from figgen.builder.options import TOP_KEYS  # noqa: E402
from figgen.core.errors import FiggenError  # noqa: E402

VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.sampled_from(["gif", "png", "svg", "gfi", "mp4"]), max_size=3),
)
TABLES = st.dictionaries(st.sampled_from(["SIDE", "LEVEL", "FRAMES", "X"]), VALUES, max_size=3)


def toml_value(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value) if isinstance(value, str) else repr(value)


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    top=st.dictionaries(st.sampled_from([*TOP_KEYS, "theem"]), VALUES, max_size=4),
    params=TABLES,
    recipe=TABLES,
)
def test_any_configuration_is_read_or_refused_in_one_line(project, top, params, recipe):
    top.pop("params", None), top.pop("recipes", None)
    lines = [f"{key} = {toml_value(value)}" for key, value in top.items()]
    lines += ["[params]", *(f"{k} = {toml_value(v)}" for k, v in params.items())]
    lines += ["[recipes.square]", *(f"{k} = {toml_value(v)}" for k, v in recipe.items())]
    (project / "figgen.toml").write_text("\n".join(lines) + "\n")
    try:
        options = BuildOptions.resolve()
        options.overrides_for([], [])
    except FiggenError:
        err = io.StringIO()
        with redirect_stderr(err):
            assert main(["data"]) == 2 or main(["build", "--formats", "png", "nonesuch"]) == 2
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("figgen: error: ")


def test_the_readme_configuration_example_is_read_as_documented(tmp_path):
    (text,) = examples("figgen.toml")
    (tmp_path / "figgen.toml").write_text(text)
    options = BuildOptions.resolve(config=str(tmp_path / "figgen.toml"))
    assert (options.theme, options.preset, options.palette, options.split) == (
        "light",
        "docs",
        "default",
        "original",
    )
    assert options.pace == 1.0 and options.jobs == 2 and options.gallery is True
    assert options.class_names == tuple("0123456789")
    assert options.formats == ("gif", "mp4", "html", "png", "svg")
    assert Path(options.out) == tmp_path / "output"
    assert options.config_params == {"TRAIN_STEPS": 2500}
    assert options.config_recipe_params == {"weights_evolution": {"FRAMES": 48}}
