"""Page embedding has one home: the markup that shows an output in a page (figgen.writers.markup), used by
the gallery, Sphinx, MkDocs and notebooks; the docs tools' default formats and build options
(figgen.integrations.pages); the filmstrip's name, KEY=VALUE parsing and a failed recipe's wording, each
written once. The exact strings below are what the pages held before the markup moved there."""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path
from types import SimpleNamespace

import pytest

from figgen.builder.manifest import Output
from figgen.builder.options import OPTIONS, parse_sets
from figgen.core.errors import FiggenError, recipe_failed
from figgen.integrations.pages import PAGE_FORMATS, PAGE_OPTIONS, PageChoice
from figgen.writers import WRITERS, formats
from figgen.writers._frame import HOST_SCRIPT
from figgen.writers.markup import SHOWN_AS, image_html, link_html, player_html, shown_as, video_html

PACKAGE = Path(__file__).resolve().parents[1] / "figgen"
KINDS = {"still", "filmstrip", "animation", "explorable"}


def sources() -> dict[str, ast.Module]:
    return {str(p.relative_to(PACKAGE.parent)): ast.parse(p.read_text()) for p in PACKAGE.rglob("*.py")}


def literals(tree: ast.Module) -> list[str]:
    """Every string in the code (f-strings' text included), docstrings left out."""
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            docstrings.add(id(body[0].value))
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    ]


def homes(text: str) -> set[str]:
    """The modules whose code (not their docstrings) holds ``text``."""
    return {name for name, tree in sources().items() if any(text in s for s in literals(tree))}


@pytest.mark.parametrize(
    ("text", "home"),
    [
        ("<video", "figgen/writers/markup.py"),
        ("controls loop muted playsinline", "figgen/writers/markup.py"),
        ("<iframe", "figgen/writers/markup.py"),
        ("<img", "figgen/writers/markup.py"),
        ("figgen-link", "figgen/writers/markup.py"),
        ("figgen-video", "figgen/writers/markup.py"),
        ("_filmstrip", "figgen/writers/outputs.py"),
        ("expected KEY=VALUE", "figgen/builder/options.py"),
        (" failed: ", "figgen/core/errors.py"),
    ],
)
def test_each_piece_of_page_embedding_is_written_in_one_module(text, home):
    assert homes(text) == {home}


def test_one_table_of_default_formats_per_docs_tool_and_one_for_the_build():
    """A dict keyed by the three kinds is a table of formats: the build's, and one per docs tool."""
    tables: dict[str, int] = {}
    assigned: dict[str, set[str]] = {}
    for name, tree in sources().items():
        for node in ast.walk(tree):
            keys = {getattr(k, "value", None) for k in node.keys} if isinstance(node, ast.Dict) else set()
            if keys in (KINDS, KINDS | {"poster"}):  # the build's also says what an animation's poster gets
                tables[name] = tables.get(name, 0) + 1
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, set()).add(name)
    assert tables == {"figgen/writers/outputs.py": 1, "figgen/integrations/pages.py": len(PAGE_FORMATS)}
    assert set(PAGE_FORMATS) == {"sphinx", "mkdocs", "notebook", "myst"}
    assert assigned["PAGE_FORMATS"] == {"figgen/integrations/pages.py"} and "DEFAULT_FORMATS" not in assigned
    assert all(set(table) == KINDS for table in PAGE_FORMATS.values())


def test_how_a_page_shows_a_format_is_looked_up_once_and_said_by_each_writer():
    readers = {
        name
        for name, tree in sources().items()
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and n.attr == "shown_as"
    }
    assert readers == {"figgen/writers/markup.py"}
    assert not any(hasattr(cls, "embed") for cls in WRITERS.values())
    for name, tree in sources().items():  # the old names of the lookups and the player's markup are gone
        defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        assert not defined & {"embed_html", "_embed", "_parse_sets"}, name
    shown = {fmt: shown_as(fmt) for fmt in formats()}
    assert shown == {
        "gif": "img",
        "mp4": "video",
        "webp": "img",
        "html": "frame",
        "png": "img",
        "svg": "img",
        "pdf": "link",
        "frames": "link",  # the LaTeX snippet beside the frames
    }
    assert set(shown.values()) == set(SHOWN_AS) and shown_as("from-an-old-manifest") == "link"


def test_the_markup_escapes_everything_it_is_given():
    evil = 'x" onerror="alert(1)'
    assert image_html("a b.png", alt='Ten "sheets" <b>', width=120, height=80) == (
        '<img src="a b.png" alt="Ten &quot;sheets&quot; &lt;b&gt;" width="120" height="80" loading="lazy">'
    )
    assert image_html(evil, alt="a") == '<img src="x&quot; onerror=&quot;alert(1)" alt="a" loading="lazy">'
    assert video_html("v.mp4", alt="a & b", width=120, height=80, classes=["shadow"], max_width="60%") == (
        '<video class="figgen-video shadow" src="v.mp4" width="120" height="80" '
        'style="max-width:60%;height:auto" controls loop muted playsinline preload="metadata" '
        'aria-label="a &amp; b"></video>'
    )
    assert video_html("v.mp4", alt="a", classes=[evil], max_width=evil) == (
        '<video class="figgen-video x&quot; onerror=&quot;alert(1)" src="v.mp4" '
        'style="max-width:x&quot; onerror=&quot;alert(1);height:auto" controls loop muted playsinline '
        'preload="metadata" aria-label="a"></video>'
    )
    assert link_html("h d.pdf", text="<k> & more", classes=["handout"]) == (
        '<a class="figgen-link handout" href="h d.pdf">&lt;k&gt; &amp; more</a>'
    )


def test_a_data_uri_is_neither_preloaded_nor_lazy_and_a_video_without_classes_has_no_class():
    data = "data:video/mp4;base64,AA=="
    assert video_html(data, alt="a", width=3, height=2, max_width="100%") == (
        f'<video src="{data}" width="3" height="2" style="max-width:100%;height:auto" '
        'controls loop muted playsinline aria-label="a"></video>'
    )
    assert video_html("v.mp4", alt="a") == (
        '<video src="v.mp4" controls loop muted playsinline preload="metadata" aria-label="a"></video>'
    )
    assert image_html("data:image/png;base64,AA==", alt="a", width=3, height=2, max_width="100%") == (
        '<img src="data:image/png;base64,AA==" alt="a" width="3" height="2" '
        'style="max-width:100%;height:auto">'
    )


def test_the_player_fits_its_width_and_asks_for_its_height():
    style = "width:100%;max-width:{};aspect-ratio:120/168;height:auto;border:0"
    assert player_html("p q.html", width=120, height=80, alt='"t"') == (
        f'<iframe class="figgen-player" src="p q.html" title="&quot;t&quot;" width="120" height="168" '
        f'style="{style.format("120px")}" loading="lazy" sandbox="allow-scripts"></iframe>{HOST_SCRIPT}'
    )
    inline = player_html(None, width=120, height=80, alt="t", srcdoc='<p a="1">&</p>', classes=["a", "b"])
    assert inline.startswith(
        '<iframe class="figgen-player a b" srcdoc="&lt;p a=&quot;1&quot;&gt;&amp;&lt;/p&gt;"'
    )
    assert f'style="{style.format("60%")}"' in player_html("p", width=120, height=80, alt="", max_width="60%")


# --- the four pages that show outputs, each through the one markup


def test_the_gallery_shows_each_output_through_the_markup():
    from figgen.builder.gallery import render_gallery

    def record(path, output, fmt, alt, frames=None):
        size = {"width": 8, "height": 6, "bytes": 9}
        kind = {"recipe": output, "kind": "animation" if frames else "still", "sha256": "0" * 64}
        return {"path": path, "output": output, "format": fmt, "alt": alt, "frames": frames, **size, **kind}

    data = {"source": "sample", "fingerprint": "ab"}
    entry = {"title": "T", "description": "", "params": {}, "theme": "light", "preset": "docs", "data": data}
    outputs = [
        record("d.gif", "d", "gif", "A & B", 3),
        record("d.mp4", "d", "mp4", "A & B", 3),
        record("s.png", "s", "png", "S"),
        record("s.pdf", "s", "pdf", "S"),
    ]
    page = render_gallery({"figgen": "0", "recipes": {"d": {**entry, "outputs": outputs}}})
    assert '<img src="d.gif" alt="A &amp; B" width="8" height="6" loading="lazy">' in page
    assert "<video" not in page and '<a href="d.mp4">' in page  # an animation shows once: the MP4 a link
    alone = render_gallery({"figgen": "0", "recipes": {"d": {**entry, "outputs": outputs[1:2]}}})
    assert (
        '<video src="d.mp4" width="8" height="6" controls loop muted playsinline preload="metadata" '
        'aria-label="A &amp; B"></video>'
    ) in alone
    assert (
        '<img src="s.png" alt="S" width="8" height="6" loading="lazy">' in page and '<a href="s.pdf">' in page
    )
    player = [record("p.html", "p", "html", "P", 3), record("p.gif", "p", "gif", "P", 3)]
    page = render_gallery({"figgen": "0", "recipes": {"p": {**entry, "outputs": player}}})
    assert player_html("p.html", width=8, height=6, alt="P") in page and '<img src="p.gif"' not in page


def _output(tmp_path: Path, fmt: str, data: bytes) -> Output:
    path = tmp_path / f"o.{fmt}"
    path.write_bytes(data)
    return Output("r", "o", fmt, "still", path, 8, 6, None, len(data), "x", 'A "b"')


def test_a_notebook_shows_each_output_through_the_markup(tmp_path):
    from figgen.integrations.notebook import Shown

    video = Shown(_output(tmp_path, "mp4", b"\0\0"))._repr_mimebundle_()["text/html"]
    assert video == (
        '<video src="data:video/mp4;base64,AAA=" width="8" height="6" style="max-width:100%;height:auto" '
        'controls loop muted playsinline aria-label="A &quot;b&quot;"></video>'
    )
    image = Shown(_output(tmp_path, "png", b"\x89P"))._repr_mimebundle_()
    assert image["text/html"] == (
        '<img src="data:image/png;base64,iVA=" alt="A &quot;b&quot;" width="8" height="6" '
        'style="max-width:100%;height:auto">'
    )
    player = Shown(_output(tmp_path, "html", b"<p>&</p>"))._repr_mimebundle_()["text/html"]
    assert player == player_html(None, width=8, height=6, alt='A "b"', srcdoc="<p>&</p>")
    assert set(Shown(_output(tmp_path, "pdf", b"%PDF"))._repr_mimebundle_()) == {
        "application/pdf",
        "text/plain",
    }


def test_sphinx_shows_a_video_a_player_and_a_pdf_through_the_markup():
    from docutils import nodes

    from figgen.integrations.sphinx import figgen_media, visit_media_html

    def visit(shown: str, classes: list[str], size: str | None) -> str:
        node = figgen_media(shown_as=shown, filename="ab/w x.mp4", width=8, height=6, alt="A & B", size=size)
        node["classes"] = classes
        translator = SimpleNamespace(builder=SimpleNamespace(dlpath="_downloads"), body=[])
        with pytest.raises(nodes.SkipNode):
            visit_media_html(translator, node)
        return "".join(translator.body)

    assert visit("video", ["shadow"], "60%") == (
        '<video class="figgen-video shadow" src="_downloads/ab/w%20x.mp4" width="8" height="6" '
        'style="max-width:60%;height:auto" controls loop muted playsinline preload="metadata" '
        'aria-label="A &amp; B"></video>'
    )
    assert 'style="max-width:100%;height:auto"' in visit("video", [], None)
    assert visit("link", ["handout"], None) == (
        '<a class="figgen-link handout" href="_downloads/ab/w%20x.mp4">A &amp; B</a>'
    )
    assert visit("frame", [], "50%") == player_html(
        "_downloads/ab/w%20x.mp4", width=8, height=6, alt="A & B", max_width="50%"
    )


def test_mkdocs_shows_a_video_and_a_player_through_the_markup_and_the_rest_as_markdown(tmp_path, monkeypatch):
    from figgen.integrations import mkdocs, pages

    plugin = mkdocs.FiggenPlugin()
    errors, _ = plugin.load_config({"quick": True, "theme": "dark"})
    assert not errors
    calls = []

    def build_target(target, formats, root, **options):
        calls.append(options)
        return [_output(tmp_path, formats[0], b"x")]

    monkeypatch.setattr(pages, "find_target", lambda name, recipes=None, known=None, config=None: name)
    monkeypatch.setattr(pages, "choose_formats", lambda target, fmt, tool: (fmt,))
    monkeypatch.setattr(pages, "build_target", build_target)
    file = SimpleNamespace(url_relative_to=lambda page: "../figgen/r-1/o.x")
    files = SimpleNamespace(get_file_from_path=lambda uri: file)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="sub/page.md"))

    def show(text: str) -> str:
        return plugin._show(mkdocs.IMAGE.search(text), page, None, files)

    assert show("![a & b](figgen:r.mp4)") == (
        '\n\n<video class="figgen-video" src="../figgen/r-1/o.x" width="8" height="6" '
        'style="max-width:100%;height:auto" controls loop muted playsinline preload="metadata" '
        'aria-label="a &amp; b"></video>\n\n'
    )
    player = player_html("../figgen/r-1/o.x", width=8, height=6, alt='A "b"')  # empty alt: the recipe's
    assert show("![](figgen:r.html)") == f"\n\n{player}\n\n"
    assert show('![x](figgen:r.png "T")') == f'![x](../figgen/{tmp_path.name}/o.png "T")'
    assert show("![x](figgen:r.pdf)") == f"[x](../figgen/{tmp_path.name}/o.pdf)"
    assert calls[0]["quick"] is True and calls[0]["theme"] == "dark" and calls[0]["preset"] is None


# --- the docs tools' build options, KEY=VALUE, a failed recipe


def test_the_options_a_page_may_choose_are_build_options_and_every_docs_tool_offers_them():
    from figgen.integrations import mkdocs, notebook, sphinx

    assert PAGE_OPTIONS == {"theme": str, "preset": str, "quick": bool}
    assert typing.get_type_hints(PageChoice).keys() == PAGE_OPTIONS.keys()  # the typed form of the same
    assert set(PAGE_OPTIONS) <= {o.name for o in OPTIONS}
    assert set(PAGE_OPTIONS) <= set(sphinx.FiggenDirective.option_spec)
    settings = []
    app = SimpleNamespace(
        add_config_value=lambda name, default, rebuild, types: settings.append((name, default, types)),
        add_node=lambda *a, **k: None,
        add_directive=lambda *a: None,
        connect=lambda *a: None,
    )
    sphinx.setup(app)
    assert {
        ("figgen_theme", None, (str,)),
        ("figgen_preset", None, (str,)),
        ("figgen_quick", False, (bool,)),
    } <= set(settings)
    assert {name for name, _ in mkdocs.FiggenConfig._schema} == {*PAGE_OPTIONS, "config", "cache", "recipes"}
    assert set(PAGE_OPTIONS) <= set(inspect.signature(notebook.show).parameters)


def test_build_target_takes_only_the_page_options(project):
    from figgen.integrations.pages import build_target, find_target

    with pytest.raises(TypeError, match="unexpected keyword argument 'palette'"):
        build_target(find_target("square"), ("png",), project / "out", palette="colorblind")


def test_a_docs_tool_finds_recipes_as_its_figgen_toml_says(project, monkeypatch):
    """Sphinx run from docs/ with the project's figgen.toml (figgen_config): its recipes_dir and
    builtin_recipes decide which recipe a directive names, not a figgen.toml where sphinx-build runs."""
    from figgen.integrations.pages import find_target
    from tests.conftest import SQUARE, write_recipe

    (project / "mine").mkdir()
    write_recipe(project / "mine", "digit", SQUARE.replace("A gray square", "My digit"))
    (project / "figgen.toml").write_text('recipes_dir = "mine"\n')
    (project / "docs").mkdir()
    monkeypatch.chdir(project / "docs")
    target = find_target("digit", config=project / "figgen.toml")
    assert target.recipe.path == project / "mine" / "digit.py"  # the user's digit, not figgen's


def test_key_value_items_are_parsed_once_for_the_command_line_and_sphinx():
    assert parse_sets(["A=1", " B =2", "R.C=x=y"]) == {"A": "1", "B": "2", "R.C": "x=y"}
    assert parse_sets("A=1 B=2\n   C=x=y".split(), ":set: item") == {"A": "1", "B": "2", "C": "x=y"}
    with pytest.raises(FiggenError, match=r"^--set 'ZEROS': expected KEY=VALUE$"):
        parse_sets(["ZEROS"])
    with pytest.raises(FiggenError, match=r"^:set: item '=3': expected KEY=VALUE$"):
        parse_sets(["=3"], ":set: item")


def test_a_failed_recipe_is_worded_once():
    assert recipe_failed("weights", "ValueError: bad") == "recipe weights failed: ValueError: bad"
