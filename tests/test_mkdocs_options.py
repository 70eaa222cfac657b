"""The MkDocs plugin's options per image, written with Python-Markdown's attr_list after a ``figgen:`` image
(``{ width="300" theme="dark" set="STEPS=12" }``): how they are read, and a bad one stopping the real
``mkdocs build`` with the page, the line and the reference. (What they do to a built page: the Material
site of tests/test_mkdocs_material.py.)"""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import pytest

from figgen.core.errors import FiggenError
from figgen.integrations.mkdocs import FiggenPlugin, _attr_list, _media_attrs, read_attrs
from tests._readme import examples, project

MKDOCS = [sys.executable, "-m", "mkdocs"]


@pytest.mark.parametrize(
    ("written", "options", "params", "attrs"),
    [
        (' width="300" ', {}, {}, [("width", "300")]),
        (
            ' theme="dark" preset=slides quick set="LEARNING_RATES=0.1,0.5 STEPS=12" ',
            {"theme": "dark", "preset": "slides", "quick": True},
            {"LEARNING_RATES": "0.1,0.5", "STEPS": "12"},
            [],
        ),
        (
            ' quick="false" .wide #descent title=\'a "b"\'',
            {"quick": False},
            {},
            [(".", "wide"), ("id", "descent"), ("title", 'a "b"')],
        ),
        (" loading=eager hidden", {}, {}, [("loading", "eager"), ("hidden", None)]),
        (None, {}, {}, []),
    ],
)
def test_an_images_braces_are_figgens_choices_and_the_images_attributes(written, options, params, attrs):
    assert read_attrs(written) == (options, params, attrs)


def test_the_attributes_left_are_written_back_as_attr_list_reads_them():
    attrs = read_attrs(""" width="300" .wide #bars title='a "b"' hidden data-x=1 """)[2]
    assert _attr_list(attrs) == """{ width="300" .wide id="bars" title='a "b"' hidden data-x="1" }"""
    assert read_attrs(_attr_list(attrs)[1:-1])[2] == attrs  # the same attributes, read again
    assert _attr_list([]) == ""


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("TRAIN_SIZE=1000", 'TRAIN_SIZE: a parameter is set with set="TRAIN_SIZE=1000"'),
        ('set="TRAIN_SIZE"', "set item 'TRAIN_SIZE': expected KEY=VALUE"),
        ("set", 'set takes KEY=VALUE items: set="TRAIN_SIZE=1000 LEARNING_RATE=0.1"'),
        ("theme", 'theme takes a value: theme="..."'),
        ('quick="yes"', 'quick="yes": expected quick (or quick="true"), or quick="false"'),
    ],
)
def test_a_choice_written_wrong_is_a_one_line_error(written, message):
    with pytest.raises(FiggenError) as caught:
        read_attrs(written)
    assert str(caught.value) == message


def test_a_player_or_video_takes_width_classes_and_an_id_only():
    chosen, ident = _media_attrs(read_attrs(' width="480" .wide class="a b" #descent')[2], "frame", "html")
    assert chosen == {"classes": ["wide", "a", "b"], "max_width": "480px"} and ident == "descent"
    assert _media_attrs([("width", "60%")], "video", "mp4")[0]["max_width"] == "60%"
    with pytest.raises(FiggenError, match=r"^'height' is for an image: a player \(html\) takes width, class"):
        _media_attrs([("height", "200")], "frame", "html")
    with pytest.raises(FiggenError, match=r"^'title' is for an image: a video \(mp4\) takes width"):
        _media_attrs([("title", "x")], "video", "mp4")
    with pytest.raises(FiggenError, match=r"^'width' takes a value on a player \(html\): width=\"…\"$"):
        _media_attrs([("width", "")], "frame", "html")
    with pytest.raises(FiggenError, match=r'^width="wide": expected a CSS width \(300, 300px, 50%\)$'):
        _media_attrs([("width", "wide")], "frame", "html")


def shown_page(monkeypatch, markdown: str, *, attr_list: bool) -> str:
    """The page as the plugin leaves it, each figgen image shown as ``[SHOWN target|attrs]``."""
    plugin = FiggenPlugin()
    plugin.attr_list = attr_list

    def show(match, page, config, files):
        return f"[SHOWN {match['target']}|{match.groupdict().get('attrs')}]"

    monkeypatch.setattr(plugin, "_show", show)
    return plugin.on_page_markdown(
        markdown, SimpleNamespace(file=SimpleNamespace(src_uri="guide.md")), None, None
    )


@pytest.mark.parametrize(
    ("markdown", "with_attr_list", "without"),
    [
        (
            '![](figgen:a.html){ width="300" }.',
            '[SHOWN a.html| width="300" ].',
            '[SHOWN a.html|None]{ width="300" }.',
        ),
        ('![](figgen:a.png "t"){: .x w="}" }', '[SHOWN a.png| .x w="}" ]', '[SHOWN a.png|None]{: .x w="}" }'),
        ("![](figgen:a.png) {.x}", "[SHOWN a.png|None] {.x}", "[SHOWN a.png|None] {.x}"),  # not attached
        ("`![](figgen:a.png){.x}`", "`![](figgen:a.png){.x}`", "`![](figgen:a.png){.x}`"),  # code
    ],
)
def test_braces_belong_to_the_image_only_with_attr_list(monkeypatch, markdown, with_attr_list, without):
    assert shown_page(monkeypatch, markdown, attr_list=True) == with_attr_list
    assert shown_page(monkeypatch, markdown, attr_list=False) == without  # as before: the braces stay text


# --- a bad option, or a cache in the docs, stops the real mkdocs build ------------------------------------


@pytest.mark.docs
def test_a_bad_option_or_a_cache_inside_the_docs_stops_the_build_in_one_line(tmp_path, monkeypatch):
    root = project(tmp_path / "site", "mkdocs.yml")
    monkeypatch.chdir(root)
    monkeypatch.setenv("FIGGEN_CACHE", str(tmp_path / "cache"))
    (root / "docs").mkdir()

    def build(page: str) -> str:
        (root / "docs/index.md").write_text(page)
        done = subprocess.run([*MKDOCS, "build"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 1
        return [line for line in done.stderr.splitlines() if line.startswith("ERROR")][-1]

    assert build('# A\n\n![](figgen:softmax.png){ width="300" theme="drak" }\n').endswith(
        """index.md:3: figgen:softmax.png{ width="300" theme="drak" }: """
        "unknown theme 'drak' (did you mean 'dark'?)"
    )
    assert build('![](figgen:softmax.png){ set="LOGIT=1,2" }\n').endswith(
        """index.md:1: figgen:softmax.png{ set="LOGIT=1,2" }: """
        "recipe 'softmax' has no parameter 'LOGIT' (did you mean 'LOGITS'?)"
    )
    front_matter = "---\ntitle: C\n---\n\n"  # the lines count from the file's first, as an editor's do
    assert build(front_matter + '# C\n![](figgen:softmax.png){ ZEROS="3" }\n').endswith(
        """index.md:6: figgen:softmax.png{ ZEROS="3" }: ZEROS: a parameter is set with set="ZEROS=3\""""
    )
    assert list((tmp_path / "cache/mkdocs").glob("*-*/")) == []  # each refused before any work
    (root / "mkdocs.yml").write_text(examples("mkdocs.yml")[0].replace("quick: false", "cache: docs/.cache"))
    error = build("![](figgen:softmax.png)\n")
    assert error.endswith(
        f"figgen: the cache folder {root}/docs/.cache is inside docs_dir {root}/docs: figgen builds there, "
        "so set the plugin's cache to a folder outside it"
    )
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["index.md"]  # nothing written there


@pytest.mark.docs
def test_a_build_reads_the_recipes_once_however_many_figures_a_page_shows(project, monkeypatch):
    """Each build (``mkdocs serve`` builds again after every edit) reads the recipe folder once, not once
    per figure, and again at the next build, which sees an edited recipe."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from figgen import api

    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - figgen:\n      quick: true\n")
    page = "![](figgen:square.png)\n\n![](figgen:square.png)\n\n![](figgen:blink)\n"
    (project / "docs/index.md").write_text(page)
    reads = []
    listed = api.list_recipes
    monkeypatch.setattr(api, "list_recipes", lambda *args, **kw: reads.append(args) or listed(*args, **kw))
    config = load_config(str(project / "mkdocs.yml"))
    build(config)
    assert len(reads) == 1
    build(config)
    assert len(reads) == 2
    assert (project / "site/index.html").read_text().count('src="figgen/square-') == 2


def test_serve_watches_every_recipe_folder_and_figgen_toml(project):
    """The user's recipes/ is watched even when figgen's own recipes come first in the catalogue."""
    from figgen.recipe.spec import recipe_folders

    (project / "figgen.toml").write_text('theme = "light"\n')
    plugin = FiggenPlugin()
    plugin.load_config({})
    watched: list[str] = []
    plugin.on_serve(SimpleNamespace(watch=watched.append), None, None)
    assert str(project / "recipes") in watched and str(project / "figgen.toml") in watched
    assert watched[:-1] == [str(folder.resolve()) for folder in recipe_folders()]


@pytest.mark.parametrize(
    ("name", "palette", "pairs"),
    [
        ("material", [{"scheme": "default"}, {"scheme": "slate"}], True),  # the toggle
        ("material", {"scheme": "slate"}, True),  # slate alone
        ("material", {"scheme": "default"}, False),
        ("material", None, False),
        ("mkdocs", None, False),
    ],
)
def test_light_and_dark_pairs_only_on_material_with_slate(name, palette, pairs):
    from mkdocs.theme import Theme

    from figgen.integrations.mkdocs import _has_slate

    theme = Theme(name=name, **({"palette": palette} if palette else {}))
    assert _has_slate(theme) is pairs
