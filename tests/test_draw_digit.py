"""draw_digit: the page reads a digit as figgen's model does, to the last bits: a drawn digit, test digits
shifted by the page's sliders and digits injected as pixels, against numpy's softmax(x · W + b) of the
default cached run (quick sizes here), driven in real Chromium by mouse, keys and window.figgenExplorable."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import figgen
from figgen.data import load_dataset
from figgen.writers.explore.digit import shift_image
from tests._browser import CHROMIUM, Browser

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")]
STATUS = "document.getElementById('fx-status').textContent"
SHOWN = (  # the percentages the bars show
    "Array.from(document.querySelectorAll('#bars span:nth-child(4n+3)'))"
    ".map(function (e) { return e.textContent; })"
)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("digit")
    shutil.copy(ROOT / "recipes" / "draw_digit.py", folder / "draw_digit.py")
    cache = folder / "cache"
    result = figgen.build(["draw_digit"], out=folder / "out", cache=cache, recipes_dir=folder, quick=True)
    assert result.ok, result.failures
    run = figgen.train(cache=cache, **_quick_knobs())
    html = folder / "out" / "draw_digit.html"
    with Browser(folder / "profile") as browser:
        tab = browser.open(html.as_uri(), width=820, height=800)
        tab.wait_for("document.documentElement.dataset.state === 'ready'")
        tab.html, tab.run = html, run
        yield tab


def _quick_knobs() -> dict:
    from figgen.core.knobs import QUICK

    return {
        k: v for k, v in QUICK.items() if k in ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
    }


def softmax(x, run) -> np.ndarray:
    z = np.asarray(x, np.float64) @ run.weights.astype(np.float64) + run.bias.astype(np.float64)
    e = np.exp(z - z.max())
    return e / e.sum()


def check(page, pixels) -> dict:
    """The page's state equals numpy's for its input, and its bars show the same percentages."""
    state = page.evaluate("figgenExplorable.state()")
    expected = softmax(pixels, page.run)
    np.testing.assert_allclose(state["pixels"], pixels, atol=1e-12)
    np.testing.assert_allclose(state["probabilities"], expected, rtol=1e-9, atol=1e-15)
    assert state["prediction"] == int(np.argmax(expected))
    assert page.evaluate(SHOWN) == [f"{100 * p:.1f}%" for p in expected]
    return state


def test_the_page_is_small_and_opens_again(page):
    """At most 150 KB, and ready again after a reload (how soon: bench/bench_pages.py, not a timed test)."""
    assert page.html.stat().st_size <= 150_000
    # the old page marked, so the wait below is for the new one (the old one was ready too)
    page.evaluate("document.documentElement.dataset.state = 'reloading'; location.reload()")
    page.wait_for("!!document.documentElement && document.documentElement.dataset.state === 'ready'")
    assert page.evaluate("figgenExplorable.set({digit: 3, shift_x: 2}).prediction") in range(10)


def test_test_digits_shifted_by_the_sliders_match_numpy(page):
    data = load_dataset("sample")
    x, labels = data.test(_quick_knobs()["TEST_SIZE"])
    for digit in range(10):
        first = x[np.flatnonzero(labels == digit)[0]].astype(np.float64)
        image = np.round(first.reshape(28, 28) * 255) / 255
        for dx, dy in ((0, 0), (-3, 0), (2, 4)):
            page.evaluate(f"figgenExplorable.set({{digit: {digit}, shift_x: {dx}, shift_y: {dy}}})")
            check(page, shift_image(image, dx, dy).ravel())
    page.evaluate("figgenExplorable.set({digit: 1, shift_x: 0, shift_y: 0})")
    page.click(*page.centre("#sx", 0.5))  # the keyboard's way: the shift slider's arrows
    for _ in range(3):
        page.press("ArrowLeft")
    image = np.round(x[np.flatnonzero(labels == 1)[0]].astype(np.float64).reshape(28, 28) * 255) / 255
    check(page, shift_image(image, -3, 0).ravel())
    assert "The first 1 of the test set shifted 3 left: the model reads" in page.evaluate(STATUS)
    page.evaluate("figgenExplorable.set({digit: 2, shift_x: 0, shift_y: 0})")
    assert page.evaluate(STATUS).startswith("The first 2 of the test set: the model reads ")


def test_pixels_injected_are_classified_as_numpy_does(page):
    same = "JSON.stringify(figgenExplorable.set()) === JSON.stringify(figgenExplorable.state())"
    assert page.evaluate(same)  # set() with nothing to set: the state as it is
    rng = np.random.default_rng(7)
    for pixels in (rng.random(784), np.zeros(784), (rng.random(784) > 0.8).astype(float)):
        page.evaluate(f"figgenExplorable.set({{pixels: {pixels.tolist()}}})")
        check(page, pixels)
    with pytest.raises(RuntimeError, match="784 values"):
        page.evaluate("figgenExplorable.set({pixels: [1, 2, 3]})")


def test_a_drawing_is_preprocessed_as_mnist_was_and_read(page):
    """A stroke drawn with the mouse: the processed input fits the 20 x 20 box, its centre of mass at the
    centre, and the page's probabilities are numpy's for that input."""
    page.evaluate("document.getElementById('clear').click()")
    left, top = page.evaluate(
        "(function(){var r=pad.getBoundingClientRect();return [r.left,r.top,r.width];})()"
    )[:2]
    size = page.evaluate("pad.getBoundingClientRect().width")
    points = [(0.5, 0.15), (0.52, 0.4), (0.55, 0.65), (0.56, 0.85)]  # a slanted 1
    page.send("Input.dispatchMouseEvent", type="mouseMoved", x=left + size * 0.5, y=top + size * 0.15)
    page.send(
        "Input.dispatchMouseEvent",
        type="mousePressed",
        x=left + size * 0.5,
        y=top + size * 0.15,
        button="left",
        clickCount=1,
    )
    for fx, fy in points[1:]:
        page.send(
            "Input.dispatchMouseEvent",
            type="mouseMoved",
            x=left + size * fx,
            y=top + size * fy,
            button="left",
            buttons=1,
        )
    page.send(
        "Input.dispatchMouseEvent",
        type="mouseReleased",
        x=left + size * 0.56,
        y=top + size * 0.85,
        button="left",
        clickCount=1,
    )
    page.wait_for("figgenExplorable.state().pixels.some(function (v) { return v > 0; })")
    page.evaluate(
        "new Promise(function (done) {"
        " requestAnimationFrame(function () { requestAnimationFrame(done); }); })"
    )
    state = page.evaluate("figgenExplorable.state()")
    assert state["source"] == "drawing"
    image = np.array(state["pixels"]).reshape(28, 28)
    rows, cols = np.nonzero(image)
    assert rows.max() - rows.min() + 1 <= 21 and cols.max() - cols.min() + 1 <= 21
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) + 1 >= 19  # scaled up to the box
    ys, xs = np.mgrid[0:28, 0:28] + 0.5
    assert (
        abs((image * ys).sum() / image.sum() - 14) <= 0.5
        and abs((image * xs).sum() / image.sum() - 14) <= 0.5
    )
    check(page, state["pixels"])
    assert page.evaluate(STATUS).startswith("Your drawing: the model reads ")


def test_the_sheets_are_drawn_as_python_colours_them(page):
    """Each pixel-by-sheet product x · W[:, k] takes the colour figgen's own colour table gives it
    (figgen.draw.colormaps.apply_lut on the scale ±the sheets' limit, ties to even as numpy's rint), for
    every pixel of the ten sheets: the page holds W as float32 and multiplies in float64, as here."""
    from figgen.draw.colormaps import apply_lut, colormap_lut, symmetric_limit

    rng = np.random.default_rng(3)
    pixels = np.round(rng.random(784) * 255) / 255  # many products, every sign and size
    page.evaluate(f"figgenExplorable.set({{pixels: {pixels.tolist()}}})")
    weights = page.run.weights.astype(np.float32)
    limit = symmetric_limit(weights)
    assert page.evaluate("FX.data.limit") == limit
    lut = colormap_lut("seismic", 255)[:, :3].astype(np.uint8)
    drawn = np.array(
        page.evaluate(
            "Array.from(document.querySelectorAll('#sheets canvas')).map(function (c) {"
            " return Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data); })"
        ),
        np.uint8,
    ).reshape(10, 784, 4)
    products = pixels[:, None] * weights.astype(np.float64)
    for k in range(10):
        expected = apply_lut(products[:, k], lut, -limit, limit).reshape(784, 3)
        wrong = np.flatnonzero((drawn[k, :, :3] != expected).any(axis=1))
        assert not len(wrong), f"sheet {k}: {len(wrong)} pixels differ, first {wrong[:5]}"


def test_colour_levels_round_ties_to_even_as_python_does(page):
    """FX.level, which colours every sheet, against figgen.draw.colormaps.lut_indices on exact ties (a
    scale whose step is a power of two: x.5 is representable), either side of them, past both ends, NaN."""
    from figgen.draw.colormaps import lut_indices

    low, high = -127 / 64, 127 / 64  # (255 - 1) / (high - low) = 64: scaled values are exact
    ties = [(t + 0.5 - 127) / 64 for t in range(-2, 256)]
    near = [np.nextafter(v, s) for v in ties for s in (-np.inf, np.inf)]
    values = [*ties, *near, *np.random.default_rng(5).uniform(-3, 3, 200), -1e9, 1e9, 0.0]
    level = f"function (v) {{ return FX.level(v, {low}, {high}, 255); }}"
    got = page.evaluate(f"{[float(v) for v in values]}.map({level})")
    assert got == lut_indices(np.array(values), 255, low, high).tolist()
    assert page.evaluate(f"FX.level(NaN, {low}, {high}, 255)") == 127
