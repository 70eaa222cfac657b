"""``explore_descent``'s page: gradient descent on y = x² with a learning-rate slider (log scale), a start
point and the step, computed in the page as :func:`figgen.analysis.descent.gradient_descent_path` computes
it (x_t = x_0 · (1 − 2 · rate)^t, in float64). What the page says of each run is computed here, in
Python, for every rate and start it holds: the regime by the rule of :func:`figgen.core.regime.regime` on
the distance |x|, the few words of :func:`figgen.analysis.descent.learning_rate_verdict`, and the sentence
of :func:`figgen.analysis.descent.descent_summary` that shows them.

``state()`` gives ``LEARNING_RATE``, ``X0``, ``STEP``, ``x`` (the path so far, x_0 … x_STEP), ``regime``
(over the whole run of ``steps`` steps, as the figure names its balls) and ``verdict``; ``set`` takes the
same names and snaps a rate to the nearest the page holds on its log scale, a start and a step to the
nearest on theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figgen.analysis.descent import descent_summary, gradient_descent_path, learning_rate_verdict
from figgen.core.regime import regime
from figgen.draw.descent import view_half
from figgen.writers.explorable import ExplorablePage

BODY = """
<div class="fx-figure">
<canvas id="curve" role="img" aria-label="The parabola y = x squared and the path of gradient descent on it">
</canvas>
<canvas id="strip" role="img" aria-label="The distance from the minimum at each step, on a log scale">
</canvas>
</div>
<div class="fx-controls">
<label for="rate">LEARNING_RATE</label>
<input type="range" id="rate" min="0" max="@@rates@@" step="1" value="@@rate@@">
<output id="rate-value" for="rate"></output>
<label for="start">Start x&#8320;</label>
<input type="range" id="start" min="0" max="@@starts@@" step="1" value="@@start@@">
<output id="start-value" for="start"></output>
<label for="step">Step</label>
<input type="range" id="step" min="0" max="@@steps@@" step="1" value="@@steps@@">
<output id="step-value" for="step"></output>
</div>
<div class="fx-row"><button type="button" id="play" aria-pressed="false">Play from step 0</button>
<span id="verdict"></span></div>
"""

STYLE = """
.fx-figure canvas { width: 100%; }
#verdict { font-weight: bold; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var D = FX.data, rates = D.rates, starts = D.starts, N = D.steps, H = D.half;
  function el(id) { return document.getElementById(id); }
  var rate = el("rate"), start = el("start"), step = el("step"), play = el("play"), timer = null;
  var curve = el("curve"), strip = el("strip");

  // x_t = x_0 (1 - 2 rate)^t, as figgen.analysis.descent.gradient_descent_path computes it
  function path(x0, lr) {
    var out = [], factor = 1 - 2 * lr;
    for (var t = 0; t <= N; t++) out.push(x0 * Math.pow(factor, t));
    return out;
  }
  function now() {
    var i = Number(rate.value), j = Number(start.value), o = D.outcomes[i][j];
    return {lr: rates[i], x0: starts[j], t: Number(step.value), p: path(starts[j], rates[i]),
            regime: D.regimes[o[0]], verdict: D.verdicts[o[1]], summary: D.summaries[o[2]]};
  }

  function font() { return parseFloat(getComputedStyle(document.body).fontSize); }

  function drawCurve(s) {
    var width = curve.parentNode.clientWidth, fs = font(), height = Math.round(width * 0.36);
    var c = FX.sized(curve, width, height), pad = fs * 0.8, top = fs * 0.6, bottom = height - fs * 1.8;
    var X = function (x) { return pad + (x + H) / (2 * H) * (width - 2 * pad); };
    var Y = function (x) { return bottom - Math.min(x * x, H * H) / (H * H) * (bottom - top); };
    c.clearRect(0, 0, width, height);
    c.lineWidth = Math.max(1, fs / 8);
    c.strokeStyle = FX.colour("muted");
    c.beginPath();
    for (var i = 0; i <= 200; i++) { var x = -H + 2 * H * i / 200; c.lineTo(X(x), Y(x)); }
    c.stroke();
    c.fillStyle = FX.colour("fg");
    c.font = (fs * 0.85) + "px " + getComputedStyle(document.body).fontFamily;
    c.textAlign = "center";
    c.textBaseline = "top";
    [-H, -H / 2, 0, H / 2, H].forEach(function (x) {
      c.fillText(FX.g(x, 3).replace("-", "\u2212"), X(x), bottom + fs * 0.35);
    });
    var bad = s.regime === "diverged" || s.regime === "unstable", ink = FX.colour(bad ? "mistake" : "accent");
    var clip = function (x) { return Math.max(-H, Math.min(H, x)); };
    c.strokeStyle = ink;
    c.globalAlpha = 0.6;
    c.beginPath();
    for (var t = 0; t <= s.t; t++) c.lineTo(X(clip(s.p[t])), Y(clip(s.p[t])));
    c.stroke();
    c.globalAlpha = 1;
    c.fillStyle = ink;
    for (t = 0; t <= s.t; t++) {
      var x = s.p[t], r = t === s.t ? fs * 0.45 : fs * 0.18, off = Math.abs(x) > H;
      c.beginPath();
      if (off) {  // off the view: a triangle at the edge, pointing out
        var e = X(clip(x)), dir = x > 0 ? 1 : -1, y = Y(H);
        c.moveTo(e, y - r); c.lineTo(e + dir * r * 1.6, y); c.lineTo(e, y + r);
      } else {
        c.arc(X(x), Y(x), r, 0, 2 * Math.PI);
      }
      c.fill();
    }
  }

  function drawStrip(s) {
    var width = strip.parentNode.clientWidth, fs = font(), height = Math.round(width * 0.16);
    var c = FX.sized(strip, width, height), left = fs * 3.2, right = width - fs * 1.2;
    var top = fs * 0.6, bottom = height - fs * 1.5, lo = D.decades[0];
    // the axis reaches the largest |x| of the whole run: a run that leaves it must not look flat
    var hi = Math.max(D.decades[1], Math.ceil(Math.log10(Math.max.apply(null, s.p.map(Math.abs)))));
    var X = function (t) { return left + t / N * (right - left); };
    var Y = function (d) {
      var v = d > 0 ? Math.log10(d) : lo;
      return bottom - (Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo) * (bottom - top);
    };
    c.clearRect(0, 0, width, height);
    c.font = (fs * 0.8) + "px " + getComputedStyle(document.body).fontFamily;
    c.fillStyle = FX.colour("muted");
    c.strokeStyle = FX.colour("muted");
    c.lineWidth = Math.max(1, fs / 12);
    c.textAlign = "right";
    c.textBaseline = "middle";
    [lo, Math.round((lo + hi) / 2), hi].forEach(function (k) {  // whole decades, drawn where they are
      c.fillText("1e" + k, left - fs * 0.3, Y(Math.pow(10, k)));
    });
    c.setLineDash([fs / 4, fs / 4]);
    c.beginPath(); c.moveTo(left, Y(Math.abs(s.x0))); c.lineTo(right, Y(Math.abs(s.x0))); c.stroke();
    c.setLineDash([]);
    c.textAlign = "center";
    c.textBaseline = "top";
    c.fillText("step \u00b7 |x| on a log scale, dashed: |x\u2080|", (left + right) / 2, bottom + fs * 0.2);
    var bad = s.regime === "diverged" || s.regime === "unstable";
    c.strokeStyle = c.fillStyle = FX.colour(bad ? "mistake" : "accent");
    c.lineWidth = Math.max(1, fs / 8);
    c.beginPath();
    for (var t = 0; t <= s.t; t++) c.lineTo(X(t), Y(Math.abs(s.p[t])));
    c.stroke();
    c.beginPath(); c.arc(X(s.t), Y(Math.abs(s.p[s.t])), fs * 0.3, 0, 2 * Math.PI); c.fill();
  }

  function show() {
    var s = now(), g = function (v) { return FX.g(v, 3); };
    el("rate-value").textContent = g(s.lr);
    el("start-value").textContent = g(s.x0);
    el("step-value").textContent = s.t + " / " + N;
    rate.setAttribute("aria-valuetext", g(s.lr));
    start.setAttribute("aria-valuetext", g(s.x0));
    step.setAttribute("aria-valuetext", "step " + s.t + " of " + N);
    el("verdict").textContent = "Over " + N + " steps " + s.summary;
    drawCurve(s);
    drawStrip(s);
    FX.describe("LEARNING_RATE " + g(s.lr) + " from x\u2080 = " + g(s.x0) + ": at step " + s.t + " of " + N +
      ", x = " + g(s.p[s.t]) + ". Over " + N + " steps " + s.summary + ".");
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    play.setAttribute("aria-pressed", "false");
  }
  play.addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    if (FX.reduce) { step.value = String(N); show(); return; }  // no motion: straight to the end
    step.value = "0";
    show();
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (Number(step.value) >= N) { stop(); return; }
      step.value = String(Number(step.value) + 1);
      show();
    }, 250);
  });
  [rate, start].forEach(function (input) { input.addEventListener("input", show); });
  step.addEventListener("input", function () { stop(); show(); });
  window.addEventListener("resize", show);

  var logRates = rates.map(Math.log);
  show();  // drawn before it says it is ready: a slide fits, and a host sizes its frame, to the drawn page
  FX.expose({
    set: function (values) {
      values = values || {};  // set() alone changes nothing, as on the training page
      stop();
      if ("LEARNING_RATE" in values) {
        rate.value = String(FX.nearest(logRates, Math.log(Number(values.LEARNING_RATE))));
      }
      if ("X0" in values) start.value = String(FX.nearest(starts, Number(values.X0)));
      if ("STEP" in values) step.value = String(Math.max(0, Math.min(N, Math.round(Number(values.STEP)))));
      show();
      return this.state();
    },
    state: function () {
      var s = now();
      return {LEARNING_RATE: s.lr, X0: s.x0, STEP: s.t, x: s.p.slice(0, s.t + 1), regime: s.regime,
              verdict: s.verdict};
    }
  });
})();
"""


def rate_scale(low: float, high: float, per_decade: int, extra: Sequence[float] = ()) -> list[float]:
    """The learning rates the page's slider holds: ``per_decade`` a decade on a log scale from ``low`` to
    ``high``, anchored on the powers of ten (0.001, 0.01, 0.1, 1 are among them), each rounded to three
    significant digits (the page shows three), and the rates ``extra`` (the text's, the figure's)."""
    first, last = np.ceil(np.log10(low) * per_decade - 1e-9), np.floor(np.log10(high) * per_decade + 1e-9)
    grid = 10.0 ** (np.arange(first, last + 1) / per_decade)
    return sorted({float(f"{v:.3g}") for v in grid} | {float(f"{v:.3g}") for v in extra})


def descent_page(
    rates: Sequence[float], starts: Sequence[float], steps: int, rate: float, start: float
) -> ExplorablePage:
    """The page for gradient descent on y = x² over ``rates`` (ascending) and the starts ``starts``, ``steps``
    steps; it opens at the rate and start nearest ``rate`` and ``start``, on the last step."""
    rates, starts = [float(r) for r in rates], [float(s) for s in starts]
    half = view_half(max(abs(s) for s in starts))
    first = int(np.argmin(np.abs(np.log(rates) - np.log(rate))))
    begin = int(np.argmin(np.abs(np.asarray(starts) - start)))
    top = np.log10(half) + 1
    values = {
        "rates": len(rates) - 1,
        "rate": first,
        "starts": len(starts) - 1,
        "start": begin,
        "steps": steps,
    }
    body = BODY
    for key, value in values.items():
        body = body.replace(f"@@{key}@@", str(value))
    data = {
        "rates": rates,
        "starts": starts,
        "steps": int(steps),
        "half": half,
        "decades": [int(np.floor(top - 9)), int(np.ceil(top))],
        **_outcomes(rates, starts, steps),
        "rate0": first,
        "start0": begin,
    }
    return ExplorablePage("Gradient descent on y = x²", body, SCRIPT, data, style=STYLE, aspect=0.76)


def _outcomes(rates: list[float], starts: list[float], steps: int) -> dict:
    """What the page says of each (rate, start)'s whole run, computed here by figgen's own functions:
    ``outcomes[i][j]`` indexes ``regimes``, ``verdicts`` and ``summaries`` for rate i from start j."""
    tables: dict[str, list[str]] = {"regimes": [], "verdicts": [], "summaries": []}

    def index(table: str, text: str) -> int:
        names = tables[table]
        if text not in names:
            names.append(text)
        return names.index(text)

    outcomes = []
    for rate in rates:
        row = []
        for x0 in starts:
            path = gradient_descent_path(x0, rate, steps)
            distance = np.abs(path)
            row.append(
                [
                    index("regimes", regime(distance, distance[0])),
                    index("verdicts", learning_rate_verdict(path)),
                    index("summaries", descent_summary(path)),
                ]
            )
        outcomes.append(row)
    return {**tables, "outcomes": outcomes}
