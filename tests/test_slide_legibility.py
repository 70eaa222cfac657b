"""What a reader sees on a slide and on a page, measured on the rendered pixels of real (quick) builds.

Text must be at least 24 px tall on a 1920 x 1080 slide, 13 px on a 1024 x 768 (4:3) one and 11 px on a page
(the ink of a capital or a digit), every early frame of an animation must show its sheets, and a still must
fit the size it claims.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageSequence

from figgen.cli import main
from figgen.core.themes import get_preset, get_theme
from figgen.draw import digit_grid
from figgen.draw.text import legible_size, min_text_px

VARIANTS = [("docs", "light"), ("slides", "light"), ("slides", "transparent"), ("slides43", "light")]
MIN_PX = {"docs": 11, "slides": 24, "slides43": 13}
SLIDE = {"slides": (1080, 1920), "slides43": (768, 1024)}  # a slide's frame, height by width


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Quick builds of the figures under test, in documents and on slides, with one training cache."""
    root = tmp_path_factory.mktemp("legibility")
    recipes = ["predictions_grid", "weights_evolution", "weights_training", "cross_entropy"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FIGGEN_CACHE", str(root / "cache"))
        for preset, theme in VARIANTS:
            out = root / f"{preset}-{theme}"
            argv = ["build", *recipes, "--quick", "--preset", preset, "--theme", theme, "--out", str(out)]
            assert main([*argv, "--formats", "png,svg,gif"]) == 0
    return root


def runs(mask_rows: np.ndarray) -> list[int]:
    """Lengths of the runs of True in a 1-D mask, top to bottom."""
    edges = np.diff(np.concatenate([[0], mask_rows.astype(np.int8), [0]]))
    return list(np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1))


def text_rows(frame: np.ndarray, theme: str) -> np.ndarray:
    """Rows that hold fully inked pixels of the theme's text colour."""
    fg = np.array(get_theme(theme).foreground)
    opaque = frame[..., 3] == 255 if frame.shape[2] == 4 else True
    return (np.all(frame[..., :3] == fg, axis=-1) & opaque).any(axis=1)


@pytest.mark.parametrize("preset, theme", VARIANTS)
def test_prediction_titles_are_legible(builds, preset, theme):
    frame = np.asarray(Image.open(builds / f"{preset}-{theme}" / "predictions_grid.png").convert("RGBA"))
    assert frame.shape[:2] == SLIDE.get(preset, frame.shape[:2])
    # the runs of text rows: the frame's title, then the first row of tiles' "Prediction: …" and "Label: …"
    title, prediction, label = runs(text_rows(frame, theme))[:3]
    assert prediction >= MIN_PX[preset] and label >= MIN_PX[preset]


def test_a_slide_grid_picks_columns_that_keep_titles_legible():
    digits = np.random.default_rng(0).random((18, 784))
    titles = [f"{'✗ ' if k % 7 == 0 else ''}Prediction: {k % 10}\nLabel: {k % 10}" for k in range(18)]
    for preset in ("docs", "slides", "slides43"):
        grid = digit_grid(digits, titles, "light", preset, sections=[("first", 12), ("later", 6)], title="T")
        assert runs(text_rows(grid, "light"))[1] >= MIN_PX[preset]
        assert grid.shape[:2] == SLIDE.get(preset, grid.shape[:2])
    assert [min_text_px(get_preset(p)) for p in ("docs", "slides", "slides43")] == [11, 24, 13]
    assert (
        legible_size(get_preset("slides"))
        > legible_size(get_preset("slides43"))
        > legible_size(get_preset("docs"))
    )


def frames(path) -> list[np.ndarray]:
    """Every frame of a GIF as RGBA pixels."""
    with Image.open(path) as gif:
        return [np.asarray(f.convert("RGBA")) for f in ImageSequence.Iterator(gif)]


def sheets(frame: np.ndarray, theme: str) -> list[np.ndarray]:
    """The insides of the ten weight panels, found by their one-pixel borders in the theme's muted colour."""
    muted = np.all(frame[..., :3] == get_theme(theme).muted, axis=-1)
    xs, ys = np.flatnonzero(muted.sum(axis=0) > 40), np.flatnonzero(muted.sum(axis=1) > 40)
    # left and right of five columns, top and bottom of two rows
    assert len(xs) == 10 and len(ys) == 4, (xs, ys)
    return [frame[t + 1 : b, x0 + 1 : x1] for t, b in ys.reshape(2, 2) for x0, x1 in xs.reshape(5, 2)]


@pytest.mark.parametrize(
    "preset, theme", [("docs", "light"), ("slides", "transparent"), ("slides43", "light")]
)
def test_the_first_sheets_of_the_training_sizes_are_visible(builds, preset, theme):
    for k, frame in enumerate(frames(builds / f"{preset}-{theme}" / "weights_evolution.gif")[:10]):  # 1 to 10
        for digit, sheet in enumerate(sheets(frame, theme)):
            coloured = (np.abs(sheet[..., :3].astype(int) - 255).max(axis=-1) > 40).mean()
            # after one example the nine other sheets are −0.01 where it has ink: pale blue, never white
            assert coloured > 0.05, f"frame {k}, sheet {digit}: {coloured:.1%} coloured"


def colour_bar(frame: np.ndarray, theme: str) -> tuple[int, int]:
    """Where a weight sheet's colour bar ends (x) and the ink height of its tallest tick label."""
    rgb = frame[..., :3].astype(int)
    darkest_red = (rgb[..., 0] > 100) & (rgb[..., 1] < 20) & (rgb[..., 2] < 20)
    x = int(np.flatnonzero(darkest_red.any(axis=0)).max())
    labels = np.all(frame[:, x + 1 :, :3] == get_theme(theme).foreground, axis=-1)
    return x, max(runs(labels.any(axis=1)))


@pytest.mark.parametrize("preset, theme", VARIANTS)
@pytest.mark.parametrize("name", ["weights_evolution", "weights_training"])
def test_colour_bar_labels_keep_one_legible_size_on_every_frame(builds, preset, theme, name):
    bars = {colour_bar(frame, theme) for frame in frames(builds / f"{preset}-{theme}" / f"{name}.gif")}
    assert len(bars) == 1, bars  # the bar stays put and its labels keep their size, "+6.3e−3" or "+0.59"
    ((_, height),) = bars
    assert height >= MIN_PX[preset]


@pytest.mark.parametrize("preset, theme", [v for v in VARIANTS if v[0] != "docs"])
def test_a_slide_filmstrip_fits_the_slide(builds, preset, theme):
    height, width = SLIDE[preset]
    for name in ("weights_evolution", "weights_training"):
        with Image.open(builds / f"{preset}-{theme}" / f"{name}_filmstrip.png") as strip:
            assert strip.size == (width, height)  # was 1920 x 1219: four key frames of a full slide each
        for still in (f"{name}_poster.png", "cross_entropy.png"):  # every still of a slide is the slide
            with Image.open(builds / f"{preset}-{theme}" / still) as image:
                assert image.size == (width, height), still


@pytest.mark.parametrize("preset", ["docs", "slides", "slides43"])
def test_cross_entropy_labels_stay_off_the_curve_and_markers_inside_the_axes(preset):
    from matplotlib.text import Annotation, Text

    from figgen.analysis import cross_entropy
    from figgen.figures.basics import cross_entropy_figure

    j = [0.03, 0.03, 0.01, 0.9, 0.01, 0.01, 0.0025, 0.0025, 0.0025, 0.0025]
    fig = cross_entropy_figure(j, [(3, cross_entropy(j, 3)), (2, cross_entropy(j, 2))], "light", preset)
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    line, *markers = ax.get_lines()
    points = ax.transData.transform(np.column_stack(line.get_data()))
    labels = [t for t in ax.get_children() if isinstance(t, Annotation)]
    assert len(labels) == 2
    for label in labels:
        box = Text.get_window_extent(label, renderer)  # the words, not their leader line
        inside = (
            (points[:, 0] > box.x0)
            & (points[:, 0] < box.x1)
            & (points[:, 1] > box.y0)
            & (points[:, 1] < box.y1)
        )
        assert not inside.any(), f"the curve runs through {label.get_text()!r}"
    for marker in markers:
        (x, y), radius = (
            ax.transData.transform(np.column_stack(marker.get_data()))[0],
            marker.get_markersize(),
        )
        radius *= fig.dpi / 72 / 2
        assert ax.bbox.x0 <= x - radius and x + radius <= ax.bbox.x1, "a marker is clipped at the side"
        assert ax.bbox.y0 <= y - radius and y + radius <= ax.bbox.y1, "a marker is clipped at the bottom"
