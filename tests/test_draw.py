"""Tests of figgen.draw: lookup tables, the weight sheet, grids, themes and presets."""

import numpy as np
import pytest

from figgen.core.themes import PRESETS, THEMES, get_preset, get_theme
from figgen.draw import (
    apply_lut,
    colormap_lut,
    digit_grid,
    draw_text,
    filmstrip,
    symmetric_limit,
    text_size,
    upscale,
    weights_frame,
)
from figgen.draw.panels import SHEET_LEVELS, _sheet_layout, colorbar_width


def test_seismic_centre_is_exact_white_and_ends_are_the_extremes():
    lut = colormap_lut("seismic")
    assert len(lut) % 2 == 1
    assert tuple(lut[len(lut) // 2]) == (255, 255, 255)
    assert tuple(lut[0]) == (0, 0, 76) and tuple(lut[-1]) == (128, 0, 0)
    out = apply_lut(np.array([-0.3, 0.0, 0.3, 5.0]), lut, -0.3, 0.3)
    assert [tuple(c) for c in out] == [tuple(lut[0]), (255, 255, 255), tuple(lut[-1]), tuple(lut[-1])]


def test_apply_lut_accepts_names_and_odd_sizes_keep_a_centre():
    for n in (3, 41, 201):
        lut = colormap_lut("bwr", n)
        assert tuple(apply_lut(np.zeros(1), lut, -2.0, 2.0)[0]) == tuple(lut[(n - 1) // 2]) == (255, 255, 255)
    assert tuple(apply_lut(np.ones(1), "gray_r", 0, 1)[0]) == (0, 0, 0)
    with pytest.raises(ValueError, match="did you mean 'seismic'"):
        colormap_lut("seismc")


def test_symmetric_limit():
    assert symmetric_limit(np.array([[0.2, -0.5], [0.1, 0.0]])) == 0.5
    assert symmetric_limit(np.zeros((784, 10))) == 1.0
    assert symmetric_limit(np.array([np.nan, -2.0])) == 2.0


def test_upscale_makes_exact_blocks():
    image = np.arange(28 * 28, dtype=np.float32).reshape(28, 28)
    big = upscale(image, 5)
    assert big.shape == (140, 140)
    assert np.all(big[10:15, 20:25] == image[2, 4])
    assert np.array_equal(big[::5, ::5], image)
    rgb = upscale(np.zeros((28, 28, 3), np.uint8), 3)
    assert rgb.shape == (84, 84, 3)
    with pytest.raises(ValueError):
        upscale(image, 0)


def _sheet_weights():
    W = np.zeros((784, 10))
    W[0, 3] = 0.8  # top-left pixel of panel 3: the largest weight
    W[783, 7] = -0.4  # bottom-right pixel of panel 7: the most negative
    W[400, 5] = 0.2
    return W


@pytest.mark.parametrize("theme", ["light", "dark", "transparent"])
def test_weight_sheet_colours_at_known_points(theme):
    W = _sheet_weights()
    frame = weights_frame(W, theme, "docs", size=(800, 360), caption="training size 1 · accuracy 0.1")
    th = get_theme(theme)
    assert frame.shape == (360, 800, 4 if th.transparent else 3)
    layout = _sheet_layout(th, get_preset("docs"), (800, 360), False, True, colorbar_width(th, "docs"))
    f, p = layout["factor"], layout["panel"]
    lut = colormap_lut("seismic", SHEET_LEVELS)
    x3, y3 = layout["panels"][3]
    assert np.all(frame[y3 : y3 + f, x3 : x3 + f, :3] == lut[-1])  # reddest, a full f x f block
    x7, y7 = layout["panels"][7]
    # The scale is symmetric, so -0.4 of a 0.8 limit is a quarter of the way from the bluest.
    assert np.all(frame[y7 + p - f : y7 + p, x7 + p - f : x7 + p, :3] == lut[(SHEET_LEVELS - 1) // 4])
    x0, y0 = layout["panels"][0]
    assert np.all(frame[y0 : y0 + p, x0 : x0 + p, :3] == 255)  # zero weights: exactly white
    assert tuple(frame[1, 1]) == th.background_pixel  # corner: the theme's background


def test_weight_sheet_extremes_and_shared_limit():
    W = _sheet_weights()
    W[783, 7] = -0.8
    frame = weights_frame(W, "light", "docs", colorbar=False)
    lut = colormap_lut("seismic", SHEET_LEVELS)
    layout = _sheet_layout(get_theme("light"), get_preset("docs"), (800, 360), False, False, 0)
    f = layout["factor"]
    assert np.count_nonzero(np.all(frame == lut[-1], axis=2)) == f * f
    assert np.count_nonzero(np.all(frame == lut[0], axis=2)) == f * f
    # With a limit shared across frames, 0.8 of a 1.6 limit is no longer the end colour.
    shared = weights_frame(W, "light", "docs", colorbar=False, limit=1.6)
    assert np.count_nonzero(np.all(shared == lut[-1], axis=2)) == 0
    assert np.count_nonzero(np.all(shared == lut[(SHEET_LEVELS - 1) * 3 // 4], axis=2)) == f * f


def test_weight_sheet_sizes_follow_presets():
    W = np.random.default_rng(0).normal(size=(784, 10))
    assert weights_frame(W, "light", "docs").shape == (360, 800, 3)
    assert weights_frame(W, "dark", "slides", title="t", caption="c").shape == (1080, 1920, 3)
    assert weights_frame(W, "light", "docs", size=(640, 300)).shape == (300, 640, 3)
    with pytest.raises(ValueError, match="does not fit"):
        weights_frame(W, "light", "docs", size=(100, 40))
    with pytest.raises(ValueError, match="784, 10"):
        weights_frame(W[:100], "light", "docs")


def test_slides_are_bigger_than_docs():
    W = np.random.default_rng(1).normal(size=(784, 10))
    docs = _sheet_layout(get_theme("light"), get_preset("docs"), (800, 360), True, True, True)
    slides = _sheet_layout(get_theme("light"), get_preset("slides"), (1920, 1080), True, True, True)
    assert slides["factor"] >= 2 * docs["factor"] and slides["label_fs"] >= 30
    assert weights_frame(W, "light", "slides").shape == (1080, 1920, 3)


def test_dark_and_transparent_backgrounds():
    assert tuple(weights_frame(np.zeros((784, 10)), "dark", "docs")[0, 0]) == THEMES["dark"].background[:3]
    frame = weights_frame(np.zeros((784, 10)), "transparent", "docs", caption="x")
    assert frame.shape[2] == 4 and tuple(frame[0, 0]) == (255, 255, 255, 0)
    assert frame[..., 3].max() == 255  # the panels and text are opaque


def test_digit_grid_marks_mistakes():
    images = np.zeros((6, 784))
    images[:, 300:320] = 1.0
    marks = [False, True, False, False, False, True]
    grid = digit_grid(
        images,
        [f"Prediction: {i} Label: {i}" for i in range(6)],
        "light",
        "docs",
        cols=3,
        marks=marks,
        scale=3,
    )
    assert grid.shape[1] == 800 and grid.shape[2] == 3
    red = np.all(grid == THEMES["light"].mistake, axis=2)
    assert red.any()
    # Marked cells are in columns 1 and 2 of the grid; the left column has no mistake colour.
    assert not red[:, : grid.shape[1] // 3].any()
    assert np.all(digit_grid(images[:1], None, "light", "docs", cols=1, scale=2) >= 0)
    with pytest.raises(ValueError):
        digit_grid(images, ["a"], "light", "docs", cols=3)


def test_digit_grid_pixels_are_exact_blocks():
    images = np.zeros((1, 784))
    images[0, 0] = 1.0  # top-left pixel black under gray_r
    grid = digit_grid(images, None, "light", "docs", cols=1, scale=4)
    ys, xs = np.nonzero(np.all(grid == 0, axis=2))
    assert len(ys) == 16 and ys.max() - ys.min() == 3 and xs.max() - xs.min() == 3


def test_filmstrip_layout():
    frames = [np.full((360, 800, 3), v, np.uint8) for v in (0, 100, 200, 250)]
    strip = filmstrip(frames, ["a", "b", "c", "d"], "light", "docs", cols=2)
    assert strip.shape[1] == 800 and strip.shape[0] > 2 * (360 * 380 // 800)
    assert filmstrip(frames[:1], ["a"], "transparent", "slides").shape[2] == 4
    with pytest.raises(ValueError):
        filmstrip(frames, ["a"], "light", "docs")


def test_unknown_theme_and_preset_suggest():
    with pytest.raises(ValueError, match=r"unknown theme 'drak' \(did you mean 'dark'\?\)"):
        get_theme("drak")
    with pytest.raises(ValueError, match="did you mean 'slides'"):
        get_preset("slide")
    assert set(THEMES) == {"light", "dark", "transparent"} and set(PRESETS) == {"docs", "slides", "slides43"}
    assert (PRESETS["slides"].width, PRESETS["slides"].height) == (1920, 1080)
    assert (PRESETS["slides43"].width, PRESETS["slides43"].height) == (1024, 768)


def test_text_uses_few_colours_and_scales():
    from PIL import Image

    image = Image.new("RGB", (200, 60), (255, 255, 255))
    draw_text(image, (100, 30), "Prediction: 7", 18, (34, 34, 34), anchor="mm")
    colours = np.unique(np.asarray(image).reshape(-1, 3), axis=0)
    assert 2 < len(colours) <= 8
    assert text_size("Label", 36)[0] > 1.9 * text_size("Label", 18)[0]


def test_a_grid_has_its_title_and_sections_and_fills_a_slide():
    digits = np.random.default_rng(0).random((32, 784))
    titles = [
        f"{'✗ ' if k % 7 == 0 else ''}Prediction: {k % 10}\nLabel: {(k + k % 7) % 10}" for k in range(32)
    ]
    # 18 digits with legible titles fill a slide; 32 need more room than it has
    slide = digit_grid(
        digits[:18], titles[:18], "light", "slides", sections=[("first", 12), ("later", 6)], title="T"
    )
    assert slide.shape == (1080, 1920, 3)
    docs = digit_grid(digits, titles, "light", "docs", sections=[("first", 24), ("later", 8)], title="T")
    assert docs.shape[1] == 800
    from figgen.draw.grids import _grid

    sections, slides = [("first", 24), ("later", 8)], get_preset("slides")
    sizes = {
        c: _grid(c, 32, titles, sections, "T", get_theme("light"), slides, None)["p"] for c in range(1, 33)
    }
    assert sizes[8] < 100 <= max(sizes.values())  # 8 columns, the docs' count, would leave them small
    with pytest.raises(ValueError, match="sections"):
        digit_grid(digits, titles, "light", "docs", sections=[("first", 20)])


@pytest.mark.parametrize("preset, width, cols", [("docs", 800, 1), ("slides", 1920, 2)])
def test_filmstrip_thumbnails_keep_the_frames_text_legible(preset, width, cols):
    frames = [np.full((width * 9 // 16, width, 3), 255, np.uint8) for _ in range(4)]
    strip = filmstrip(frames, ["a", "b", "c", "d"], "light", preset)
    rows = -(-4 // cols)
    thumb = (width - 2 * get_preset(preset).px(10) - (cols - 1) * get_preset(preset).px(12)) // cols
    assert thumb / width * get_preset(preset).font_size >= 12  # the frames' text stays 12 px or more
    assert strip.shape[0] > rows * thumb * 9 // 16


@pytest.mark.parametrize("preset", ["docs", "slides"])
def test_a_weight_sheet_titles_at_the_top_margin_like_the_charts(preset):
    """One layout rule: the title's first ink sits at the top margin (on slides it sat 120-150 px down)."""
    theme, preset = get_theme("light"), get_preset(preset)
    frame = weights_frame(np.zeros((784, 10)), theme, preset, title="Weights", caption="a caption")
    ink = np.nonzero(np.any(frame[..., :3] < 128, axis=-1).any(axis=1))[0]
    assert preset.px(10) <= ink[0] <= preset.px(10) + preset.font_size // 2
