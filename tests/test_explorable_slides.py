"""Every explorable fits a slide: built with the slides preset and opened in a 1920 x 1080 window of real
Chromium, each page's controls and text lie inside the window (a page taller than its frame scales itself
down as a whole), and in the docs preset nothing is scaled."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

import figgen
from tests._browser import CHROMIUM, Browser

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["explore_descent", "draw_digit", "explore_training"]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")]

#: the lowest bottom edge of the page's content and of each control, the window's height, and the zoom
MEASURE = """(function () {
  var main = document.querySelector("main.fx"), bottom = main.getBoundingClientRect().bottom;
  var controls = Array.from(document.querySelectorAll("input, button, select, .fx-status"));
  var lowest = Math.max.apply(null, controls.map(function (c) { return c.getBoundingClientRect().bottom; }));
  return {bottom: bottom, controls: lowest, count: controls.length, height: innerHeight,
          zoom: Number(getComputedStyle(main).zoom || 1)};
})()"""

#: MEASURE taken the moment the page says it is ready (``data-state``), before any later layout can fix it
AT_READY = (
    """new MutationObserver(function (changes, observer) {
  if (document.documentElement.dataset.state !== "ready") return;
  observer.disconnect();
  window.atReady = """
    + MEASURE
    + """;
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-state"]});"""
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explorable-slides")
    for name in PAGES:
        shutil.copy(ROOT / "recipes" / f"{name}.py", folder / f"{name}.py")
    out = {}
    for preset in ("slides", "docs"):
        result = figgen.build(
            PAGES,
            out=folder / preset,
            cache=folder / "cache",
            recipes_dir=folder,
            quick=True,
            preset=preset,
            formats=["html"],
            gallery=False,
        )
        assert result.ok, result.failures
        out[preset] = folder / preset
    with Browser(folder / "profile") as browser:
        yield out, browser


@pytest.mark.parametrize("name", PAGES)
def test_on_a_slide_every_control_is_inside_the_frame(built, name):
    out, browser = built
    tab = browser.open((out["slides"] / f"{name}.html").as_uri(), width=1920, height=1080, first=AT_READY)
    try:
        seen = tab.wait_for("window.atReady")  # fitted as it says it is ready, not a moment later
        assert seen["count"] >= 2 and seen["height"] == 1080, seen
        assert seen["bottom"] <= 1080 + 0.5 and seen["controls"] <= 1080 + 0.5, seen
        assert seen["zoom"] > 0.6, seen  # scaled down, not to a postage stamp
        time.sleep(0.3)
        assert tab.evaluate(MEASURE) == seen  # and it stays so: nothing drawn after ready changes the fit
    finally:
        tab.close()


def test_in_a_document_a_page_is_never_scaled(built):
    out, browser = built
    tab = browser.open((out["docs"] / "explore_descent.html").as_uri(), width=800, height=300)
    try:
        tab.wait_for("document.documentElement.dataset.state === 'ready'")
        seen = tab.evaluate(MEASURE)
        assert seen["zoom"] == 1 and seen["bottom"] > 300, seen  # taller than its window: it scrolls
    finally:
        tab.close()
