"""The page of the ``html`` player (markup, style and script), kept in Python so a change restales outputs.

:func:`render_page` fills the ``@@name@@`` markers in one pass, so no value can inject another marker.
The script reads the film (see :mod:`figgen.writers.player`) from a JSON block, inflates its frame data
with ``DecompressionStream`` and paints a canvas. It sets ``data-state`` (loading, ready, error),
``data-frame`` and ``data-playing`` on ``<html>``, which tests and page authors can read.
"""

from __future__ import annotations

import re

PAGE = """<!DOCTYPE html>
<html lang="en" data-state="loading">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@title@@</title>
<style>
:root { color-scheme: @@scheme@@; }
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; background: @@background@@; color: CanvasText;
  font: 15px/1.4 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif; }
.stage { flex: 1 1 auto; min-height: 0; display: flex; align-items: center; justify-content: center; }
canvas { display: block; width: 100%; height: 100%; max-width: @@width@@px; max-height: @@height@@px;
  object-fit: contain; }
.caption { margin: .3rem .6rem 0; min-height: 1.4em; text-align: center; }
.controls { display: flex; gap: .4rem; align-items: center; padding: .3rem .6rem .5rem; }
.controls input { flex: 1 1 auto; min-width: 3rem; margin: 0; }
button { font: inherit; min-width: 2.4rem; padding: .15rem .5rem; cursor: pointer; }
.counter { font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 5ch; text-align: right; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
</style>
</head>
<body>
<div class="stage"><canvas id="screen" width="@@width@@" height="@@height@@" role="img"
  aria-label="@@alt@@"></canvas></div>
<p class="caption" id="caption" aria-live="polite"></p>
<div class="controls" role="group" aria-label="Animation controls">
<button type="button" id="prev" aria-label="Previous frame"
  title="Previous frame (&#8592;)">&#9664;&#9646;</button>
<button type="button" id="play" aria-label="Play" title="Play or pause (space)">&#9654;</button>
<button type="button" id="next" aria-label="Next frame" title="Next frame (&#8594;)">&#9646;&#9654;</button>
<input type="range" id="scrub" min="0" max="0" step="1" value="0" aria-label="Frame">
<span class="counter" id="counter" aria-hidden="true"></span>
</div>
<noscript><p>@@alt@@ (The player needs JavaScript.)</p></noscript>
<script type="application/json" id="film">@@film@@</script>
<script>
(function () {
  "use strict";
  var root = document.documentElement;
  var film = JSON.parse(document.getElementById("film").textContent);
  var W = film.width, H = film.height, frames = film.frames, n = frames.length;
  var canvas = document.getElementById("screen"), context = canvas.getContext("2d");
  var caption = document.getElementById("caption"), scrub = document.getElementById("scrub");
  var playButton = document.getElementById("play"), counter = document.getElementById("counter");
  var image = context.createImageData(W, H), screen = new Uint32Array(image.data.buffer);
  var palette = null, data = null, offsets = [], snapshots = {}, current = -1;
  var playing = false, timer = null, due = 0, plays = 0, SNAPSHOT_EVERY = 8;
  var reduce = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;

  function bytes(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function inflate(packed) {
    var stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }

  // Paint frame i's rectangle over the screen: palette indices (1 or 2 bytes, "keep" skipped) or RGBA.
  function paint(i) {
    var f = frames[i], x = f[0], y = f[1], w = f[2], h = f[3], size = f[4], o = offsets[i];
    var r, c, v, row;
    if (size === 4) {
      for (r = 0; r < h; r++, o += 4 * w) image.data.set(data.subarray(o, o + 4 * w), ((y + r) * W + x) * 4);
      return;
    }
    for (r = 0; r < h; r++) {
      row = (y + r) * W + x;
      for (c = 0; c < w; c++) {
        if (size === 1) { v = data[o++]; if (v !== 255) screen[row + c] = palette[v]; }
        else { v = data[o] | (data[o + 1] << 8); o += 2; if (v !== 65535) screen[row + c] = palette[v]; }
      }
    }
  }

  function seek(target) {
    target = Math.max(0, Math.min(n - 1, target));
    if (target !== current) {
      if (target < current) {  // back: from the nearest snapshot at or before the target
        var from = target - (target % SNAPSHOT_EVERY);
        while (from > 0 && !snapshots[from]) from -= SNAPSHOT_EVERY;
        if (snapshots[from]) { screen.set(snapshots[from]); current = from; } else { current = -1; }
      }
      for (var i = current + 1; i <= target; i++) {
        paint(i);
        if (i % SNAPSHOT_EVERY === 0 && !snapshots[i]) snapshots[i] = screen.slice();
      }
      current = target;
      context.putImageData(image, 0, 0);
    }
    var text = film.captions ? film.captions[current] : "";
    caption.textContent = text;
    scrub.value = String(current);
    scrub.setAttribute("aria-valuetext", "Frame " + (current + 1) + " of " + n + (text ? ": " + text : ""));
    counter.textContent = (current + 1) + " / " + n;
    root.setAttribute("data-frame", String(current));
  }

  function setPlaying(on) {
    playing = on;
    clearTimeout(timer);
    playButton.innerHTML = on ? "&#10074;&#10074;" : "&#9654;";
    playButton.setAttribute("aria-label", on ? "Pause" : "Play");
    caption.setAttribute("aria-live", on ? "off" : "polite");  // no stream of announcements while playing
    root.setAttribute("data-playing", String(on));
  }

  function tick() {
    var next = current + 1;
    if (next >= n) {
      plays += 1;
      if (film.loop === null || (film.loop > 0 && plays > film.loop)) { setPlaying(false); return; }
      next = 0;
    }
    seek(next);
    schedule();
  }

  function schedule() {
    due += frames[current][5];
    timer = setTimeout(tick, Math.max(0, due - performance.now()));
  }

  function play() {
    if (playing || n < 2) return;
    if (current === n - 1) { plays = 0; seek(0); }
    setPlaying(true);
    due = performance.now();
    schedule();
  }

  function pause() { if (playing) setPlaying(false); }
  function toggle() { if (playing) pause(); else play(); }
  function step(by) { pause(); seek((current + by + n) % n); }

  function reportHeight() {  // an embedding page may size its iframe to fit the player exactly
    if (window.parent === window) return;
    var width = Math.min(W, root.clientWidth);
    var bars = caption.offsetHeight + document.querySelector(".controls").offsetHeight + 6;
    window.parent.postMessage({figgenPlayerHeight: Math.ceil(width * H / W + bars)}, "*");
  }

  function start() {
    scrub.max = String(n - 1);
    document.getElementById("prev").addEventListener("click", function () { step(-1); });
    document.getElementById("next").addEventListener("click", function () { step(1); });
    playButton.addEventListener("click", toggle);
    scrub.addEventListener("input", function () { pause(); seek(Number(scrub.value)); });
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var tag = event.target && event.target.tagName;
      if (event.key === " " && tag !== "BUTTON") { event.preventDefault(); toggle(); }
      else if (event.key === "ArrowLeft" && tag !== "INPUT") { event.preventDefault(); step(-1); }
      else if (event.key === "ArrowRight" && tag !== "INPUT") { event.preventDefault(); step(1); }
    });
    window.addEventListener("resize", reportHeight);
    setPlaying(false);
    seek(reduce ? n - 1 : 0);  // reduced motion: the frame the animation arrives at, paused
    root.setAttribute("data-state", "ready");
    reportHeight();
    if (!reduce) play();
  }

  function fail(message) {
    caption.textContent = message;
    root.setAttribute("data-state", "error");
  }

  if (typeof DecompressionStream === "undefined") {
    fail("This browser cannot unpack the animation (it lacks DecompressionStream).");
    return;
  }
  palette = new Uint32Array(bytes(film.palette).buffer);  // RGBA bytes, the order of ImageData
  for (var i = 0, total = 0; i < n; i++) {
    offsets.push(total);
    total += frames[i][2] * frames[i][3] * frames[i][4];
  }
  inflate(bytes(film.data)).then(function (buffer) {
    data = new Uint8Array(buffer);
    start();
  }, function (error) { fail("The animation could not be unpacked: " + error); });
})();
</script>
</body>
</html>
"""

# Sizes every player iframe of a page to the height its player reports (see reportHeight above); once.
RESIZE_LISTENER = (
    "<script>window.figgenPlayerResize||(window.figgenPlayerResize=1,addEventListener('message',"
    "function(e){var h=e.data&&e.data.figgenPlayerHeight;if(!h)return;"
    "document.querySelectorAll('iframe.figgen-player').forEach(function(f){"
    "if(f.contentWindow===e.source){f.style.height=h+'px';f.style.aspectRatio='auto';}});}));</script>"
)

_MARKER = re.compile(r"@@(\w+)@@")


def render_page(**values: object) -> str:
    """The player page with its ``@@name@@`` markers replaced by ``values`` (already escaped)."""
    return _MARKER.sub(lambda match: str(values[match.group(1)]), PAGE)
