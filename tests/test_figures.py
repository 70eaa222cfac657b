"""The matplotlib figure builders of figgen.figures (and the style they apply), on tiny made-up inputs."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from figgen.analysis import ShiftStudy, accuracy_dips
from figgen.core.themes import THEMES, get_preset, get_theme
from figgen.figures._axes import log_floor
from figgen.figures.basics import digit_figure
from figgen.figures.curves import (
    accuracy_vs_size_figure,
    describe_dips,
    describe_gains,
    training_curve_figure,
)
from figgen.figures.evaluation import (
    describe_shift,
    prediction_figure,
    sample_size_figure,
    shifted_digit_figure,
)
from figgen.figures.style import figure_to_array, matplotlib_style, mpl_colour, new_figure
from tests.test_data import CLOTHES

THEME, PRESET = get_theme("light"), get_preset("docs")
LOG = [(0, 0.5, 2.0), (100, 0.8, 1.0), (200, 0.79, 0.9), (300, 0.85, 0.8), (400, 0.84, 0.85), (500, 0.9, 0.7)]


def rgb(colour):
    return mpl_colour(colour[:3])


def build(builder, *args):
    fig = builder(*args, THEME, PRESET)  # the builder applies the theme and preset itself
    assert isinstance(fig, Figure)
    fig.canvas.draw()  # layout and text rendering must not fail either
    return fig


def texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_training_curve_marks_the_dips_in_the_zoom():
    fig = build(training_curve_figure, LOG, accuracy_dips(LOG), 50, 1000)
    zoom = next(ax for ax in fig.axes if ax.get_title().startswith("Test accuracy from"))
    assert zoom.get_title() == "Test accuracy from step 50"
    assert texts(zoom)[0] == "−10 digits"  # (0.80 − 0.79) × 1,000 test digits
    red = [line for line in zoom.lines if to_rgb(line.get_color()) == rgb(THEME.mistake)]
    assert len(red) == 1 and list(red[0].get_xdata()) == [100, 200]
    assert zoom.get_legend() is not None


def test_training_curve_zoom_keeps_a_segment_and_survives_a_zero_loss():
    log = [(0, 0.5, 2.0), (100, 0.7, 0.01), (200, 0.75, 0.0)]  # a float32 loss can underflow to 0
    fig = build(training_curve_figure, log, [], 10_000, 1000)
    zoom = next(ax for ax in fig.axes if ax.get_title().startswith("Test accuracy from"))
    assert zoom.get_title() == "Test accuracy from step 100"
    assert [t.get_text() for t in zoom.get_legend().get_texts()] == [
        "±2 SE: ±27 digits",
        "±1 SE: ±14 digits",
    ]
    assert describe_dips([], 0.75, 1000).startswith(
        "no logged step shows accuracy falling while the loss falls"
    )
    assert describe_dips(accuracy_dips(LOG), 0.9, 1000) == (
        "accuracy dips while the loss still falls at step 100 to 200 (80.00% to 79.00%, −10): a dip of 10 "
        "digits of 1,000, within ±19 digits (2 SE) of noise"
    )


def test_accuracy_vs_size_lists_the_gains():
    sizes, accuracy = np.array([1, 10, 100, 500]), np.array([0.1, 0.4, 0.8, 0.9])
    gains = [(1, 10, 0.3), (10, 100, 0.4), (100, 500, 0.1)]
    fig = build(accuracy_vs_size_figure, sizes, accuracy, gains, 2500)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_title() == "Test accuracy after 2,500 steps, by training size"
    assert "100 → 500 examples: +10.0 points" in texts(ax)[1] and texts(ax)[0] == "90.0%"
    assert describe_gains(gains) == "1 to 10 +30.0 points, 10 to 100 +40.0 points, 100 to 500 +10.0 points"


@pytest.mark.parametrize("label, colour", [(3, "good"), (5, "mistake")])
def test_prediction_figure_colours_the_argmax(label, colour):
    probs = np.full(10, 0.02)
    probs[3] = 0.82
    fig = build(prediction_figure, np.zeros(784, np.float32), 7, label, probs)
    left, right = fig.axes
    assert left.get_title() == f"Example: 7 Label: {label}"
    assert right.get_title() == f"Prediction: 3 Label: {label} {'✓' if label == 3 else '✗'}"
    assert (right.patches[3].get_hatch() == "//") == (
        label != 3
    )  # wrong is told by a hatch, not colour alone
    colours = [p.get_facecolor()[:3] for p in right.patches]
    assert colours[3] == pytest.approx(rgb(getattr(THEME, colour)))
    assert all(c == pytest.approx(rgb(THEME.muted)) for k, c in enumerate(colours) if k != 3)


def test_test_size_figure_stacks_equal_consecutive_blocks_below_the_random_samples():
    blocks = np.array([0.9, 0.8, 0.9, 0.9, 0.7])
    samples = np.array([0.84, 0.86, 0.84, 0.8])
    fig = build(sample_size_figure, samples, blocks, 0.84, 500, 100)
    top, bottom = fig.axes
    others, first = (c.get_offsets() for c in bottom.collections)
    np.testing.assert_allclose(first, [[90, 1]])
    np.testing.assert_allclose(others, [[80, 1], [90, 2], [90, 3], [70, 1]])  # the 90s stack on the first
    assert top.get_title() == "One model, 4 random test sets of 100 digits: accuracy 80% to 86%"
    assert "all 500: 84.00%" in texts(top)


def test_shifted_digit_figure_one_panel_per_shift():
    probs = np.full((3, 10), 0.01)
    probs[[0, 1, 2], [1, 1, 7]] = 0.91
    study = ShiftStudy(
        index=2,
        digit=1,
        edge=6,
        shown=[0, 2, 6],
        moved=np.zeros((3, 784), np.float32),
        probs=probs,
        shifts=[0, 1, 2, 3],
        on_digit=np.array([0.98, 0.8, 0.4, 0.1]),
        on_all=np.array([0.9, 0.7, 0.5, 0.3]),
        digit_count=126,
        test_count=1000,
    )
    fig = build(shifted_digit_figure, study)
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 3
    assert panels[2].get_title().startswith("shift 6 px (edge)\n✗ Prediction: 7 (91%)")
    assert panels[0].get_title().startswith("shift 0 px\n✓ Prediction: 1")
    good, bad = rgb(THEME.text_ink(THEME.good)), rgb(THEME.text_ink(THEME.mistake))  # raised to 4.5:1 as text
    assert [to_rgb(ax.title.get_color()) for ax in panels] == [good] * 2 + [bad]
    assert study.collapse == 2
    assert describe_shift(study).startswith(
        "Test example #2, a 1, shifted left by 0, 2, 6 pixels is predicted 1, 1, 7"
    )
    assert "below half from 2 pixels" in describe_shift(study)


def test_log_floor_skips_zeros():
    assert (
        log_floor([0.0, 0.5, 0.2], 2.3) == 0.2 and log_floor([0.0], 2.3) == 2.3 and log_floor([], 1.0) == 1.0
    )


@pytest.mark.parametrize("theme", ["light", "dark", "transparent"])
def test_a_builder_applies_its_theme_and_preset_itself_and_leaves_matplotlib_as_it_was(theme):
    import matplotlib

    before = dict(matplotlib.rcParams)
    fig = digit_figure(np.zeros(784, np.float32), "Example: 0 Label: 5", theme, "slides")
    assert dict(matplotlib.rcParams) == before
    t = get_theme(theme)
    ax = fig.axes[0]
    assert to_rgb(ax.title.get_color()) == rgb(t.foreground)
    assert fig.get_size_inches() * fig.dpi == pytest.approx((1920, 1080))
    assert fig.patch.get_facecolor()[3] == (0 if t.transparent else 1)
    halos = [text.get_path_effects() for text in fig.findobj(matplotlib.text.Text) if text.get_text()]
    assert halos and all(bool(h) == (t.outline is not None) for h in halos)  # the halo only where it has one


def test_matplotlib_style_restores_global_state_and_sizes_figures():
    before = dict(matplotlib.rcParams)
    with matplotlib_style("dark", "docs"):
        assert matplotlib.rcParams["text.color"] != before["text.color"]
        fig = new_figure("dark", "docs", aspect=0.5, nrows=1, ncols=2)
        fig.axes[0].plot([0, 1], [0, 1])
        array = figure_to_array(fig)
    assert dict(matplotlib.rcParams) == before
    assert array.shape == (400, 800, 3)
    assert tuple(array[0, 0]) == THEMES["dark"].background[:3]
    with matplotlib_style("transparent", "slides"):
        fig = new_figure("transparent", "slides", aspect=None)
        array = figure_to_array(fig)
    assert array.shape == (1080, 1920, 4) and array[0, 0, 3] == 0


def _argmax_bar_colour(theme, label: int) -> np.ndarray:
    """The rendered colour (0-1 RGB) of the argmax bar (class 3), read from the figure's pixels."""
    probs = np.full(10, 0.02)
    probs[3] = 0.82
    fig = prediction_figure(np.zeros(784, np.float32), 7, label, probs, theme, PRESET)
    pixels = figure_to_array(fig)
    bar = fig.axes[1].patches[3].get_window_extent()
    x, y = int((bar.x0 + bar.x1) / 2), int(pixels.shape[0] - (bar.y0 + bar.y1) / 2)
    patch = pixels[y - 8 : y + 8, x - 8 : x + 8, :3].reshape(-1, 3)
    colours, counts = np.unique(patch, axis=0, return_counts=True)
    return colours[np.argmax(counts)] / 255  # the fill: the commonest colour (a hatch covers some pixels)


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_the_colorblind_palette_keeps_right_and_wrong_apart_in_rendered_pixels(theme_name):
    from colorspacious import cspace_convert, deltaE

    def distance(palette, deficiency):
        theme = get_theme(theme_name, palette)
        right, wrong = _argmax_bar_colour(theme, 3), _argmax_bar_colour(theme, 5)  # the argmax is 3
        cvd = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
        seen = [np.clip(cspace_convert(c, cvd, "sRGB1"), 0, 1) for c in (right, wrong)]
        return float(deltaE(*seen, input_space="sRGB1", uniform_space="CAM02-UCS"))

    for deficiency in ("deuteranomaly", "protanomaly", "tritanomaly"):
        assert distance("colorblind", deficiency) > 25, deficiency
    assert distance("default", "deuteranomaly") < 15  # why the option exists: green and red merge


def test_the_colorblind_palette_keeps_zero_weights_white():
    from figgen.draw import weights_frame
    from figgen.draw.panels import _sheet_layout

    theme = get_theme("light", "colorblind")
    frame = weights_frame(np.zeros((784, 10)), theme, PRESET, colorbar=False)
    layout = _sheet_layout(theme, PRESET, (frame.shape[1], frame.shape[0]), False, False, 0)
    (x, y), half = layout["panels"][0], layout["panel"] // 2  # the middle of the first sheet
    assert tuple(frame[y + half, x + half]) == (255, 255, 255)


def test_transparent_figures_outline_data_lines_and_marks():
    theme = get_theme("transparent")
    fig = training_curve_figure(LOG, accuracy_dips(LOG), 50, 1000, theme, PRESET)
    data_lines = [line for ax in fig.axes for line in ax.get_lines()]
    assert data_lines and all(line.get_path_effects() for line in data_lines)
    plain = training_curve_figure(LOG, accuracy_dips(LOG), 50, 1000, THEME, PRESET)
    assert not any(line.get_path_effects() for ax in plain.axes for line in ax.get_lines())


def test_the_one_hot_vector_stands_beside_the_digit_on_a_slide():
    from figgen.figures.basics import one_hot_figure

    vector = np.eye(10)[7]
    slide = one_hot_figure(np.zeros(784), 3, vector, THEME, "slides", CLOTHES)
    page = one_hot_figure(np.zeros(784), 3, vector, THEME, PRESET, CLOTHES)
    for fig in (slide, page):
        fig.canvas.draw()
    cells = slide.axes[1]
    assert cells.get_ylim()[1] > 10 > cells.get_xlim()[1]  # a column of ten
    assert [t.get_text() for t in cells.get_yticklabels()][0] == "Ankle boot"  # top to bottom: T-shirt last
    assert page.axes[1].get_xlim()[1] > 10 and slide.axes[0].get_title() == "Example: 3 Label: Sneaker"
