"""integrations.pages: naming an output for a page, choosing its format, and one build folder per way of
showing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from figgen.builder.workfolders import work_folder
from figgen.core.errors import FiggenError
from figgen.files.own import MARKER
from figgen.integrations.pages import build_target, choose_formats, find_target
from tests.conftest import SQUARE, write_recipe


def test_targets_are_checked_against_the_recipes_without_running_them(project):
    square = find_target("square")
    assert (square.output, square.kind, square.recipe.path.name) == ("square", "still", "square.py")
    assert find_target("blink/blink_filmstrip").kind == "filmstrip"
    assert [p.name for p in square.dependencies] == ["square.py"]
    write_recipe(project / "recipes", "_shared", '"""Helpers."""\n')
    assert [p.name for p in find_target("square").dependencies] == ["square.py", "_shared.py"]
    write_recipe(
        project / "recipes", "pair", SQUARE.replace('{"square": "still"}', '{"a": "still", "b": "still"}')
    )
    for text, message in [
        ("sqaure", "unknown recipe 'sqaure' (did you mean 'square'?)"),
        ("pair", "recipe 'pair' has several outputs (a, b); name one as pair/OUTPUT"),
        ("blink/blnk", "recipe 'blink' has no output 'blnk' (did you mean 'blink'?)"),
    ]:
        with pytest.raises(FiggenError, match=f"^{re.escape(message)}$"):
            find_target(text)


def test_formats_default_by_kind_and_tool_and_a_named_one_must_suit_the_kind(project):
    assert choose_formats(find_target("square"), None, "sphinx") == ("svg", "png")
    assert choose_formats(find_target("square"), None, "mkdocs") == ("png",)
    assert choose_formats(find_target("blink/blink_filmstrip"), None, "sphinx") == ("png", "pdf")
    assert choose_formats(find_target("blink"), None, "notebook") == ("html",)
    assert choose_formats(find_target("blink"), "webp", "sphinx") == ("webp",)
    assert choose_formats(find_target("blink/blink_filmstrip"), "pdf", "mkdocs") == ("pdf",)
    with pytest.raises(FiggenError, match=r"unknown format 'gfi' \(did you mean 'gif'\?\)"):
        choose_formats(find_target("blink"), "gfi", "sphinx")
    with pytest.raises(
        FiggenError, match="^blink/blink_filmstrip is a filmstrip: format 'svg' is not one of png, pdf$"
    ):
        choose_formats(find_target("blink/blink_filmstrip"), "svg", "sphinx")


def test_one_folder_per_way_of_showing_built_through_the_cache(project):
    root = work_folder("sphinx")
    assert root == project / "cache" / "sphinx" and work_folder("mkdocs", "elsewhere") == Path(
        "elsewhere/mkdocs"
    )
    square = find_target("square")
    light = build_target(square, ("png",), root, params={"SIDE": 12})
    dark = build_target(square, ("png",), root, params={"SIDE": 12}, theme="dark")
    again = build_target(square, ("png",), root, params={"SIDE": 12})
    assert light[0].path.parent != dark[0].path.parent and again[0].path == light[0].path
    assert (light[0].status, again[0].status, light[0].width) == ("built", "up to date", 12)
    both = build_target(square, ("svg", "png"), root)
    assert [o.format for o in both] == ["svg", "png"]
    folders = {o.path.parent for o in light + dark + both}
    assert len(folders) == 3 and {p for p in root.iterdir() if p.name != MARKER} == folders  # + figgen's mark
    broken = SQUARE.replace("ctx.image(", "1 / 0\n    ctx.image(").replace('"square"', '"broken"')
    write_recipe(project / "recipes", "broken", broken)
    with pytest.raises(FiggenError, match="^recipe broken failed: ZeroDivisionError"):
        build_target(find_target("broken"), ("png",), root)


def test_clean_cache_removes_what_the_docs_tools_built_and_nothing_else(project):
    import figgen

    square = find_target("square")
    kept = build_target(square, ("png",), work_folder("sphinx"))[0].path.parent
    gone = build_target(square, ("svg",), work_folder("notebook"))[0].path.parent
    (kept / "notes.txt").write_text("someone's notes")
    lines = figgen.clean(project / "nothing", cache=True)
    assert lines[-1] == f"removed 1 docs-tool build folders from {project / 'cache'}"
    assert not gone.exists() and not (project / "cache" / "notebook").exists()
    assert sorted(p.name for p in kept.iterdir()) == [MARKER, "notes.txt"]  # figgen's files went, notes stay
