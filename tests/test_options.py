"""The one table of build options (figgen.builder.options.OPTIONS) and every place that must agree with it."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from figgen import api
from figgen.builder.build import stamp
from figgen.builder.options import OPTIONS, STAMPED, TOP_KEYS, BuildOptions
from figgen.cli import _parser

# what to build, not how: the recipes (selected, the user's folder, whether figgen's own too) and parameters
NOT_OPTIONS = {
    "selected",
    "recipes",
    "builtin_recipes",
    "params",
    "recipe_params",
    "config_params",
    "config_recipe_params",
}


def test_every_build_option_is_in_the_table_and_the_table_in_the_options():
    fields = {f.name for f in dataclasses.fields(BuildOptions)}
    assert fields - NOT_OPTIONS == {o.name for o in OPTIONS}


def test_the_configuration_file_takes_the_options_the_table_gives_a_type():
    assert {k for k in TOP_KEYS if k not in ("recipes_dir", "builtin_recipes", "params", "recipes")} == {
        o.name for o in OPTIONS if o.toml is not None
    }


def _build_parser():
    return _parser()._subparsers._group_actions[0].choices["build"]


def test_the_python_api_names_every_option_and_passes_each_on(monkeypatch):
    """api.build spells every option out as a keyword (for readers and IDEs) and hands each one, with its
    value, to the options: give each a value of its own and each arrives."""
    keywords = inspect.signature(api.build).parameters
    assert {o.name for o in OPTIONS} <= set(keywords)
    assert all(keywords[o.name].kind is inspect.Parameter.KEYWORD_ONLY for o in OPTIONS)
    seen = {}

    def resolve(cls, **given):
        seen.update(given)
        raise SystemExit  # stop before any work

    monkeypatch.setattr(BuildOptions, "resolve", classmethod(resolve))
    with pytest.raises(SystemExit):
        api.build(["softmax"], **{o.name: f"value of {o.name}" for o in OPTIONS})
    assert {o.name: seen[o.name] for o in OPTIONS} == {o.name: f"value of {o.name}" for o in OPTIONS}


def test_the_command_line_flags_are_the_tables():
    """Every option with flags is on ``figgen build`` under its own name, with the table's help; not given,
    it is None, so the configuration file's value or the default applies."""
    actions = {a.dest: a for a in _build_parser()._actions if a.option_strings and a.dest != "strict"}
    actions["strict"] = next(a for a in _build_parser()._actions if "--strict" in a.option_strings)
    for option in OPTIONS:
        if not option.flags:
            assert option.name not in actions, option.name
            continue
        action = actions[option.name]
        assert tuple(action.option_strings) == option.flags and action.help == option.help(), option.name
    args = _build_parser().parse_args([])
    assert all(getattr(args, o.name) is None for o in OPTIONS if o.flags)
    flags = {flag for a in _build_parser()._actions for flag in a.option_strings}
    assert {"--no-gallery", "--no-wait", "--keep-going"} <= flags


@pytest.mark.parametrize(
    "argv, name, value",
    [
        (["--theme", "dark"], "theme", "dark"),
        (["--no-gallery"], "gallery", False),
        (["--no-wait"], "wait", False),
        (["--jobs", "3"], "jobs", 3),
        (["--pace", "2"], "pace", 2.0),
        (["--strict"], "strict", True),
        (["--strict", "--keep-going"], "strict", False),
    ],
)
def test_a_flag_reaches_the_build_options(tmp_path, monkeypatch, argv, name, value):
    from figgen import cli

    seen = {}

    def build(recipes, **given):
        seen.update(given)
        raise SystemExit

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli.api, "build", build)
    with pytest.raises(SystemExit):
        cli.main(["build", *argv])
    assert seen[name] == value and all(seen[o.name] is None for o in OPTIONS if o.flags and o.name != name)


def test_every_stamped_option_marks_outputs_stale():
    """Change any one stamped option and the stamp changes; change an option that is not stamped and it
    does not: a new option cannot be forgotten in the stamp by accident, only left out on purpose."""

    class Recipe:
        source_hash = "s"

    base = BuildOptions(**{o.name: None for o in OPTIONS})
    reference = stamp(Recipe, {"A": 1}, base, "data", "code")
    for name in STAMPED:
        changed = dataclasses.replace(base, **{name: "other"})
        assert stamp(Recipe, {"A": 1}, changed, "data", "code") != reference, name
    for option in OPTIONS:
        if not option.stamp:
            same = dataclasses.replace(base, **{option.name: "other"})
            assert stamp(Recipe, {"A": 1}, same, "data", "code") == reference, option.name


def test_no_gallery_on_the_command_line_writes_no_page(tmp_path, monkeypatch):
    """The design's contract names --no-gallery; the table check found it missing from the parser."""
    from figgen.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["build", "softmax", "--quick", "--formats", "png", "--out", "out", "--no-gallery"]) == 0
    assert (tmp_path / "out" / "softmax.png").exists() and not (tmp_path / "out" / "index.html").exists()
    assert main(["build", "softmax", "--quick", "--formats", "png", "--out", "out"]) == 0
    assert (tmp_path / "out" / "index.html").exists()


def test_gallery_on_the_command_line_overrides_the_configuration(tmp_path, monkeypatch):
    """--gallery and --no-gallery are one option of the table: either beats figgen.toml's gallery."""
    from figgen.cli import main

    monkeypatch.chdir(tmp_path)
    build = ["build", "softmax", "--quick", "--formats", "png", "--out", "out"]
    (tmp_path / "figgen.toml").write_text("gallery = false\n")
    assert main(build) == 0 and not (tmp_path / "out" / "index.html").exists()
    assert main([*build, "--gallery"]) == 0 and (tmp_path / "out" / "index.html").exists()
    (tmp_path / "figgen.toml").write_text("gallery = true\n")
    assert main([*build, "--no-gallery"]) == 0 and not (tmp_path / "out" / "index.html").exists()
