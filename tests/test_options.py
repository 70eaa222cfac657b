"""The one table of build options (figgen.builder.options.OPTIONS) and every place that must agree with it."""

from __future__ import annotations

import dataclasses
import inspect

from figgen import api
from figgen.builder.build import stamp
from figgen.builder.options import OPTIONS, STAMPED, TOP_KEYS, BuildOptions
from figgen.builder.workers import Settings
from figgen.cli import _parser

NOT_OPTIONS = {"selected", "recipes", "params", "recipe_params", "config_params", "config_recipe_params"}
NOT_ON_THE_COMMAND_LINE = {"cache"}  # $FIGGEN_CACHE or figgen.toml's cache


def test_every_build_option_is_in_the_table_and_the_table_in_the_options():
    fields = {f.name for f in dataclasses.fields(BuildOptions)}
    assert fields - NOT_OPTIONS == {o.name for o in OPTIONS}


def test_a_job_gets_exactly_the_options_the_table_marks_for_jobs():
    assert {f.name for f in dataclasses.fields(Settings)} == {o.name for o in OPTIONS if o.job}
    assert set(STAMPED) <= {f.name for f in dataclasses.fields(Settings)}  # the stamp reads them there


def test_the_configuration_file_takes_the_options_the_table_gives_a_type():
    assert {k for k in TOP_KEYS if k not in ("recipes_dir", "params", "recipes")} == {
        o.name for o in OPTIONS if o.toml is not None
    }


def test_the_python_api_and_the_command_line_offer_every_option():
    keywords = set(inspect.signature(api.build).parameters)
    assert {o.name for o in OPTIONS} <= keywords
    build = _parser()._subparsers._group_actions[0].choices["build"]
    dests = {a.dest for a in build._actions}
    assert {o.name for o in OPTIONS} - NOT_ON_THE_COMMAND_LINE <= dests | {"gallery", "wait"}
    flags = {flag for a in build._actions for flag in a.option_strings}
    assert {"--no-gallery", "--no-wait"} <= flags


def test_every_stamped_option_marks_outputs_stale():
    """Change any one stamped option and the stamp changes; change an option that is not stamped and it
    does not: a new option cannot be forgotten in the stamp by accident, only left out on purpose."""

    class Recipe:
        source_hash = "s"

    base = Settings(**{o.name: None for o in OPTIONS if o.job})
    reference = stamp(Recipe, {"A": 1}, base, "data", "code")
    for name in STAMPED:
        changed = dataclasses.replace(base, **{name: "other"})
        assert stamp(Recipe, {"A": 1}, changed, "data", "code") != reference, name
    for option in OPTIONS:
        if option.job and not option.stamp:
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
