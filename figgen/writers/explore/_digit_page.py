"""The markup, style and script of draw_digit's page (:mod:`figgen.writers.explore.digit`)."""

# ruff: noqa: E501  (the page's own lines: markup and JavaScript, kept as the browser reads them)

BODY = """
<div class="dd-top">
<div class="dd-input">
<canvas id="pad" role="img" aria-label="Drawing area: draw a digit with the mouse, a finger or a pen"></canvas>
<div class="fx-row">
<button type="button" id="clear">Clear</button>
<button type="button" id="view" aria-pressed="false">Show the processed input</button>
</div>
</div>
<div class="dd-bars" id="bars" role="list" aria-label="The probability of each class"></div>
</div>
<div class="fx-row"><label for="pick">Or a test digit</label><select id="pick">@@options@@</select></div>
<div class="fx-controls">
<label for="sx">Shift right</label>
<input type="range" id="sx" min="-@@shift@@" max="@@shift@@" step="1" value="0">
<output id="sx-value" for="sx"></output>
<label for="sy">Shift down</label>
<input type="range" id="sy" min="-@@shift@@" max="@@shift@@" step="1" value="0">
<output id="sy-value" for="sy"></output>
</div>
<p class="fx-muted dd-note">Each pixel times each weight sheet, x &#183; W[:, k]: red adds to the score of k, blue
takes from it; their sum plus b[k] is the score z.</p>
<div class="dd-sheets" id="sheets" role="img" aria-label="The pixel-by-sheet products of the ten classes">
</div>
"""

STYLE = """
.dd-top { display: flex; gap: 1em; align-items: flex-start; }
.dd-input { flex: none; }
#pad { width: 12em; height: 12em; touch-action: none; cursor: crosshair; border-radius: .2em;
  border: .067em solid var(--fx-muted); }
.dd-bars { flex: 1 1 auto; display: grid; grid-template-columns: max-content 1fr max-content max-content;
  gap: .12em .5em; align-items: center; font-variant-numeric: tabular-nums; }
.dd-bar { height: .9em; background: color-mix(in srgb, var(--fx-fg) 10%, transparent); }
.dd-bar span { display: block; height: 100%; background: var(--fx-muted); }
.dd-best { font-weight: bold; }
.dd-bar.dd-best span { background: var(--fx-accent); }
.dd-note { margin: .4em 0 .2em; }
.dd-sheets { display: grid; grid-template-columns: repeat(10, 1fr); gap: .4em; }
.dd-sheets figure { margin: 0; text-align: center; }
.dd-sheets canvas { width: 100%; image-rendering: pixelated; aspect-ratio: 1; }
.dd-sheets figcaption { font-size: .8em; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var D = FX.data, P = 784, K = 10, RAW = 280, BRUSH = 22;
  function el(id) { return document.getElementById(id); }
  function bytes(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  var wb = bytes(D.w), W = Float64Array.from(new Float32Array(wb.buffer, wb.byteOffset, P * K));
  var bb = bytes(D.b), B = Array.from(new Float32Array(bb.buffer, bb.byteOffset, K));
  var digits = bytes(D.digits), lut = bytes(D.lut), levels = lut.length / 3;
  var pad = el("pad"), pick = el("pick"), sx = el("sx"), sy = el("sy"), view = el("view");
  var raw = document.createElement("canvas"), rawContext = raw.getContext("2d", {willReadFrequently: true});
  raw.width = raw.height = RAW;
  var input = new Float64Array(P), source = "test", drawing = false, last = null, pending = false;

  // MNIST's preprocessing: the ink's bounding box into a 20 x 20 box (aspect kept, anti-aliased), then
  // placed in 28 x 28 with its centre of mass at the centre
  function preprocess() {
    var a = rawContext.getImageData(0, 0, RAW, RAW).data, x0 = RAW, y0 = RAW, x1 = -1, y1 = -1, x, y;
    for (y = 0; y < RAW; y++) for (x = 0; x < RAW; x++) {
      if (a[4 * (y * RAW + x) + 3] > 0) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    }
    input = new Float64Array(P);
    if (x1 < 0) return;
    var w = x1 - x0 + 1, h = y1 - y0 + 1, scale = 20 / Math.max(w, h);
    var tw = Math.max(1, Math.round(w * scale)), th = Math.max(1, Math.round(h * scale));
    var box = document.createElement("canvas"), c = box.getContext("2d", {willReadFrequently: true});
    box.width = tw; box.height = th;
    c.imageSmoothingEnabled = true;
    c.imageSmoothingQuality = "high";
    c.drawImage(raw, x0, y0, w, h, 0, 0, tw, th);
    var v = c.getImageData(0, 0, tw, th).data, mass = 0, mx = 0, my = 0, values = [];
    for (y = 0; y < th; y++) for (x = 0; x < tw; x++) {
      var value = v[4 * (y * tw + x) + 3] / 255;
      values.push(value); mass += value; mx += value * (x + 0.5); my += value * (y + 0.5);
    }
    if (mass === 0) return;
    var ox = Math.round(14 - mx / mass), oy = Math.round(14 - my / mass);
    for (y = 0; y < th; y++) for (x = 0; x < tw; x++) {
      var X = x + ox, Y = y + oy;
      if (X >= 0 && X < 28 && Y >= 0 && Y < 28) input[Y * 28 + X] = values[y * tw + x];
    }
  }

  function testInput() {
    var k = Number(pick.value), dx = Number(sx.value), dy = Number(sy.value);
    input = new Float64Array(P);
    for (var y = 0; y < 28; y++) for (var x = 0; x < 28; x++) {
      var fx = x - dx, fy = y - dy;
      if (fx >= 0 && fx < 28 && fy >= 0 && fy < 28) input[y * 28 + x] = digits[k * P + fy * 28 + fx] / 255;
    }
  }

  function classify() {
    var z = B.slice(), i, k;
    for (i = 0; i < P; i++) {
      if (input[i] === 0) continue;
      for (k = 0; k < K; k++) z[k] += input[i] * W[i * K + k];
    }
    var top = Math.max.apply(null, z), e = z.map(function (v) { return Math.exp(v - top); });
    var sum = e.reduce(function (s, v) { return s + v; }, 0), p = e.map(function (v) { return v / sum; });
    var best = 0;
    for (k = 1; k < K; k++) if (p[k] > p[best]) best = k;
    return {z: z, p: p, best: best};
  }

  function padSize() { return Math.round(pad.getBoundingClientRect().width) || 180; }

  function drawPad() {
    var size = padSize(), c = FX.sized(pad, size, size), processed = view.getAttribute("aria-pressed") === "true";
    c.fillStyle = "#fff";  // the digit's paper, as in every figure: ink on white
    c.fillRect(0, 0, size, size);
    if (source === "drawing" && !processed) {
      c.drawImage(raw, 0, 0, size, size);
      return;
    }
    var cell = size / 28;
    for (var i = 0; i < P; i++) {
      if (!input[i]) continue;
      var g = Math.round(255 * (1 - input[i]));
      c.fillStyle = "rgb(" + g + "," + g + "," + g + ")";
      c.fillRect((i % 28) * cell, Math.floor(i / 28) * cell, cell + 0.5, cell + 0.5);
    }
    if (processed) {
      c.strokeStyle = "rgba(112,112,112,.8)";
      c.setLineDash([cell / 2, cell / 2]);
      c.strokeRect(4 * cell, 4 * cell, 20 * cell, 20 * cell);  // MNIST's 20 x 20 box
    }
  }

  var sheetCanvases = [], rows = [];
  function build() {
    var bars = el("bars"), sheets = el("sheets");
    for (var k = 0; k < K; k++) {
      var row = {name: document.createElement("span"), bar: document.createElement("div"),
                 p: document.createElement("span"), z: document.createElement("span")};
      row.name.textContent = D.names[k];
      row.bar.className = "dd-bar";
      row.bar.appendChild(document.createElement("span"));
      [row.name, row.bar, row.p, row.z].forEach(function (node) { node.setAttribute("role", "listitem"); bars.appendChild(node); });
      rows.push(row);
      var figure = document.createElement("figure"), canvas = document.createElement("canvas");
      canvas.width = canvas.height = 28;
      var caption = document.createElement("figcaption");
      figure.appendChild(canvas);
      figure.appendChild(caption);
      sheets.appendChild(figure);
      sheetCanvases.push([canvas, caption]);
    }
  }

  function drawSheets(r) {
    for (var k = 0; k < K; k++) {
      var c = sheetCanvases[k][0].getContext("2d"), image = c.createImageData(28, 28);
      for (var i = 0; i < P; i++) {
        var j = FX.level(input[i] * W[i * K + k], -D.limit, D.limit, levels);
        image.data[4 * i] = lut[3 * j]; image.data[4 * i + 1] = lut[3 * j + 1]; image.data[4 * i + 2] = lut[3 * j + 2];
        image.data[4 * i + 3] = 255;
      }
      c.putImageData(image, 0, 0);
      sheetCanvases[k][1].textContent = D.names[k] + ": z = " + FX.fixed(r.z[k], 2);
    }
  }

  function percent(p) { return FX.fixed(100 * p, 1) + "%"; }

  function show() {
    if (source === "test") testInput();
    var r = classify();
    for (var k = 0; k < K; k++) {
      var row = rows[k], best = k === r.best;
      [row.name, row.bar, row.p, row.z].forEach(function (node) { node.className = (node === row.bar ? "dd-bar" : "") + (best ? " dd-best" : ""); });
      row.bar.firstChild.style.width = (100 * r.p[k]) + "%";
      row.p.textContent = percent(r.p[k]);
      row.z.textContent = "z = " + FX.fixed(r.z[k], 2);
    }
    el("sx-value").textContent = sx.value;
    el("sy-value").textContent = sy.value;
    sx.setAttribute("aria-valuetext", sx.value + " pixels");
    sy.setAttribute("aria-valuetext", sy.value + " pixels");
    drawPad();
    drawSheets(r);
    var order = r.p.map(function (p, k) { return k; }).sort(function (a, b) { return r.p[b] - r.p[a]; });
    var what = source === "drawing" ? "Your drawing" : source === "pixels" ? "The given pixels" :
      "The first " + D.names[D.labels[Number(pick.value)]] + " of the test set" + shifted(Number(sx.value), Number(sy.value));
    FX.describe(what + ": the model reads " + D.names[r.best] + " with " + percent(r.p[r.best]) +
      "; next " + D.names[order[1]] + " with " + percent(r.p[order[1]]) + ".");
    return r;
  }

  function shifted(dx, dy) {  // " shifted 3 left and 1 down", "" when not moved
    var parts = [];
    if (dx) parts.push(Math.abs(dx) + (dx < 0 ? " left" : " right"));
    if (dy) parts.push(Math.abs(dy) + (dy < 0 ? " up" : " down"));
    return parts.length ? " shifted " + parts.join(" and ") : "";
  }

  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; preprocess(); show(); });
  }

  function point(event) {
    var box = pad.getBoundingClientRect();
    return [(event.clientX - box.left) / box.width * RAW, (event.clientY - box.top) / box.height * RAW];
  }
  pad.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    if (source !== "drawing") { rawContext.clearRect(0, 0, RAW, RAW); source = "drawing"; }
    drawing = true;
    last = point(event);
    rawContext.fillStyle = "#000";
    rawContext.beginPath();
    rawContext.arc(last[0], last[1], BRUSH / 2, 0, 2 * Math.PI);
    rawContext.fill();
    schedule();
  });
  pad.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    var here = point(event);
    rawContext.strokeStyle = "#000";
    rawContext.lineWidth = BRUSH;
    rawContext.lineCap = "round";
    rawContext.beginPath();
    rawContext.moveTo(last[0], last[1]);
    rawContext.lineTo(here[0], here[1]);
    rawContext.stroke();
    last = here;
    schedule();
  });
  ["pointerup", "pointercancel"].forEach(function (name) {
    pad.addEventListener(name, function () { drawing = false; });
  });
  el("clear").addEventListener("click", function () {
    rawContext.clearRect(0, 0, RAW, RAW);
    source = "drawing";
    preprocess();
    show();
  });
  view.addEventListener("click", function () {
    var on = view.getAttribute("aria-pressed") !== "true";
    view.setAttribute("aria-pressed", String(on));
    view.textContent = on ? "Show the drawing as drawn" : "Show the processed input";
    drawPad();
  });
  function toTest() { source = "test"; show(); }
  pick.addEventListener("change", toTest);
  sx.addEventListener("input", toTest);
  sy.addEventListener("input", toTest);
  window.addEventListener("resize", function () { drawPad(); });

  function clampShift(value) { return String(Math.max(-D.maxShift, Math.min(D.maxShift, Math.round(Number(value))))); }
  build();
  pick.value = String(D.first);
  show();
  FX.expose({
    set: function (values) {
      values = values || {};  // set() alone changes nothing, as on the training page
      if ("pixels" in values) {
        var given = values.pixels;
        if (!given || given.length !== P) throw new Error("pixels: 784 values in [0, 1], row by row");
        input = new Float64Array(P);
        for (var i = 0; i < P; i++) input[i] = Math.max(0, Math.min(1, Number(given[i]) || 0));
        source = "pixels";
      }
      if ("digit" in values) { pick.value = String(FX.nearest(D.labels.map(function (v, i) { return i; }), Number(values.digit))); source = "test"; }
      if ("shift_x" in values) { sx.value = clampShift(values.shift_x); source = "test"; }
      if ("shift_y" in values) { sy.value = clampShift(values.shift_y); source = "test"; }
      show();
      return this.state();
    },
    state: function () {
      var r = classify();
      return {probabilities: r.p, prediction: r.best, scores: r.z, pixels: Array.from(input), source: source};
    }
  });
})();
"""
