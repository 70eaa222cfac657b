"""The MkDocs plugin on a Material for MkDocs site with a light/dark toggle, built once with the real
``mkdocs build --strict`` from the README's examples (``mkdocs.yml`` with Material's ``theme``, and
``docs/options.md``: per-image options): each figure comes in figgen's light and dark themes, and in a real
Chromium the reader sees exactly one of each pair, light on the default scheme and dark on slate."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests._browser import CHROMIUM, Browser
from tests._readme import examples, project

MKDOCS = [sys.executable, "-m", "mkdocs"]

pytestmark = pytest.mark.docs


@pytest.fixture(scope="module")
def material(tmp_path_factory) -> Path:
    """The README's site with Material's light/dark toggle and the options page, built (quick sizes)."""
    root = project(tmp_path_factory.mktemp("material"), "docs/options.md")
    (readme_config,) = examples("mkdocs.yml")
    (root / "mkdocs.yml").write_text(
        readme_config.replace("quick: false", "quick: true") + examples("theme")[0]
    )
    cache = tmp_path_factory.getbasetemp() / "shared-cache"  # the docs tests' shared training cache
    docs = sorted(p.relative_to(root) for p in (root / "docs").rglob("*"))
    done = subprocess.run(
        [*MKDOCS, "build", "--strict"],
        cwd=root,
        env={**os.environ, "FIGGEN_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.relative_to(root) for p in (root / "docs").rglob("*")) == docs  # nothing written there
    return root


@pytest.fixture(scope="module")
def page(material) -> str:
    return (material / "site/options/index.html").read_text()


def sources(page: str, pattern: str) -> list[str]:
    return re.findall(pattern, page)


def test_each_figure_is_a_light_and_dark_pair_with_its_options(material, page, tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "shared-cache"

    def manifest(src: str) -> dict:
        folder = src.split("/")[-2]
        return next(
            iter(json.loads((cache / "mkdocs" / folder / "manifest.json").read_text())["recipes"].values())
        )

    assert (
        "figgen:" not in page and "{ " not in page.split("<article")[1]
    )  # every reference and its braces used
    # the stylesheet that switches the players and videos, added to the site
    assert '<link rel="stylesheet" href="../figgen/figgen.css">' in page
    css = (material / "site/figgen/figgen.css").read_text()
    assert '[data-md-color-scheme="slate"] .figgen-only-light' in css
    assert '[data-md-color-scheme="default"] .figgen-only-dark' in css
    # the player: width 480, its anchor around the pair
    players = sources(
        page,
        r'<div class="figgen-only-(light|dark)"><iframe class="figgen-player" src="([^"]+)"[^>]*'
        r"max-width:480px",
    )
    assert [scheme for scheme, _ in players] == ["light", "dark"]
    assert [manifest(src)["theme"] for _, src in players] == ["light", "dark"]
    assert '<div id="descent"><div class="figgen-only-light"><iframe' in page
    # the video: its parameters and its class
    videos = sources(
        page, r'<div class="figgen-only-(light|dark)"><video class="figgen-video wide" src="([^"]+)"'
    )
    assert [scheme for scheme, _ in videos] == ["light", "dark"]
    for scheme, src in videos:
        assert manifest(src)["theme"] == scheme
        assert (
            manifest(src)["params"]["LEARNING_RATES"] == [0.1, 0.5] and manifest(src)["params"]["STEPS"] == 12
        )
    # the image: Material's own pair, each 300 wide
    images = sources(page, r'<img alt="[^"]+" src="([^"]+\.png)#only-(light|dark)" width="300" />')
    assert [scheme for _, scheme in images] == ["light", "dark"]
    assert [manifest(src)["theme"] for src, _ in images] == ["light", "dark"]
    # an image with a theme of its own is that one image
    (svg,) = sources(page, r'<img alt="Softmax on a dark slide" src="([^"#]+\.svg)" />')
    assert (manifest(svg)["theme"], manifest(svg)["preset"]) == ("dark", "slides")


def luminance(png: bytes, box: list[float]) -> float:
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("L")
    left, top, width, height = box
    inner = (left + width * 0.1, top + height * 0.1, left + width * 0.9, top + height * 0.9)
    return ImageStat.Stat(image.crop(tuple(round(v) for v in inner))).mean[0]


SHOWN = """Array.from(document.querySelectorAll('article iframe, article video, article img')).map(e => {
  const r = e.getBoundingClientRect();
  return [e.tagName, e.getAttribute('src'), e.checkVisibility(), [r.left, r.top, r.width, r.height]];
})"""
READY = """Array.from(document.querySelectorAll('article iframe, article video, article img'))
  .filter(e => e.checkVisibility())
  .every(e => e.tagName == 'IFRAME' ? e.style.height.endsWith('px')
    : e.tagName == 'VIDEO' ? e.readyState >= 2 : e.complete && e.naturalWidth > 0)"""


@pytest.mark.browser
def test_the_reader_sees_one_of_each_pair_light_on_default_and_dark_on_slate(material, tmp_path):
    if CHROMIUM is None:
        pytest.skip("no Chromium installed (Debian package 'chromium')")
    seen = {}
    with Browser(tmp_path / "profile") as browser:
        tab = browser.open((material / "site/options/index.html").as_uri(), width=1000, height=2600)
        tab.wait_for("document.readyState == 'complete'")
        for scheme in ("default", "slate"):
            tab.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
            tab.wait_for(READY, timeout=30)
            png = base64.b64decode(tab.send("Page.captureScreenshot", format="png")["data"])
            (tmp_path / f"{scheme}.png").write_bytes(png)
            seen[scheme] = [
                (tag, src, luminance(png, box)) for tag, src, visible, box in tab.evaluate(SHOWN) if visible
            ]
    for scheme, figures in seen.items():
        # one player, one video, one PNG of the pair, and the SVG with a theme of its own
        assert [tag for tag, _, _ in figures] == ["IFRAME", "VIDEO", "IMG", "IMG"], (scheme, figures)
        for tag, src, light in figures:
            dark = scheme == "slate" or src.endswith(".svg")  # the SVG is dark on both: its theme="dark"
            assert (light < 80) if dark else (light > 170), (scheme, tag, src, light)
    assert {src for _, src, _ in seen["default"]} & {src for _, src, _ in seen["slate"]} == {
        next(src for _, src, _ in seen["slate"] if src.endswith(".svg"))
    }
