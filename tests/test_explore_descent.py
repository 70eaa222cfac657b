"""explore_descent: gradient descent on y = x² in the page, equal to figgen's Python for every rate and start
the page holds (the path, the regime by the one rule, the verdict, the numbers as shown), driven in real
Chromium through its range inputs' keys and through window.figgenExplorable."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import figgen
from figgen.analysis.descent import descent_summary, gradient_descent_path, learning_rate_verdict
from figgen.core.regime import regime
from tests._browser import CHROMIUM, Browser

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")]
STATUS = "document.getElementById('fx-status').textContent"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The recipe built from a copy of recipes/ outside the repository, open in one Chromium tab."""
    folder = tmp_path_factory.mktemp("descent")
    shutil.copy(ROOT / "recipes" / "explore_descent.py", folder / "explore_descent.py")
    result = figgen.build(["explore_descent"], out=folder / "out", cache=folder / "cache", recipes_dir=folder)
    assert result.ok, result.failures
    html = folder / "out" / "explore_descent.html"
    with Browser(folder / "profile") as browser:
        tab = browser.open(html.as_uri(), width=820, height=700)
        tab.wait_for("document.documentElement.dataset.state === 'ready'")
        tab.html = html
        yield tab


def test_the_page_is_small_self_contained_and_opens_again(page):
    """At most 150 KB, nothing to fetch, ready again after a reload (how soon: bench/bench_pages.py)."""
    assert page.html.stat().st_size <= 150_000
    assert "http" not in page.html.read_text().replace("http://www.w3.org", "")  # nothing to fetch
    # the old page marked, so the wait below is for the new one (the old one was ready too)
    page.evaluate("document.documentElement.dataset.state = 'reloading'; location.reload()")
    page.wait_for("!!document.documentElement && document.documentElement.dataset.state === 'ready'")
    assert page.evaluate("figgenExplorable.set({LEARNING_RATE: 0.9, X0: -3, STEP: 12}).STEP") == 12


def test_it_opens_at_the_recipes_state(page):
    page.evaluate("figgenExplorable.set({LEARNING_RATE: 0.1, X0: 4, STEP: 30})")
    state = page.evaluate("figgenExplorable.state()")
    assert (state["LEARNING_RATE"], state["X0"], state["STEP"]) == (0.1, 4.0, 30)
    expected = gradient_descent_path(4.0, 0.1, 30)
    np.testing.assert_allclose(state["x"], expected, rtol=1e-13)
    assert state["regime"] == regime(np.abs(expected), 4.0) == "converges"
    assert page.evaluate(STATUS) == (
        f"LEARNING_RATE 0.1 from x₀ = 4: at step 30 of 30, x = {expected[-1]:.3g}. "
        "Over 30 steps it converges: the rate is good."
    )
    assert page.evaluate("document.getElementById('verdict').textContent") == (
        "Over 30 steps it converges: the rate is good"
    )


def test_every_rate_and_start_the_page_holds_matches_python(page):
    """The page shows Python's regime, verdict and summary of the run (precomputed for each rate and start,
    so a wrong index shows the wrong words) and the path as Python's numbers, for each of the page's rates
    (crawling to diverging) at several starts and steps."""
    rates = page.evaluate("FX.data.rates")
    assert len(rates) > 40 and rates[0] == 0.001 and 0.1 in rates and rates[-1] >= 1.05
    names = set()
    for rate in rates:
        for x0, step in ((4.0, 30), (-0.5, 7), (2.0, 0)):
            state = page.evaluate(f"figgenExplorable.set({{LEARNING_RATE: {rate}, X0: {x0}, STEP: {step}}})")
            whole = gradient_descent_path(x0, rate, 30)
            assert state["LEARNING_RATE"] == rate and state["X0"] == x0
            np.testing.assert_allclose(state["x"], whole[: step + 1], rtol=1e-12)
            assert state["regime"] == regime(np.abs(whole), abs(x0)), (rate, x0)
            assert state["verdict"] == learning_rate_verdict(whole), (rate, x0)
            names.add(state["regime"])
            shown = page.evaluate(STATUS)
            assert f"at step {step} of 30, x = {whole[step]:.3g}." in shown, (rate, x0, shown)
            assert shown.startswith(f"LEARNING_RATE {rate:.3g} from")
            assert shown.endswith(f"Over 30 steps {descent_summary(whole)}."), (rate, x0, shown)
    # a geometric path never comes back from above its start: "unstable" needs a bumpier loss than x²'s
    assert names == {"crawls", "converges", "diverged"}


def test_set_snaps_to_the_nearest_value_the_page_holds(page):
    same = "JSON.stringify(figgenExplorable.set()) === JSON.stringify(figgenExplorable.state())"
    assert page.evaluate(same)  # set() with nothing to set: the state as it is
    rates = page.evaluate("FX.data.rates")
    state = page.evaluate("figgenExplorable.set({LEARNING_RATE: 0.0987, X0: 3.4, STEP: 99})")
    nearest = min(rates, key=lambda r: abs(np.log(r) - np.log(0.0987)))  # on the slider's log scale
    assert (state["LEARNING_RATE"], state["X0"], state["STEP"]) == (nearest, 3.0, 30)


def test_the_range_inputs_step_by_keys(page):
    page.evaluate("figgenExplorable.set({LEARNING_RATE: 0.1, X0: 4, STEP: 30})")
    rates = page.evaluate("FX.data.rates")
    page.click(*page.centre("#rate", page.evaluate("Number(rate.value) / Number(rate.max)")))
    page.evaluate("figgenExplorable.set({LEARNING_RATE: 0.1})")
    page.press("ArrowRight")
    assert page.evaluate("figgenExplorable.state().LEARNING_RATE") == rates[rates.index(0.1) + 1]
    assert (
        page.evaluate("document.getElementById('rate-value').textContent")
        == f"{rates[rates.index(0.1) + 1]:.3g}"
    )
    page.click(*page.centre("#step", 0.5))  # the mouse moves the step to the middle
    clicked = page.evaluate("figgenExplorable.state().STEP")
    assert 13 <= clicked <= 17
    page.press("ArrowLeft")
    page.press("ArrowLeft")
    state = page.evaluate("figgenExplorable.state()")
    assert state["STEP"] == clicked - 2 and len(state["x"]) == clicked - 1
    said = page.evaluate("document.getElementById('step').getAttribute('aria-valuetext')")
    assert said == f"step {clicked - 2} of 30"


def test_numbers_are_written_as_python_writes_them(page):
    """FX.g and FX.fixed, which every explorable shows its numbers with, against Python's format, ties to
    even included (0.03125 to three digits is 0.0312 in Python; JavaScript's toPrecision says 0.0313)."""
    values = [0.03125, 0.0625, 2.5, 0.125, 1e-5, 123456.0, -0.00395, 69.8, 0.1, 1 / 3, 2.675, 1e21, 0.5, 1.5]
    values += list(
        np.random.default_rng(0).lognormal(0, 6, 300) * np.random.default_rng(1).choice([-1, 1], 300)
    )
    for digits in (1, 2, 3):
        got = page.evaluate(f"{[float(v) for v in values]}.map(function (v) {{ return FX.g(v, {digits}); }})")
        assert got == [format(v, f".{digits}g") for v in values]
        got = page.evaluate(
            f"{[float(v) for v in values]}.map(function (v) {{ return FX.fixed(v, {digits}); }})"
        )
        assert got == [format(v, f".{digits}f") for v in values]


def test_a_run_that_leaves_the_scale_still_climbs_on_the_log_strip(page):
    """The strip's log axis reaches the largest |x| of the run: a diverging path climbs across it to the end
    (before, it was clipped at 1e2 and ran flat along the top, as if it had settled)."""
    import base64
    import io

    from PIL import Image

    rates = page.evaluate("FX.data.rates")
    page.evaluate(f"figgenExplorable.set({{LEARNING_RATE: {rates[-1]}, X0: 4, STEP: 30}})")
    assert page.evaluate("figgenExplorable.state().regime") == "diverged"
    url = page.evaluate("document.getElementById('strip').toDataURL('image/png')")
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"), int)
    r, g, b, a = (pixels[..., k] for k in range(4))
    red = (a > 200) & (r > g + 80) & (r > b + 80)  # the path, in the mistake colour
    height, width = red.shape

    def row(fraction: float) -> float:  # where the path is in the column at this share of the width
        rows = np.flatnonzero(red[:, int(width * fraction)])
        assert len(rows), f"no path at {fraction:.0%} of the strip's width"
        return rows.mean()

    assert row(0.5) - row(0.9) > 0.15 * height  # still climbing between the middle and the end
    assert row(0.9) - row(0.97) > 0.01 * height
