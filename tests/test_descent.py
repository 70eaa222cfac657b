"""figgen.draw.descent: gradient-descent frames keep every ball in sight and fit one GIF palette."""

from __future__ import annotations

import numpy as np
import pytest

from figgen.analysis import gradient_descent_path
from figgen.draw.descent import descent_frames, half_range, readable
from figgen.themes import get_preset, get_theme


def _ball_pixels(frame: np.ndarray, colour, third: int) -> int:
    """Pixels of exactly ``colour`` in the plot area (below titles, above ticks) of panel ``third``."""
    h, w = frame.shape[0], frame.shape[1] // 3
    region = frame[round(0.2 * h) : round(0.86 * h), third * w : (third + 1) * w, :3]
    return int(np.all(region == colour, axis=-1).sum())


@pytest.mark.parametrize("steps", [12, 60])  # 60: the diverging ball leaves the widest chart
def test_descent_frames_keep_every_ball_in_sight(steps):
    theme, preset = get_theme("light"), get_preset("docs")
    rates = [0.02, 0.3, 1.05]
    paths = [gradient_descent_path(4.0, r, steps) for r in rates]
    frames = list(descent_frames(paths, rates, theme, preset))
    assert len(frames) == steps + 1
    assert {f.shape for f in frames} == {(400, 800, 3)}
    for frame in frames:  # each panel shows its colour: ball, trail or the off-chart arrow
        for third, colour in enumerate((theme.accent, theme.good, theme.mistake)):
            assert _ball_pixels(frame, colour, third) > 20
    assert not np.array_equal(frames[1], frames[-1])
    for third, colour in enumerate((theme.accent, theme.good, theme.mistake)):
        assert _ball_pixels(frames[0], colour, third) >= 90  # a whole ball, before any trail


def test_panels_widen_to_the_positions_reached_up_to_a_cap():
    assert half_range(gradient_descent_path(4.0, 0.3, 30)) == pytest.approx(4.4)
    assert half_range(gradient_descent_path(-4.0, 0.02, 30)) == pytest.approx(4.4)
    assert half_range(gradient_descent_path(4.0, 1.05, 30)) == pytest.approx(1.1 * 4 * 1.1**30)
    assert half_range(gradient_descent_path(4.0, 1.05, 300)) == pytest.approx(1.1 * 20 * 4)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_descent_frames_fit_one_gif_palette(theme):
    rates = [0.02, 0.3, 1.05]
    paths = [gradient_descent_path(4.0, r, 30) for r in rates]
    seen = set()
    for frame in descent_frames(paths, rates, get_theme(theme), get_preset("docs")):
        rgb = frame.reshape(-1, 3).astype(np.uint32)
        seen.update(np.unique(rgb[:, 0] << 16 | rgb[:, 1] << 8 | rgb[:, 2]).tolist())
    assert len(seen) <= 255


def test_descent_frames_transparent_theme_gives_rgba():
    theme, preset = get_theme("transparent"), get_preset("docs")
    frame = next(descent_frames([gradient_descent_path(4.0, 0.3, 3)], [0.3], theme, preset))
    assert frame.shape == (400, 800, 4) and frame[..., 3].min() == 0 and frame[..., 3].max() == 255


def _ball_centres(frame: np.ndarray, colour) -> list[float]:
    """The x of each panel's ball (pixels of exactly ``colour``), relative to its third of the frame."""
    third = frame.shape[1] // 3
    centres = []
    for k in range(3):
        ys, xs = np.nonzero(np.all(frame[:, k * third : (k + 1) * third, :3] == colour, axis=-1))
        centres.append(float(xs.mean()) if len(xs) else float("nan"))
    return centres


def test_every_ball_starts_in_the_same_place_and_a_diverging_view_widens():
    theme, preset = get_theme("light"), get_preset("docs")
    rates = [0.02, 0.3, 1.05]
    paths = [gradient_descent_path(4.0, r, 30) for r in rates]
    frames = list(descent_frames(paths, rates, theme, preset))
    starts = [_ball_centres(frames[0], c)[k] for k, c in enumerate((theme.accent, theme.good, theme.mistake))]
    assert max(starts) - min(starts) < 3  # the same view: the same place in each panel at step 0
    assert [half_range(paths[2], t) for t in (0, 5)] == [pytest.approx(4.4), pytest.approx(1.1 * 4 * 1.1**5)]
    assert half_range(paths[0], 30) == pytest.approx(4.4)  # a converging view never moves


@pytest.mark.parametrize(
    "x, text",
    [(4.0, "4.000"), (-0.4021, "−0.402"), (4.61e-12, "4.6 × 10⁻¹²"), (123456.0, "1.2 × 10⁵"), (0.0, "0")],
)
def test_numbers_read_as_a_person_writes_them(x, text):
    assert readable(x) == text
