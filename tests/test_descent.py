"""figgen.draw.descent: gradient-descent frames in one fixed view per panel, fitting one GIF palette.

What the frames show a reader (distances growing and shrinking, the same start) is tested on the pixels in
test_descent_truth.py; here, the frames' sizes and colours and the helpers' numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from figgen.analysis import descent_summary, gradient_descent_path, learning_rate_verdict
from figgen.core.themes import get_preset, get_theme
from figgen.draw.descent import descent_frames, leaves_view, readable, short, strip_range, view_half

RATES = [0.02, 0.3, 0.9, 1.05]


def _panel_pixels(frame: np.ndarray, colour, panel: int, panels: int) -> int:
    """Pixels of exactly ``colour`` in the ``panel``-th of ``panels`` equal columns of the frame."""
    w = frame.shape[1] // panels
    return int(np.all(frame[:, panel * w : (panel + 1) * w, :3] == colour, axis=-1).sum())


@pytest.mark.parametrize(
    "steps", [12, 60]
)  # 60: the diverging ball is 4 · 1.1⁶⁰ = 1,217 away, far off the view
def test_descent_frames_show_every_panel_on_every_frame(steps):
    theme, preset = get_theme("light"), get_preset("docs")
    paths = [gradient_descent_path(4.0, r, steps) for r in RATES]
    frames = list(descent_frames(paths, RATES, theme, preset))
    assert len(frames) == steps + 1
    assert {f.shape for f in frames} == {(560, 800, 3)}
    verdicts = [learning_rate_verdict(p) for p in paths]  # at 60 steps, 0.02 gets below a quarter: converges
    colours = [
        theme.accent if "small" in v else theme.mistake if "large" in v else theme.good for v in verdicts
    ]
    for frame in frames:  # each panel shows its colour: ball or edge arrow, trail, strip
        for k, colour in enumerate(colours):
            assert _panel_pixels(frame, colour, k, 4) > 60
    assert not np.array_equal(frames[1], frames[-1])


def test_slides_frames_fill_the_slide():
    paths = [gradient_descent_path(4.0, r, 3) for r in RATES]
    frames = list(descent_frames(paths, RATES, get_theme("dark"), get_preset("slides")))
    assert {f.shape for f in frames} == {(1080, 1920, 3)}


def test_every_panel_keeps_one_view_the_same_for_all():
    assert view_half(4.0) == view_half(-4.0) == 8.0
    assert view_half(0.0) == 1.0
    assert leaves_view(gradient_descent_path(4.0, 1.05, 30)) == 8  # 4 · 1.1⁸ = 8.57 > 8
    assert leaves_view(gradient_descent_path(4.0, 0.9, 30)) is None
    assert leaves_view(gradient_descent_path(4.0, 1.0, 30)) is None  # bounces at ±4 for ever


def test_distance_strips_span_one_range_from_the_largest_distance_down():
    paths = [gradient_descent_path(4.0, r, 30) for r in RATES]
    assert strip_range(paths) == (-4, 2)  # 69.8 at most; 6 powers of ten down, not to 4.6 × 10⁻¹²
    assert strip_range([gradient_descent_path(4.0, 0.02, 30)]) == (-1, 1)  # at least two, start inside
    assert strip_range([gradient_descent_path(10.0, 0.3, 3)]) == (-1, 2)  # the start line below the top
    assert strip_range([gradient_descent_path(0.0, 0.3, 3)]) == (-5, 1)  # nothing but the minimum
    # 100 · 3⁵⁰⁰ = 3.6 × 10²⁴⁰: capped 4 powers of ten above the start (log10 100 + 0.25, rounded up)
    assert strip_range([gradient_descent_path(100.0, 2.0, 500)]) == (2, 7)


@pytest.mark.parametrize("theme", ["light", "dark", "transparent"])
def test_descent_frames_fit_one_gif_palette(theme):
    paths = [gradient_descent_path(4.0, r, 30) for r in RATES]
    seen = set()
    for frame in descent_frames(paths, RATES, get_theme(theme), get_preset("docs")):
        pixels = frame.reshape(-1, frame.shape[-1])
        if frame.shape[-1] == 4:  # the GIF writer makes alpha below 128 transparent and keeps the rest's RGB
            pixels = pixels[pixels[:, 3] >= 128]
        rgb = pixels[:, :3].astype(np.uint32)
        seen.update(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]).tolist())
    assert len(seen) <= 255


def test_descent_frames_transparent_theme_gives_rgba():
    theme, preset = get_theme("transparent"), get_preset("docs")
    frame = next(descent_frames([gradient_descent_path(4.0, 0.3, 3)], [0.3], theme, preset))
    assert frame.shape == (560, 800, 4) and frame[..., 3].min() == 0 and frame[..., 3].max() == 255


@pytest.mark.parametrize("x0", [0.0, -3.0, 100.0])
def test_descent_frames_draw_any_start(x0):
    rates = [0.3, 1.5]
    paths = [gradient_descent_path(x0, r, 200 if x0 == 100 else 5) for r in rates]
    frames = descent_frames(paths, rates, get_theme("light"), get_preset("docs"))
    assert sum(1 for _ in frames) == len(paths[0])


@pytest.mark.parametrize(
    "x, text",
    [(4.0, "4.000"), (-0.4021, "−0.402"), (4.61e-12, "4.6 × 10⁻¹²"), (123456.0, "1.2 × 10⁵"), (0.0, "0")],
)
def test_numbers_read_as_a_person_writes_them(x, text):
    assert readable(x) == text


@pytest.mark.parametrize(
    "x, text", [(69.798, "69.8"), (0.004951, "0.00495"), (2.03e21, "2.0 × 10²¹"), (0.0, "0")]
)
def test_distances_read_in_three_digits(x, text):
    assert short(x) == text


@pytest.mark.parametrize(
    ("rate", "x0", "said"),
    [
        (0.001, 4.0, "it crawls: the rate is too small"),
        (0.1, 4.0, "it converges: the rate is good"),
        (0.9, -3.0, "it overshoots, converges"),
        (1.0, 2.0, "it crawls (too large: bounces)"),  # |x| stays put: the rule says crawls, the verdict why
        (1.05, 4.0, "it diverges: the rate is too large"),
        (0.5, 0.0, "it starts at the minimum"),
    ],
)
def test_the_summary_says_each_word_once(rate, x0, said):
    """explore_descent's sentence: the rule's regime, then what the verdict adds, never a word twice."""
    path = gradient_descent_path(x0, rate, 30)
    assert descent_summary(path) == said
    words = said.replace(":", "").replace(",", "").replace("(", "").replace(")", "").split()
    assert len(set(words) - {"it", "the", "is"}) == len([w for w in words if w not in {"it", "the", "is"}])
