"""The explore_training page's own markup, style and script (:mod:`figgen.writers.explore.training` fills
its data; :mod:`figgen.writers.explorable` puts them in the shared shell).

The script shows one run of the grid at one logged step: the ten weight sheets through the sheets' colour
table (the indices inflated once from the page's data), the training loss and test accuracy curves (the run's
whole curve faint, up to the step solid, the step marked), the example digit's ten probabilities and the
prediction, and a line naming the run's regime. It computes nothing that it shows: every number is the one
Python put in the data. ``window.figgenExplorable.set({TRAIN_SIZE, LEARNING_RATE, STEP})`` snaps each to the
nearest held value; ``state()`` gives them with ``accuracy``, ``loss``, ``regime``, ``prediction`` and
``probabilities`` as shown (``null`` at a step past where a run's loss stopped being a number).
"""

from __future__ import annotations

BODY = """
<div class="fx-controls">
  <label for="xt-size">TRAIN_SIZE</label>
  <input type="range" id="xt-size" min="0" step="1" aria-describedby="xt-size-out">
  <output id="xt-size-out" for="xt-size"></output>
  <label for="xt-rate">LEARNING_RATE</label>
  <input type="range" id="xt-rate" min="0" step="1" aria-describedby="xt-rate-out">
  <output id="xt-rate-out" for="xt-rate"></output>
  <label for="xt-step">step</label>
  <input type="range" id="xt-step" min="0" step="1" aria-describedby="xt-step-out">
  <output id="xt-step-out" for="xt-step"></output>
</div>
<p class="xt-regime" id="xt-regime"></p>
<figure class="xt-sheets"
  aria-label="The ten weight sheets W[:, k], red positive, blue negative, white zero">
  <div class="xt-grid" id="xt-sheets"></div>
  <figcaption class="fx-muted" id="xt-scale"></figcaption>
</figure>
<div class="xt-lower">
  <figure class="xt-curves">
    <canvas id="xt-curves" role="img" aria-label="Training loss and test accuracy by step"></canvas>
  </figure>
  <div class="xt-example">
    <canvas id="xt-digit" width="28" height="28" role="img"></canvas>
    <p class="fx-muted" id="xt-example-words"></p>
    <div class="xt-bars" id="xt-bars" role="list"></div>
  </div>
</div>
"""

STYLE = """
.xt-regime { margin: .2em 0 .4em; font-weight: bold; }
figure.xt-sheets, figure.xt-curves { margin: 0; }
.xt-grid { display: grid; grid-template-columns: repeat(10, 1fr); gap: .3em; }
.xt-cell { text-align: center; font-size: .85em; font-variant-numeric: tabular-nums; }
.xt-cell canvas { width: 100%; height: auto; image-rendering: pixelated; aspect-ratio: 1;
  outline: .067em solid color-mix(in srgb, var(--fx-fg) 25%, transparent); }
.xt-sheets figcaption { font-size: .8em; margin-top: .1em; }
.xt-lower { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: .4em 1.2em;
  align-items: start; margin-top: .4em; }
.xt-curves canvas { width: 100%; }
.xt-example { display: grid; grid-template-columns: 4.5em 1fr; gap: .3em .7em; align-items: center; }
.xt-example p { margin: 0; font-size: .85em; }
.xt-example canvas { width: 4.5em; height: 4.5em; image-rendering: pixelated;
  outline: .067em solid color-mix(in srgb, var(--fx-fg) 25%, transparent); }
.xt-bars { grid-column: 1 / -1; display: grid; grid-template-columns: repeat(10, 1fr); gap: .1em;
  align-items: end; }
.xt-bar { display: flex; flex-direction: column; align-items: center; font-size: .66em;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.xt-bar i { display: block; width: 70%; height: 4.4em; position: relative;
  background: color-mix(in srgb, var(--fx-fg) 10%, transparent); }
.xt-bar i b { position: absolute; left: 0; right: 0; bottom: 0; background: var(--fx-muted); }
.xt-bar.xt-guess i b { background: var(--fx-accent); }
.xt-bar.xt-guess span { font-weight: bold; }
.xt-bar.xt-label span.xt-k { text-decoration: underline; }
@media (max-width: 560px) { .xt-lower { grid-template-columns: 1fr; }
  .xt-grid { grid-template-columns: repeat(5, 1fr); } }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var D = FX.data, nR = D.rates.length, nT = D.steps.length, CELLS = 10 * 784;
  var size = document.getElementById("xt-size"), rate = document.getElementById("xt-rate");
  var step = document.getElementById("xt-step"), inputs = [size, rate, step];
  var held = [D.sizes, D.rates, D.steps];
  var lut = bytes(D.lut), codes = null, sheets = [], bars = [];
  var curves = document.getElementById("xt-curves");
  var grid = document.getElementById("xt-sheets"), barBox = document.getElementById("xt-bars");
  var WORDS = {  // the regimes as figgen.core.regime names them
    crawls: "crawls: its loss stays above a quarter of ln 10",
    converges: "converges: its loss falls below a quarter of ln 10",
    unstable: "is unstable: its loss jumps above ln 10 and back",
    diverged: "diverges: its loss stays above ln 10"
  };

  function bytes(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function grouped(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function rateText(r) { return String(Number(r.toPrecision(6))); }
  function percent(p) { return (p * 100).toFixed(1) + "%"; }
  function lossText(v) { return FX.g(v, 4); }  // as Python's format(loss, ".4g") writes it
  function at() { return [Number(size.value), Number(rate.value), Number(step.value)]; }
  function runOf(s, r) { return D.runs[s * nR + r]; }

  inputs.forEach(function (input, i) {
    input.max = String(held[i].length - 1);
  });
  size.value = String(D.sizes.length - 1);
  rate.value = String(FX.nearest(D.rates, 0.1));
  step.value = String(nT - 1);

  for (var k = 0; k < 10; k++) {
    var cell = document.createElement("div"), canvas = document.createElement("canvas");
    var name = document.createElement("span");
    cell.className = "xt-cell";
    canvas.width = canvas.height = 28;
    canvas.setAttribute("aria-hidden", "true");
    name.textContent = D.classes[k];
    cell.appendChild(canvas);
    cell.appendChild(name);
    grid.appendChild(cell);
    sheets.push(canvas);
    var bar = document.createElement("div");
    bar.className = "xt-bar";
    bar.setAttribute("role", "listitem");
    bar.innerHTML = '<span class="xt-p"></span><i><b></b></i><span class="xt-k"></span>';
    bar.querySelector(".xt-k").textContent = D.classes[k];
    barBox.appendChild(bar);
    bars.push(bar);
  }
  (function drawDigit() {
    var canvas = document.getElementById("xt-digit"), context = canvas.getContext("2d");
    var pixels = bytes(D.example.pixels), image = context.createImageData(28, 28);
    for (var i = 0; i < 784; i++) {  // ink dark on white, as the text's imshow(cmap='gray_r')
      var v = 255 - pixels[i];
      image.data.set([v, v, v, 255], 4 * i);
    }
    context.putImageData(image, 0, 0);
    var words = "The text's example, training image " + grouped(D.example.index) + ", a " +
      D.classes[D.example.label] + ": the probability this run gives each digit";
    canvas.setAttribute("aria-label", "Training image " + grouped(D.example.index) + ", a " +
      D.classes[D.example.label]);
    document.getElementById("xt-example-words").textContent = words;
  })();

  function drawSheets(run, t) {
    for (var k = 0; k < 10; k++) {
      var context = sheets[k].getContext("2d"), image = context.createImageData(28, 28);
      var base = ((run * nT + t) * 10 + k) * 784;
      for (var i = 0; i < 784; i++) {
        var c = 3 * (codes ? codes[base + i] : (D.levels - 1) / 2);
        image.data[4 * i] = lut[c];
        image.data[4 * i + 1] = lut[c + 1];
        image.data[4 * i + 2] = lut[c + 2];
        image.data[4 * i + 3] = 255;
      }
      context.putImageData(image, 0, 0);
    }
  }

  function drawCurves(r, t) {
    var width = curves.parentNode.clientWidth || 300, height = Math.round(width * 0.37);
    var ctx = FX.sized(curves, width, height), font = parseFloat(getComputedStyle(curves).fontSize);
    var fg = FX.colour("fg"), muted = FX.colour("muted"), accent = FX.colour("accent");
    var small = Math.max(10, font * 0.8);
    var pad = {l: small * 3.4, r: small * 0.9, t: small * 1.5, b: small * 2.8};
    var panelWidth = width / 2 - pad.l - pad.r, panel = height - pad.t - pad.b;
    var xmax = Math.log(D.trainSteps + 1);
    var ends = r.loss.length;
    var losses = r.loss.filter(function (v) { return v > 0; }).concat([D.untrained]);
    var lo = Math.log(Math.min.apply(null, losses)), hi = Math.log(Math.max.apply(null, losses));
    if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
    ctx.font = small + "px " + getComputedStyle(document.body).fontFamily;
    ctx.lineJoin = "round";
    function plot(at, label, values, y, ticks) {
      var top = pad.t, left = at + pad.l, right = left + panelWidth, bottom = top + panel;
      function X(s) { return left + (right - left) * Math.log(s + 1) / xmax; }
      ctx.fillStyle = fg;
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(label, left, top - small * 0.45);
      ctx.strokeStyle = muted;
      ctx.lineWidth = 1;
      ctx.strokeRect(left, top, right - left, panel);
      ctx.fillStyle = muted;
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      ticks.forEach(function (tick) {
        var py = top + panel * (1 - y(tick[0]));
        if (py < top - 1 || py > bottom + 1) return;
        ctx.fillText(tick[1], left - small * 0.3, py);
        ctx.beginPath(); ctx.moveTo(left - small * 0.2, py); ctx.lineTo(left, py); ctx.stroke();
      });
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      [1, 10, 100, 1000, 10000].forEach(function (s) {
        if (s > D.trainSteps) return;
        ctx.fillText(grouped(s), X(s), bottom + small * 0.35);
      });
      function line(count, colour, widthPx) {
        ctx.strokeStyle = colour;
        ctx.lineWidth = widthPx;
        ctx.beginPath();
        for (var i = 0; i < count; i++) {
          var px = X(D.steps[i]), py = top + panel * (1 - y(values[i]));
          if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        }
        ctx.stroke();
      }
      ctx.save();
      ctx.beginPath(); ctx.rect(left, top, right - left, panel); ctx.clip();
      ctx.globalAlpha = 0.35;
      line(ends, muted, 1.5);
      ctx.globalAlpha = 1;
      line(Math.min(t + 1, ends), accent, 2.5);
      ctx.restore();
      if (t < ends) {
        var mx = X(D.steps[t]), my = top + panel * (1 - Math.min(1, Math.max(0, y(values[t]))));
        ctx.fillStyle = accent;
        ctx.strokeStyle = FX.colour("bg-solid");
        ctx.lineWidth = 2;
        ctx.beginPath(); ctx.arc(mx, my, small * 0.45, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      }
    }
    var lossTicks = [[D.untrained, "ln 10"]], apart = small * 1.2 / panel * (hi - lo);
    var first = Math.floor(lo / Math.LN10), last = Math.ceil(hi / Math.LN10);
    var every = last - first > 4 ? 2 : 1;  // a tick every other decade where there are many
    for (var e = last - (last - first) % every; e >= first; e -= every) {
      var power = Math.pow(10, e);  // a power of ten, unless it would sit on ln 10's label
      if (Math.abs(Math.log(power) - Math.log(D.untrained)) < apart) continue;
      lossTicks.push([power, e >= 4 || e < -3 ? "1e" + e : e >= 0 ? grouped(power) : power.toFixed(-e)]);
    }
    plot(0, "training loss (log scale)", r.loss, function (v) {
      return (Math.log(Math.max(v, 1e-300)) - lo) / (hi - lo);
    }, lossTicks);
    plot(width / 2, "test accuracy", r.accuracy, function (v) { return v; },
      [[0, "0%"], [0.5, "50%"], [1, "100%"]]);
    ctx.fillStyle = muted;
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText("step (log scale)", pad.l + panelWidth / 2, height);
    ctx.fillText("step (log scale)", width / 2 + pad.l + panelWidth / 2, height);
  }

  function state() {
    var i = at(), r = runOf(i[0], i[1]), t = i[2], ok = t < r.loss.length;
    return {
      TRAIN_SIZE: D.sizes[i[0]], LEARNING_RATE: D.rates[i[1]], STEP: D.steps[t],
      accuracy: ok ? r.accuracy[t] : null, loss: ok ? r.loss[t] : null, regime: r.regime,
      prediction: ok ? r.prediction[t] : null,  // the class's index, as draw_digit's (a digit on MNIST)
      probabilities: ok ? r.probabilities[t].slice() : null
    };
  }

  function show() {
    var i = at(), run = i[0] * nR + i[1], r = D.runs[run], t = i[2], s = state(), ok = s.loss !== null;
    document.getElementById("xt-size-out").textContent = grouped(s.TRAIN_SIZE);
    document.getElementById("xt-rate-out").textContent = rateText(s.LEARNING_RATE);
    document.getElementById("xt-step-out").textContent = grouped(s.STEP);
    step.setAttribute("aria-valuetext", "step " + grouped(s.STEP));
    size.setAttribute("aria-valuetext", grouped(s.TRAIN_SIZE) + " examples");
    rate.setAttribute("aria-valuetext", rateText(s.LEARNING_RATE));
    var head = "LEARNING_RATE " + rateText(s.LEARNING_RATE) + " on " + grouped(s.TRAIN_SIZE) +
      " examples " + WORDS[r.regime] + ".";
    document.getElementById("xt-regime").textContent = head;
    drawSheets(run, ok ? t : r.loss.length);
    document.getElementById("xt-scale").textContent = ok
      ? "W after step " + grouped(s.STEP) + ", red positive, blue negative, white zero; scale ±" +
        FX.g(D.limits[run][t], 3)
      : "";
    bars.forEach(function (bar, k) {
      var p = ok ? s.probabilities[k] : 0;
      bar.querySelector(".xt-p").textContent = ok ? percent(p) : "–";
      bar.querySelector("b").style.height = (100 * p) + "%";
      bar.classList.toggle("xt-guess", ok && r.prediction[t] === k);
      bar.classList.toggle("xt-label", k === D.example.label);
    });
    drawCurves(r, t);
    var now = ok
      ? " At step " + grouped(s.STEP) + ": training loss " + lossText(s.loss) + ", test accuracy " +
        percent(s.accuracy) + "; the example " + D.classes[D.example.label] + " is read as " +
        D.classes[r.prediction[t]] + " (" + percent(s.probabilities[r.prediction[t]]) + ")."
      : " At step " + grouped(s.STEP) + " its loss is no longer a number: it stopped after step " +
        grouped(D.steps[r.loss.length - 1]) + ".";
    FX.describe(head + now);
  }

  inputs.forEach(function (input) { input.addEventListener("input", show); });
  window.addEventListener("resize", function () { var i = at(); drawCurves(runOf(i[0], i[1]), i[2]); });

  var api = {
    set: function (values) {
      var names = ["TRAIN_SIZE", "LEARNING_RATE", "STEP"];
      names.forEach(function (name, i) {
        if (values && name in values) inputs[i].value = String(FX.nearest(held[i], Number(values[name])));
      });
      show();
      return state();
    },
    state: state
  };

  var stream = new Blob([bytes(D.sheets)]).stream().pipeThrough(new DecompressionStream("deflate"));
  new Response(stream).arrayBuffer().then(function (buffer) {
    var raw = new Uint8Array(buffer), runs = raw.length / (nT * CELLS);
    for (var run = 0; run < runs; run++) {  // each step was stored as its difference from the one before
      for (var t = 1; t < nT; t++) {
        var here = (run * nT + t) * CELLS, before = here - CELLS;
        for (var i = 0; i < CELLS; i++) raw[here + i] = (raw[here + i] + raw[before + i]) & 255;
      }
    }
    codes = raw;
    show();
    FX.expose(api);
  }, function (error) { FX.fail("The weights could not be read: " + error); });
})();
"""
