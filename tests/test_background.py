"""--background: the transparent theme told the colour of the slide chooses inks that read on it."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from figgen.core.errors import FiggenError
from figgen.core.themes import (
    MARK_CONTRAST,
    PALETTES,
    TEXT_CONTRAST,
    THEMES,
    contrast,
    get_theme,
    parse_colour,
)
from figgen.figures.basics import softmax_figure
from figgen.figures.style import figure_to_array
from figgen.writers.mp4 import composite

SLIDES = ["#1f4e9c", "#202124", "#f5f0e1", "#c0392b", "#808080", "#ffffff", "#000000"]


@pytest.mark.parametrize("slide", SLIDES)
@pytest.mark.parametrize("palette", list(PALETTES))
def test_inks_read_on_the_slide_they_are_told_of(slide, palette):
    theme = get_theme("transparent", palette, slide)
    page = parse_colour(slide)
    assert theme.slide == page and theme.background == (*page, 0) and theme.page == page
    assert theme.outline is None  # inks that read on the slide need no halo (one would eat thin trails)
    for ink in (theme.foreground, theme.muted):
        assert contrast(ink, page) >= TEXT_CONTRAST
    for mark in (theme.good, theme.mistake, *theme.series):
        assert contrast(mark, page) >= MARK_CONTRAST
        assert contrast(theme.text_ink(mark), page) >= TEXT_CONTRAST


@pytest.mark.parametrize("name", list(THEMES))
@pytest.mark.parametrize("palette", list(PALETTES))
def test_every_theme_and_palette_keeps_three_to_one_for_its_marks(name, palette):
    theme = get_theme(name, palette)
    for mark in (theme.good, theme.mistake, *theme.series):  # the dark theme's brown was 2.9:1
        assert contrast(mark, theme.page) >= MARK_CONTRAST, mark
    assert contrast(theme.foreground, theme.page) >= TEXT_CONTRAST


def test_the_default_blue_bars_show_on_a_blue_slide_only_when_told():
    """On #1f4e9c the default theme's bars vanish; told the slide, they stand out from it in the pixels."""
    slide = np.array(parse_colour("#1f4e9c"))
    examples = [("softmax([0.1, 0.005, 2])", np.array([0.1, 0.005, 2.0]), np.array([0.116, 0.106, 0.778]))]

    def bar_contrast(theme):
        fig = softmax_figure(examples, theme, "docs")
        pixels = figure_to_array(fig).astype(float)
        bar = fig.axes[0].patches[2].get_window_extent()
        x, y = int((bar.x0 + bar.x1) / 2), int(pixels.shape[0] - (bar.y0 + bar.y1) / 2)
        rgba = pixels[y, x]
        on_slide = rgba[:3] * rgba[3] / 255 + slide * (1 - rgba[3] / 255)  # composited as a slide shows it
        return contrast(tuple(round(c) for c in on_slide), tuple(slide))

    assert bar_contrast(get_theme("transparent")) < 2  # the blue bar on the blue slide
    assert bar_contrast(get_theme("transparent", background="#1f4e9c")) >= MARK_CONTRAST


def test_mp4_flattens_onto_the_slide_colour():
    frame = np.zeros((2, 2, 4), np.uint8)
    frame[0, 0] = (200, 10, 10, 255)
    flat = composite(frame, (31, 78, 156))
    assert tuple(flat[0, 0]) == (200, 10, 10) and tuple(flat[1, 1]) == (31, 78, 156)
    assert tuple(composite(frame)[1, 1]) == (255, 255, 255)  # unknown: white, as before


@pytest.mark.parametrize("bad", ["blue", "#12345", "#gg0000", ""])
def test_a_colour_that_is_not_one_is_refused(bad):
    with pytest.raises(FiggenError, match="--background must be a colour as #rrggbb"):
        get_theme("transparent", background=bad)


def test_background_belongs_to_the_transparent_theme(tmp_path):
    with pytest.raises(FiggenError, match="--background is for the transparent theme"):
        get_theme("dark", background="#1f4e9c")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "figgen",
            "build",
            "softmax",
            "--background",
            "#1f4e9c",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        "figgen: error: --background is for the transparent theme; the light theme paints its own background"
    ]
    (tmp_path / "figgen.toml").write_text('theme = "transparent"\nbackground = "#1f4e9c"\n')
    from figgen.builder.options import BuildOptions

    options = BuildOptions.resolve(config=str(tmp_path / "figgen.toml"))
    assert options.background == "#1f4e9c" and options.theme == "transparent"


def test_the_gallery_and_the_player_show_a_see_through_figure_on_its_slide(tmp_path):
    from figgen import api

    api.build(
        ["softmax", "gradient_descent"],
        out=tmp_path / "out",
        quick=True,
        formats=["png", "html"],
        theme="transparent",
        background="#1f4e9c",
        cache=tmp_path / "cache",
    )
    page = (tmp_path / "out" / "index.html").read_text()
    assert page.count('data-slide style="--slide: #1f4e9c"') == 2  # softmax, the player (its stills: links)
    player = (tmp_path / "out" / "gradient_descent.html").read_text()
    assert "background: rgb(31,78,156);" in player


@pytest.mark.parametrize("value", ["red; } body { display: none", '#1f4e9c" onload="x', None, 7])
def test_the_gallery_takes_only_a_colour_from_the_manifest(value):
    from figgen.builder.gallery import _slide

    assert _slide({"background": value}) == ""
    assert _slide({"background": "#A0b1C2"}) == ' data-slide style="--slide: #A0b1C2"'
