"""The figure check: every recipe, in every theme, palette and preset, reads on the background it is shown on.

Each recipe is built at --quick sizes in nine variants (light, dark, transparent on an unknown slide, the
transparent theme told its slide is blue or near-black, slides, slides + dark, 4:3 slides, colour-blind).
While it builds, the drawing layers report what they draw: matplotlib's texts and data marks from the
finished Figure, and the array renderer's texts and marks from the calls that paint them. The check then
measures:

- text size: at least 11 px in docs, 24 px on slides, 13 px on 4:3 slides (the font's size in pixels, the em);
- text contrast: at least 4.5:1 against the background it sits on;
- data series, bars and markers: at least 3:1 (translucent fills, such as noise bands, are context);
- every animation's first frame (what a slide shows before it plays) is not nearly empty.

The background is the theme's; for the transparent theme it is the slide colour the user gave, or, when
unknown, the white halo every text and mark carries.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from PIL import Image

from figgen import api
from figgen.core.themes import MARK_CONTRAST, TEXT_CONTRAST, contrast, get_preset, get_theme
from figgen.recipe.context import RecipeContext

RECIPES = Path(__file__).resolve().parents[1] / "recipes"
VARIANTS = {
    "light": {"theme": "light"},
    "dark": {"theme": "dark"},
    "transparent": {"theme": "transparent"},
    "transparent on blue": {"theme": "transparent", "background": "#1f4e9c"},
    "transparent on near-black": {"theme": "transparent", "background": "#202124"},
    "slides": {"preset": "slides"},
    "slides dark": {"preset": "slides", "theme": "dark"},
    "slides 4:3": {"preset": "slides43"},
    "colorblind": {"palette": "colorblind"},
}
MIN_TEXT_PX = {"docs": 11, "slides": 24, "slides43": 13}


pytestmark = pytest.mark.slow


class Recorder:
    """What the drawing layers drew during one build: (recipe output, text/mark, colour, size in px)."""

    def __init__(self):
        self.texts: list[tuple[str, str, tuple, float, tuple]] = []  # ..., the colour under the text
        self.marks: list[tuple[str, str, tuple]] = []
        self.first_frames: dict[str, np.ndarray] = {}
        self.stem = "?"
        self.page: tuple = (255, 255, 255)


def _rgb(colour) -> tuple[int, int, int, float]:
    r, g, b, a = to_rgba(colour)
    return (round(255 * r), round(255 * g), round(255 * b), a)


def under(pixels: np.ndarray, box: tuple[int, int, int, int], ink: tuple, page: tuple) -> tuple:
    """The colour under a text in rendered ``pixels``: the commonest colour of its box that is not its ink
    (a see-through pixel counts as the page it will sit on)."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    region = pixels[y0:y1, x0:x1]
    if region.size == 0:
        return page
    rgb = region[..., :3].reshape(-1, 3).astype(int)
    if region.shape[-1] == 4:
        rgb[region[..., 3].reshape(-1) < 128] = page
    rgb = rgb[np.abs(rgb - np.array(ink[:3])).max(axis=1) > 60]
    if len(rgb) == 0:
        return page
    packed = (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]  # one integer a colour: a fast count
    colours, counts = np.unique(packed, return_counts=True)
    top = int(colours[np.argmax(counts)])
    return (top >> 16, (top >> 8) & 255, top & 255)


def _inspect_figure(recorder: Recorder, stem: str, fig) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    pixels = np.asarray(renderer.buffer_rgba()).copy()
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = Text.get_window_extent(text, renderer)
        if box.x1 < 0 or box.y1 < 0 or box.x0 > width or box.y0 > height:
            continue  # not in the picture
        colour = _rgb(text.get_color())
        px = text.get_fontsize() * fig.dpi / 72
        pad = px / 2  # the text's surroundings: its box is mostly its own ink
        flipped = (box.x0 - pad, height - box.y1 - pad, box.x1 + pad, height - box.y0 + pad)
        below = under(pixels, tuple(round(v) for v in flipped), colour, recorder.page)
        recorder.texts.append((stem, text.get_text(), colour, px, below))
    for ax in fig.axes:
        grid = set(ax.xaxis.get_gridlines()) | set(ax.yaxis.get_gridlines())
        for line in ax.get_lines():
            if line in grid or not line.get_visible() or line.get_alpha() not in (None, 1):
                continue
            if line.get_linestyle() not in ("None", "") or line.get_marker() not in (None, "None", ""):
                recorder.marks.append((stem, "line", _rgb(line.get_color())))
        for patch in ax.patches:
            face = _rgb(patch.get_facecolor())
            if isinstance(patch, Rectangle) and patch.get_visible() and face[3] == 1 and patch.get_height():
                recorder.marks.append((stem, "bar", face))
        for dots in ax.collections:
            if isinstance(dots, PathCollection) and dots.get_visible():
                for face in dots.get_facecolors():
                    if face[3] == 1:
                        recorder.marks.append((stem, "marker", _rgb(face)))


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Build every recipe in every variant, recording what each draws."""
    import figgen.draw._pixels as pixels
    import figgen.draw.text as text_module
    import figgen.writers.outputs as outputs

    cache = tmp_path_factory.mktemp("cache")
    found = {}
    original_figure, original_animation = outputs.OutputSet.figure, outputs.OutputSet.animation
    original_draw_text, original_paint = text_module.draw_text, pixels.paint
    original_for_recipe = RecipeContext.for_recipe.__func__
    for name, variant in VARIANTS.items():
        recorder = Recorder()
        recorder.page = _background(variant)

        def for_recipe(cls, recipe, *args, recorder=recorder, **kwargs):
            recorder.stem = recipe.name
            return original_for_recipe(cls, recipe, *args, **kwargs)

        def figure(self, stem, fig, *, alt, recorder=recorder):
            _inspect_figure(recorder, stem, fig)
            return original_figure(self, stem, fig, alt=alt)

        def animation(self, stem, frames, *, recorder=recorder, **kwargs):
            def first_recorded():
                for i, frame in enumerate(frames()):
                    if i == 0:
                        recorder.first_frames[stem] = np.array(frame)
                    yield frame

            return original_animation(self, stem, first_recorded, **kwargs)

        def draw_text(target, xy, text, size, colour, *args, recorder=recorder, **kwargs):
            image = target if isinstance(target, Image.Image) else target._image
            # a box around the text, wherever its anchor puts it (a crop: whole frames are costly to copy)
            lines = text.split("\n")
            reach_x = size * max(len(line) for line in lines) + size
            reach_y = size * 1.5 * len(lines) + size
            box = (
                max(0, int(xy[0] - reach_x)),
                max(0, int(xy[1] - reach_y)),
                min(image.width, int(xy[0] + reach_x)),
                min(image.height, int(xy[1] + reach_y)),
            )
            before = np.array(image.crop(box))
            original_draw_text(target, xy, text, size, colour, *args, **kwargs)
            changed = np.argwhere(np.any(np.array(image.crop(box)) != before, axis=-1))
            if len(changed):
                (y0, x0), (y1, x1) = changed.min(axis=0), changed.max(axis=0)
                pad = size // 2
                below = under(before, (x0 - pad, y0 - pad, x1 + pad, y1 + pad), colour, recorder.page)
                recorder.texts.append((recorder.stem, text, (*colour[:3], 1.0), float(size), below))

        def paint(image, colour, corner, mask, levels, recorder=recorder):
            recorder.marks.append((recorder.stem, "painted", (*colour[:3], 1.0)))
            return original_paint(image, colour, corner, mask, levels)

        patches = [(outputs.OutputSet, "figure", figure), (outputs.OutputSet, "animation", animation)]
        patches.append((RecipeContext, "for_recipe", classmethod(for_recipe)))
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("figgen.draw"):
                if getattr(module, "draw_text", None) is original_draw_text:
                    patches.append((module, "draw_text", draw_text))
                if module is not text_module and getattr(module, "paint", None) is original_paint:
                    patches.append((module, "paint", paint))
        saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in patches]
        try:
            for owner, attr, value in patches:
                setattr(owner, attr, value)
            result = api.build(
                quick=True,
                formats=["png"],
                out=tmp_path_factory.mktemp("out"),
                cache=cache,
                recipes_dir=RECIPES,
                gallery=False,
                **variant,
            )
        finally:
            for owner, attr, value in saved:
                setattr(owner, attr, value)
        recorder.failures = [f"{f.name}: {f.error}" for f in result.failures]
        found[name] = recorder
    return found


def _background(variant: dict) -> tuple[int, int, int]:
    theme = get_theme(
        variant.get("theme", "light"), variant.get("palette", "default"), variant.get("background")
    )
    if theme.slide is not None:
        return theme.slide
    if theme.transparent:
        return theme.outline  # on an unknown slide every text and mark has this halo
    return theme.background[:3]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_recipe_builds(checked, name):
    assert checked[name].failures == []


@pytest.mark.parametrize("name", list(VARIANTS))
def test_text_is_large_enough(checked, name):
    preset = get_preset(VARIANTS[name].get("preset", "docs")).name
    small = defaultdict(set)
    for stem, text, _, px, _ in checked[name].texts:
        if px < MIN_TEXT_PX[preset] - 0.05:
            small[stem].add(f"{text!r} {px:.1f}px")
    assert not small, dict(small)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_text_has_contrast(checked, name):
    faint = defaultdict(set)
    for stem, text, colour, _, below in checked[name].texts:
        ratio = contrast(colour, below)
        if ratio < TEXT_CONTRAST and colour[3] > 0:
            faint[stem].add(f"{text!r} {colour[:3]} on {below} {ratio:.2f}")
    assert not faint, dict(faint)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_data_marks_have_contrast(checked, name):
    background = _background(VARIANTS[name])
    variant = VARIANTS[name]
    theme = get_theme(
        variant.get("theme", "light"), variant.get("palette", "default"), variant.get("background")
    )
    hidden = {background, theme.background[:3], *([theme.outline] if theme.outline else [])}
    faint = defaultdict(set)
    for stem, kind, colour in checked[name].marks:
        if tuple(colour[:3]) in hidden:
            continue  # the background painted back (a ring's hollow) or a halo
        ratio = contrast(colour, background)
        if ratio < MARK_CONTRAST:
            faint[stem].add(f"{kind} {colour[:3]} {ratio:.2f}")
    assert not faint, dict(faint)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_no_animation_starts_nearly_empty(checked, name):
    frames = checked[name].first_frames
    assert {"gradient_descent", "weights_evolution", "weights_training"} <= set(frames)
    background = np.array(_background(VARIANTS[name]))
    for stem, frame in frames.items():
        rgb = frame[..., :3].astype(int)
        drawn = np.abs(rgb - background).max(axis=-1) > 40
        if frame.shape[-1] == 4:
            drawn &= frame[..., 3] > 128
        assert drawn.mean() > 0.03, (stem, drawn.mean())
