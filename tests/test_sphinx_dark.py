"""figgen.sphinx in the HTML themes that have a dark mode (Furo, pydata-sphinx-theme, sphinx-book-theme:
Jupyter Book's), built with the real sphinx-build and looked at in Chromium in each scheme: every figure comes
in figgen's light and dark themes, the theme's own stylesheet shows exactly one of the pair, and the pixels
of the figure are dark in the dark scheme and light in the light one. An explicit figgen_theme builds one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from tests._browser import CHROMIUM, Browser
from tests._readme import ROOT

pytestmark = pytest.mark.docs

THEMES = {  # html_theme -> how a reader's choice of scheme shows in the page
    "furo": "document.body.dataset.theme = '{scheme}'",
    "pydata_sphinx_theme": "document.documentElement.dataset.theme = '{scheme}'",
    "sphinx_book_theme": "document.documentElement.dataset.theme = '{scheme}'",
}

PAGE = """Figures
=======

.. figgen:: softmax
   :caption: Softmax, in the reader's scheme.

.. figgen:: weights_evolution
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """One site per theme, built from one project (figgen's files are built once and shared), a Furo site
    with figgen_theme set and an Alabaster one with figgen_dark_mode on."""
    pytest.importorskip("furo")
    pytest.importorskip("pydata_sphinx_theme")
    pytest.importorskip("sphinx_book_theme")
    root = tmp_path_factory.mktemp("dark")
    shutil.copytree(ROOT / "recipes", root / "recipes", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "docs").mkdir()
    (root / "docs/index.rst").write_text(PAGE)
    conf = (
        'project = "Dark"\nextensions = ["figgen.sphinx"]\nfiggen_recipes = "../recipes"\nfiggen_quick = 1\n'
    )
    (root / "docs/conf.py").write_text(conf)
    env = {**os.environ, "FIGGEN_CACHE": str(tmp_path_factory.getbasetemp() / "shared-cache")}
    built = {}
    # figgen_theme wins over the theme's dark mode; figgen_dark_mode gives one to another theme (the files
    # of both are those built for the other sites: nothing is drawn again)
    chosen = [("furo-light", ["-D", "figgen_theme=light"]), ("alabaster-on", ["-D", "figgen_dark_mode=1"])]
    for theme, extra in [*((t, []) for t in THEMES), *chosen]:
        html_theme = theme.split("-")[0]
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "-W", "--no-color", "-D", f"html_theme={html_theme}", *extra]
            + ["docs", f"out/{theme}"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        built[theme] = root / "out" / theme / "index.html"
    return built


def test_a_theme_with_a_dark_mode_gets_each_figure_in_both_themes(sites):
    for theme in THEMES:
        html = sites[theme].read_text()
        assert html.count('class="figgen-pair"') == 2, theme
        assert html.count('class="only-light"') == 1 and html.count('class="only-dark"') == 1  # the still
        assert 'class="figgen-player only-light"' in html and 'class="figgen-player only-dark"' in html
    html = sites["furo-light"].read_text()  # figgen_theme: one theme, whatever the scheme
    assert "figgen-pair" not in html and "only-dark" not in html and "figgen-player" in html
    html = sites["alabaster-on"].read_text()  # figgen_dark_mode = 1: pairs (for a stylesheet of one's own)
    assert html.count('class="figgen-pair"') == 2 and 'class="figgen-player only-dark"' in html


# the visible one of each pair: its class, and its box (scrolled into view)
VISIBLE = """
Array.from(document.querySelectorAll('.figgen-pair')).map(pair => {
  const shown = Array.from(pair.querySelectorAll('img, iframe'))
    .filter(e => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0);
  return shown.map(e => e.className);
})
"""
BOX = """
(() => {{
  const e = Array.from(document.querySelectorAll('.figgen-pair')[{index}].querySelectorAll('img, iframe'))
    .find(e => getComputedStyle(e).display !== 'none');
  e.scrollIntoView({{block: 'center'}});
  const r = e.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom];
}})()
"""


@pytest.mark.browser
@pytest.mark.parametrize("theme", list(THEMES))
def test_readers_see_the_figure_of_their_scheme(sites, theme, tmp_path):
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian package 'chromium')")
    with Browser(tmp_path / "profile") as browser:
        page = browser.open(sites[theme].as_uri(), width=1200, height=1000)
        page.wait_for("document.readyState === 'complete'")
        for scheme in ("dark", "light"):
            page.evaluate(THEMES[theme].format(scheme=scheme))
            shown = page.evaluate(VISIBLE)
            assert [len(s) for s in shown] == [1, 1], shown  # exactly one of each pair
            assert all(f"only-{scheme}" in s[0].split() for s in shown), shown
            for index, kind in enumerate(("still", "player")):
                box = page.evaluate(BOX.format(index=index))
                if kind == "player":  # the player has loaded and sized itself
                    page.wait_for(
                        "Array.from(document.querySelectorAll('iframe.figgen-player'))"
                        ".every(f => f.style.height.endsWith('px'))"
                    )
                    box = page.evaluate(BOX.format(index=index))
                    page.evaluate("new Promise(r => setTimeout(r, 300))")
                shot = page.screenshot(tmp_path / f"{theme}-{scheme}-{kind}.png")
                with Image.open(shot) as image:
                    region = image.convert("L").crop(tuple(round(v) for v in box))
                    # the median: most of the figure is its background (a weight sheet is white at 0)
                    brightness = ImageStat.Stat(region).median[0]
                print(f"{theme} {scheme} {kind}: median brightness {brightness}", file=sys.__stderr__)
                assert brightness < 80 if scheme == "dark" else brightness > 200, (theme, scheme, kind)
    keep = os.environ.get("FIGGEN_KEEP_SCREENSHOTS")
    if keep:  # to look at them: FIGGEN_KEEP_SCREENSHOTS=/tmp/shots
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in tmp_path.glob("*.png"):
            shutil.copy2(shot, Path(keep) / shot.name)
