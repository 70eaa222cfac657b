"""The explorable output kind: a recipe's interactive page and its still, recorded, shown in the gallery and
the docs markup like the player, and driven in real Chromium through its controls and its JavaScript."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import figgen
from figgen.core.errors import FiggenError
from figgen.core.themes import get_preset, get_theme
from figgen.recipe.spec import read_recipe
from figgen.writers import OutputSet, formats_for
from figgen.writers.explorable import ExplorablePage, render_explorable
from figgen.writers.markup import player_html
from figgen.writers.outputs import explorable_still
from figgen.writers.player import CONTROLS_PX
from tests._browser import CHROMIUM, Browser
from tests.conftest import OWN_RECIPES, write_recipe

# A page with one knob: a labelled range over the values it holds, its state described and scriptable
DIAL = '''
"""A dial.

One knob, LEVEL, over the values the page holds.
"""
import numpy as np
from figgen.kit import ExplorablePage

PARAMS = {"LEVELS": [0.0, 0.5, 1.0, 2.0], "START": 1}
QUICK = {}
OUTPUTS = {"dial": "explorable"}
SCRIPT = """
var levels = FX.data.levels, input = document.getElementById("level");
var shown = document.getElementById("shown");
function show() {
  var value = levels[Number(input.value)];
  shown.textContent = value.toFixed(1);
  FX.describe("LEVEL is " + value.toFixed(1) + ", squared " + (value * value).toFixed(2) + ".");
}
input.addEventListener("input", show);
show();
FX.expose({
  set: function (values) {
    if ("LEVEL" in values) input.value = String(FX.nearest(levels, Number(values.LEVEL)));
    show();
    return this.state();
  },
  state: function () { var v = levels[Number(input.value)]; return {LEVEL: v, squared: v * v}; }
});
"""


def make(ctx, p):
    body = (
        '<div class="fx-controls"><label for="level">LEVEL</label>'
        f'<input type="range" id="level" min="0" max="{len(p.LEVELS) - 1}" step="1" value="{p.START}">'
        '<output id="shown" for="level"></output></div>'
    )
    page = ExplorablePage("A dial", body, SCRIPT, {"levels": p.LEVELS}, aspect=0.25)
    still = np.full((50, 200, 3), 200, np.uint8)
    ctx.explorable("dial", page, alt="A dial with one knob, LEVEL.", still=still)
'''


STATUS = "document.getElementById('fx-status').textContent"  # the aria-live description


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project with the dial recipe, built once with the default formats."""
    folder = tmp_path_factory.mktemp("explorable")
    (folder / "figgen.toml").write_text(OWN_RECIPES)
    (folder / "recipes").mkdir()
    write_recipe(folder / "recipes", "dial", DIAL)
    result = figgen.build(
        out=folder / "output",
        config=folder / "figgen.toml",
        cache=folder / "cache",
        recipes_dir=folder / "recipes",
    )
    assert result.ok, result.failures
    return folder


def test_an_explorable_is_its_page_and_its_still():
    assert formats_for("explorable", None) == ("html",)
    assert formats_for("explorable", ("gif", "png")) == ()
    assert formats_for("explorable", ("html",)) == ("html",)
    # its still is its poster, with the page and with PNG (not with an animation's GIF, as a poster is)
    assert explorable_still(("html",)) == explorable_still(("png",)) == explorable_still(None) == ("png",)
    assert explorable_still(("gif", "mp4")) == ()


def test_the_build_records_the_page_and_its_still(built):
    manifest = json.loads((built / "output" / "manifest.json").read_text())
    records = {r["path"]: r for r in manifest["recipes"]["dial"]["outputs"]}
    assert set(records) == {"dial.html", "dial_poster.png"}
    page, still = records["dial.html"], records["dial_poster.png"]
    assert (page["kind"], page["format"], page["width"], page["height"]) == ("explorable", "html", 800, 200)
    assert (still["kind"], still["width"], still["height"]) == ("poster", 200, 50)
    assert still["alt"] == "The page's first state: A dial with one knob, LEVEL."
    html = (built / "output" / "dial.html").read_text()
    assert "http://" not in html and "https://" not in html and "<link" not in html  # nothing to fetch
    assert 'data-theme="light"' in html and 'data-preset="docs"' in html


def test_the_gallery_shows_the_page_with_its_still_where_no_script_runs(built):
    gallery = (built / "output" / "index.html").read_text()
    iframe = re.search(r'<iframe class="figgen-player figgen-explorable" src="dial.html"[^>]*>', gallery)
    assert iframe and 'height="200"' in iframe.group(0)  # the page's own height: no player controls below
    assert '<noscript><img src="dial_poster.png"' in gallery
    assert gallery.count("<figure") == 1  # the still is linked from the page's card, not a card of its own


def test_the_markup_sizes_an_explorable_by_the_page_and_a_player_by_its_frames():
    page = player_html("p.html", width=800, height=300, alt="a", kind="explorable")
    player = player_html("p.html", width=800, height=300, alt="a")
    assert 'height="300"' in page and "aspect-ratio:800/300" in page and "figgen-explorable" in page
    assert f'height="{300 + CONTROLS_PX}"' in player and "figgen-explorable" not in player


def test_other_formats_write_the_still_alone_or_nothing(tmp_path):
    declared = {"dial": "explorable"}
    page = ExplorablePage("t", "<p>x</p>", "FX.expose({set: function () {}, state: function () {}});")
    still = np.zeros((4, 4, 3), np.uint8)
    cases = [(("png",), ["dial_poster.png"]), (("gif",), []), (None, ["dial.html", "dial_poster.png"])]
    for chosen, files in cases:
        out = OutputSet("r", declared, tmp_path, get_theme("light"), get_preset("docs"), chosen)
        out.explorable("dial", page, alt="A page.", still=still)
        assert sorted(name for _, name in out.staged) == files
        out.discard()
    out = OutputSet("r", declared, tmp_path, get_theme("light"), get_preset("docs"))
    with pytest.raises(FiggenError, match="needs an ExplorablePage, or a page as text with its size"):
        out.explorable("dial", "<html></html>", alt="A page.", still=still)
    with pytest.raises(FiggenError, match="do not declare as 'explorable'"):
        out.explorable("other", page, alt="A page.", still=still)
    assert not list(tmp_path.iterdir())


def test_the_shell_takes_the_theme_and_the_preset():
    page = ExplorablePage("t", "<p>x</p>", "")
    light = render_explorable(page, get_theme("light"), get_preset("docs"), "alt")
    dark = render_explorable(page, get_theme("dark"), get_preset("slides"), "alt")
    blind = render_explorable(page, get_theme("light", "colorblind"), get_preset("docs"), "alt")
    clear = render_explorable(page, get_theme("transparent"), get_preset("docs"), "alt")
    assert "--fx-bg: rgb(255,255,255);" in light and "color-scheme: light" in light
    assert "--fx-bg: rgb(24,26,31);" in dark and "color-scheme: dark" in dark
    assert "min(36px, calc(36 * 100vw / 1920))" in dark  # projector-sized text and controls, scaled to fit
    assert "--fx-accent: rgb(0,158,115);" in blind  # Okabe-Ito's bluish green
    assert "--fx-bg: transparent;" in clear and "text-shadow" in clear
    # nothing the page carries can end its script or style early
    hostile = ExplorablePage("t", "", "var s = '</script><b>';", {"k": "</script>"}, style="</style>")
    html = render_explorable(hostile, get_theme("light"), get_preset("docs"), "alt")
    assert html.count("</script>") == 3 and html.count("</style>") == 1


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")
def test_the_page_answers_its_keys_and_its_script(built, tmp_path):
    with Browser(tmp_path / "profile") as browser:
        page = browser.open((built / "output" / "dial.html").as_uri())
        page.wait_for("document.documentElement.dataset.state === 'ready'")
        assert page.evaluate("figgenExplorable.state()") == {"LEVEL": 0.5, "squared": 0.25}
        assert page.evaluate("document.getElementById('fx-status').getAttribute('aria-live')") == "polite"
        page.click(*page.centre("#level", 0.5))  # the range input has the focus: its keys step it
        page.press("ArrowLeft")
        page.press("ArrowLeft")
        assert page.evaluate("figgenExplorable.state().LEVEL") == 0.0
        page.press("ArrowRight")
        assert page.evaluate("document.getElementById('shown').textContent") == "0.5"
        assert page.evaluate(STATUS) == "LEVEL is 0.5, squared 0.25."
        # set snaps to the nearest value the page holds
        assert page.evaluate("figgenExplorable.set({LEVEL: 1.7})") == {"LEVEL": 2.0, "squared": 4.0}
        assert page.evaluate(STATUS) == "LEVEL is 2.0, squared 4.00."
        assert page.evaluate("document.querySelector('label[for=level]').textContent") == "LEVEL"


def test_a_recipe_declares_explorable_outputs(tmp_path):
    folder = tmp_path / "recipes"
    folder.mkdir()
    write_recipe(folder, "dial", DIAL.replace('{"dial": "explorable"}', '{"dial": "interactive"}'))
    with pytest.raises(FiggenError, match="use 'animation', 'still' or 'explorable'"):
        read_recipe(folder / "dial.py")


def test_a_page_cannot_close_its_script_or_inject_markup():
    """A closing script tag in a page's script, in any case, and markup in a class name stay text."""
    from figgen.writers.explore.digit import digit_page

    page = ExplorablePage("t", "<p>x</p>", 'var s = "</SCRIPT><b>no</b>";', {"a": "</script>"})
    html = render_explorable(page, get_theme("light"), get_preset("docs"), "alt")
    assert html.lower().count("</script>") == 3  # the data, the shell, the page: nothing from their texts
    names = ["<b>0</b>", *map(str, range(1, 10))]
    digits = np.zeros((10, 784))
    body = digit_page(np.zeros((784, 10)), np.zeros(10), digits, np.arange(10), names).body
    assert "<b>0</b>" not in body and "&lt;b&gt;0&lt;/b&gt;" in body
