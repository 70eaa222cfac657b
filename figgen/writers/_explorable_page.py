"""The shell of an explorable page (markup, style and the script every explorable shares), kept in Python so
a change restales outputs; :mod:`figgen.writers.explorable` fills it.

:func:`render_shell` fills the ``@@name@@`` markers in one pass, so no value can inject another marker. The
shared script (``FX`` in the page) gives a page's own script its data, the theme's colours (CSS custom
properties ``--fx-bg``, ``--fx-fg``, ``--fx-muted``, ``--fx-accent``, ``--fx-good``, ``--fx-mistake`` and
``--fx-series-0`` …), reduced motion, the aria-live description (``FX.describe``) and ``FX.expose(api)``,
which publishes ``window.figgenExplorable`` (``set`` and ``state``), sets ``data-state="ready"`` on
``<html>`` and tells an embedding page its height, as the player does (the same host script sizes both); a
page calls it once it has drawn, since it fits and sizes the page as it then is. On
a preset of fixed height (slides) the page is scaled down as a whole (CSS ``zoom``) when its content is
taller than its frame, so every control stays on the slide.
"""

from __future__ import annotations

import re

from figgen.writers._frame import FRAME_SCRIPT, control_css

SHELL = (
    r"""<!DOCTYPE html>
<html lang="en" data-state="loading" data-theme="@@theme@@" data-preset="@@preset@@">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@title@@</title>
<style>
:root { color-scheme: @@scheme@@; @@colours@@
  --fx-font: max(12px, min(@@font@@px, calc(@@font@@ * 100vw / @@width@@))); }
html, body { margin: 0; }
body { background: var(--fx-bg); color: var(--fx-fg); @@halo@@
  font: var(--fx-font)/1.35 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif; }
.fx { box-sizing: border-box; max-width: @@width@@px; margin: 0 auto; padding: .5em .7em .6em; }
.fx-controls { display: grid; grid-template-columns: max-content minmax(4em, 1fr) max-content;
  gap: .15em .7em; align-items: center; margin: .3em 0; }
.fx-controls label { white-space: nowrap; }
.fx-controls output { font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 5.5ch; }
.fx-row { display: flex; flex-wrap: wrap; gap: .4em .7em; align-items: center; margin: .3em 0; }
"""
    + control_css("var(--fx-fg)", "var(--fx-accent)", "var(--fx-bg-solid)")
    + r"""
button, select { min-height: 2em; padding: 0 .6em; }
select option { background: Canvas; color: CanvasText; }
button[aria-pressed="true"] { background: color-mix(in srgb, var(--fx-accent) 30%, transparent); }
input[type=range] { width: 100%; }
.fx-status { margin: .3em 0 0; min-height: 2.7em; }
.fx-muted { color: var(--fx-muted); }
canvas { display: block; max-width: 100%; }
@media (prefers-reduced-motion: reduce) { *, *::before, *::after { transition: none !important;
  animation: none !important; scroll-behavior: auto !important; } }
@@style@@
</style>
</head>
<body>
<main class="fx" aria-label="@@alt@@">
@@body@@
<p class="fx-status" id="fx-status" aria-live="polite"></p>
</main>
<noscript><p>@@alt@@ (This page needs JavaScript.)</p></noscript>
<script type="application/json" id="fx-data">@@data@@</script>
<script>"""
    + FRAME_SCRIPT
    + r"""var FX = (function () {
  "use strict";
  var root = document.documentElement, style = getComputedStyle(root);
  var status = document.getElementById("fx-status"), frame = FIGGEN_FRAME;
  function colour(name) { return style.getPropertyValue("--fx-" + name).trim(); }
  var FIT = @@fit@@ === 1, main = document.querySelector("main.fx");
  function fit() {  // on a slide (a preset of fixed height) the whole page is scaled down to fit its frame
    if (!FIT || !main) return;
    main.style.zoom = "";
    var natural = main.getBoundingClientRect().height, room = window.innerHeight;
    if (room > 0 && natural > room) main.style.zoom = String(Math.floor(1000 * room / natural) / 1000);
  }
  function reportHeight() {  // an embedding page sizes its iframe to the page (figgen's host script)
    fit();
    // the content's own height: the document's scrollHeight is never less than the frame, so a frame
    // made tall once would never shrink back (a narrower column draws the canvases shorter)
    frame.height(main ? main.getBoundingClientRect().bottom + window.scrollY : root.scrollHeight);
  }
  // Keys: the controls keep theirs (a range input's arrows, Home, End); Escape gives the focus back to the
  // page around, and a clicker's PageUp and PageDown go on to it (a slide deck), as in the player.
  var PASS = {PageDown: 1, PageUp: 1};
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    if (event.key === "Escape") { event.preventDefault(); frame.letGo(); return; }
    if (!PASS[event.key] || !frame.embedded) return;
    event.preventDefault();
    frame.passOn(event);
    frame.letGo();
  });
  window.addEventListener("resize", reportHeight);
  // value rounded to ``digits`` significant digits ("g") or decimals ("f"), half to even as Python does: a
  // tie is a value whose exact decimal expansion ends in that 5 (toExponential(100) shows it whole)
  function rounded(value, digits, kind) {
    var text = kind === "g" ? value.toExponential(digits - 1) : value.toFixed(digits);
    var exact = Math.abs(value).toExponential(100).split("e"), power = Number(exact[1]);
    var all = exact[0].replace(".", ""), keep = kind === "g" ? digits : power + 1 + digits;
    if (keep === 0 && /^50*$/.test(all)) return (value < 0 ? "-" : "") + (0).toFixed(digits);  // 0.5 -> 0
    if (keep < 1 || keep >= all.length || !/^50*$/.test(all.slice(keep))) return text;
    if (Number(all[keep - 1]) % 2 === 1) return text;  // odd: up, as JavaScript did
    var down = (value < 0 ? -1 : 1) * Number(all.slice(0, keep) + "e" + (power - keep + 1));
    return kind === "g" ? down.toExponential(digits - 1) : down.toFixed(digits);
  }
  function pyFormat(value, digits, kind) {
    if (!isFinite(value)) return isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    if (kind === "f" && Math.abs(value) >= 1e21) {  // toFixed writes these as 1e+21: a whole number anyway
      return BigInt(value).toString() + (digits ? "." + "0".repeat(digits) : "");
    }
    if (kind === "f") return rounded(value, digits, "f");
    if (value === 0) return (1 / value < 0 ? "-" : "") + "0";
    var digitsG = Math.max(digits, 1), mantissa = rounded(value, digitsG, "g").split("e");
    var power = Number(mantissa[1]), strip = function (t) {
      return t.indexOf(".") >= 0 ? t.replace(/0+$/, "").replace(/\.$/, "") : t;
    };
    if (power < -4 || power >= digitsG) {
      return strip(mantissa[0]) + "e" + (power < 0 ? "-" : "+") + (Math.abs(power) < 10 ? "0" : "") +
        Math.abs(power);
    }
    return strip(rounded(value, Math.max(0, digitsG - 1 - power), "f"));
  }
  return {
    data: JSON.parse(document.getElementById("fx-data").textContent),
    reduce: !!(window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches),
    colour: colour,
    series: function (i) { return colour("series-" + i); },
    // The text of the current state, read by screen readers (a polite live region) and by tests
    describe: function (text) { if (status.textContent !== text) status.textContent = text; },
    // A canvas drawn at the screen's pixel density: its CSS size, and a context scaled to CSS pixels
    sized: function (canvas, width, height) {
      var ratio = Math.max(1, window.devicePixelRatio || 1);
      canvas.style.width = width + "px";
      canvas.style.height = height + "px";
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      var context = canvas.getContext("2d");
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      return context;
    },
    expose: function (api) {
      window.figgenExplorable = api;
      root.setAttribute("data-ready-ms", String(Math.round(performance.now())));  // since navigation began
      root.setAttribute("data-state", "ready");
      reportHeight();
      if (window.ResizeObserver) new ResizeObserver(reportHeight).observe(document.body);
    },
    fail: function (message) { status.textContent = message; root.setAttribute("data-state", "error"); },
    // Python's format(value, ".<digits>g") and format(value, ".<digits>f"): the numbers a page shows are
    // written as figgen's Python writes them, ties to even included (JavaScript rounds them up)
    g: function (value, digits) { return pyFormat(value, digits, "g"); },
    fixed: function (value, digits) { return pyFormat(value, digits, "f"); },
    // figgen.draw.colormaps.lut_indices: the index into a table of ``levels`` colours for ``value`` on the
    // scale low .. high, clipped; the same sums in the same order, ties to even as numpy's rint
    level: function (value, low, high, levels) {
      if (isNaN(value)) return (levels - 1) / 2;
      var scaled = (value - low) * ((levels - 1) / (high - low)), i = Math.round(scaled);
      if (i - scaled === 0.5 && i % 2 !== 0) i -= 1;
      return Math.max(0, Math.min(levels - 1, i));
    },
    // The index of the value of ``values`` nearest to ``value`` (what ``set`` snaps to)
    nearest: function (values, value) {
      var best = 0;
      for (var i = 1; i < values.length; i++) {
        if (Math.abs(values[i] - value) < Math.abs(values[best] - value)) best = i;
      }
      return best;
    }
  };
})();
</script>
<script>
@@script@@
</script>
</body>
</html>
"""
)

_MARKER = re.compile(r"@@(\w+)@@")


def render_shell(**values: object) -> str:
    """The shell with its ``@@name@@`` markers replaced by ``values`` (already escaped where they need it)."""
    return _MARKER.sub(lambda match: str(values[match.group(1)]), SHELL)
