"""The page of the ``html`` player (markup, style and script), kept in Python so a change restales outputs.

:func:`render_page` fills the ``@@name@@`` markers in one pass, so no value can inject another marker.
The script reads the film (see :mod:`figgen.writers.player`) from a JSON block, inflates its frame data
with ``DecompressionStream`` and paints a canvas. It sets ``data-state`` (loading, ready, error),
``data-frame``, ``data-playing`` and ``data-keys`` (in a page, whether it has the keys) on ``<html>``, which
tests and page authors can read.
"""

from __future__ import annotations

import re

from figgen.writers._frame import FRAME_SCRIPT, control_css

PAGE = (
    """<!DOCTYPE html>
<html lang="en" data-state="loading">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Animation</title>
<style>
:root { color-scheme: @@scheme@@; }
html, body { margin: 0; height: 100%; }
body { display: flex; flex-direction: column; background: @@background@@; color: CanvasText;
  font: 15px/1.4 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif;
  font-size: max(15px, min(@@font@@px, 4vw)); }  /* smaller only where the player is too narrow for it */
.stage { flex: 1 1 auto; min-height: 0; display: flex; align-items: center; justify-content: center; }
canvas { display: block; width: 100%; height: 100%; max-width: @@width@@px; max-height: @@height@@px;
  object-fit: contain; }
.controls { display: flex; gap: .4em; align-items: center; padding: .3em .6em .5em; }
"""
    + control_css("CanvasText", "CanvasText", "Canvas")
    + """
button { flex: none; width: 2.6em; height: 2em; padding: 0; margin: 0; display: inline-flex;
  align-items: center; justify-content: center; }
button svg { width: 1em; height: 1em; fill: currentColor; }
html[data-playing="true"] #play .play, html:not([data-playing="true"]) #play .pause { display: none; }
input[type=range] { flex: 1 1 auto; min-width: 3em; }
/* the player has the keys (in a deck: ← and → step it until Escape): a thin frame says so */
html[data-keys="true"] { outline: .13em solid color-mix(in srgb, CanvasText 45%, transparent);
  outline-offset: -.13em; }
.counter { flex: none; font-variant-numeric: tabular-nums; white-space: nowrap; text-align: right; }
.failed { margin: .3em .6em; text-align: center; }
</style>
</head>
<body>
<div class="stage"><canvas id="screen" width="@@width@@" height="@@height@@" role="img"
  aria-label="@@alt@@"></canvas></div>
<p class="sr-only" id="caption" aria-live="polite"></p>
<div class="controls" role="group" aria-label="Animation controls">
<button type="button" id="prev" aria-label="Previous frame" title="Previous frame (&#8592;)">
<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M2 2h2.5v12H2zM14 2v12L5.5 8z"/></svg></button>
<button type="button" id="play" aria-label="Play" title="Play or pause (space)">
<svg class="play" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 1.5v13L14.5 8z"/></svg>
<svg class="pause" viewBox="0 0 16 16" aria-hidden="true"><path d="M3 2h3.5v12H3zM9.5 2H13v12H9.5z"/></svg>
</button>
<button type="button" id="next" aria-label="Next frame" title="Next frame (&#8594;)">
<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M11.5 2H14v12h-2.5zM2 2v12l8.5-6z"/></svg></button>
<input type="range" id="scrub" min="0" max="0" step="1" value="0" aria-label="Frame">
<span class="counter" id="counter" aria-hidden="true"></span>
</div>
<noscript><p>@@alt@@ (The player needs JavaScript.)</p></noscript>
<script type="application/json" id="film">@@film@@</script>
<script>"""
    + FRAME_SCRIPT
    + """(function () {
  "use strict";
  var root = document.documentElement;
  var film = JSON.parse(document.getElementById("film").textContent);
  var W = film.width, H = film.height, frames = film.frames, n = frames.length;
  var canvas = document.getElementById("screen"), context = canvas.getContext("2d");
  var caption = document.getElementById("caption"), scrub = document.getElementById("scrub");
  var playButton = document.getElementById("play"), counter = document.getElementById("counter");
  var image = context.createImageData(W, H), screen = new Uint32Array(image.data.buffer);
  var palette = null, data = null, offsets = [], snapshots = {}, current = -1;
  var playing = false, timer = null, due = 0, plays = 0, SNAPSHOT_EVERY = 8, frame = FIGGEN_FRAME;
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
    scrub.setAttribute("aria-valuetext", "Frame " + (current + 1) + " of " + n);  // the caption: read once
    counter.textContent = (current + 1) + " / " + n;
    root.setAttribute("data-frame", String(current));
  }

  function setPlaying(on) {
    playing = on;
    clearTimeout(timer);
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
    if (!frame.embedded) return;
    var width = Math.min(W, root.clientWidth);
    var bars = caption.offsetHeight + document.querySelector(".controls").offsetHeight + 6;
    frame.height(width * H / W + bars);
  }

  // Keys. The player takes ←, → and space (a button's space and the slider's arrows stay theirs), and
  // only while it has the focus: it is in an iframe, which gets keys once clicked. Every other key (PageDown
  // and PageUp from a presenter's clicker, a deck's letters) goes on to the page around it, and the player
  // lets go of the focus so the keys after it reach the page directly; Escape lets go too. The page hears
  // the key through figgen's host script (HOST_SCRIPT, beside every player figgen puts in a page), which
  // fires it there; a page without it (an iframe written by hand in a reveal.js deck) gets reveal.js's
  // postMessage API.
  var OWN = {" ": 1, "ArrowLeft": 1, "ArrowRight": 1};
  var LOCAL = {Tab: 1, Enter: 1, Shift: 1, Control: 1, Alt: 1, AltGraph: 1, Meta: 1, OS: 1, CapsLock: 1,
               NumLock: 1, ScrollLock: 1, Fn: 1, ContextMenu: 1, Dead: 1, Process: 1, Unidentified: 1};
  var embedded = frame.embedded, letGo = frame.letGo;

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var tag = event.target && event.target.tagName, key = event.key;
    if (OWN[key]) {
      if (key === " " && tag === "BUTTON") return;  // the button's own press
      if (key !== " " && tag === "INPUT") return;  // the slider steps itself
      event.preventDefault();
      if (key === " ") toggle(); else step(key === "ArrowLeft" ? -1 : 1);
    } else if (key === "Escape") {
      event.preventDefault();
      letGo();
    } else if (!LOCAL[key] && !(tag === "INPUT" && (key === "ArrowUp" || key === "ArrowDown"))) {
      if (!embedded) return;  // a page of its own: the slider keeps Home, End, PageUp and PageDown
      if (tag === "INPUT") event.preventDefault();  // in a page or deck those go on to it, not the slider
      frame.passOn(event);
      letGo();
    }
  }

  function onMessage(event) {
    if (event.source !== window.parent || !event.data) return;
    // reveal.js says when the player's slide is shown and left: it plays from the start, and stops
    if (event.data === "slide:start" && !reduce && !playing) { seek(0); play(); }
    else if (event.data === "slide:stop") pause();
  }

  function start() {
    scrub.max = String(n - 1);
    counter.style.minWidth = (2 * String(n).length + 3) + "ch";  // "12 / 12": the slider never moves
    document.getElementById("prev").addEventListener("click", function () { step(-1); });
    document.getElementById("next").addEventListener("click", function () { step(1); });
    playButton.addEventListener("click", toggle);
    scrub.addEventListener("input", function () { pause(); seek(Number(scrub.value)); });
    document.addEventListener("keydown", onKey);
    window.addEventListener("message", onMessage);
    function keys() { root.setAttribute("data-keys", String(embedded && document.hasFocus())); }
    window.addEventListener("focus", keys);
    window.addEventListener("blur", keys);
    keys();
    window.addEventListener("resize", reportHeight);
    setPlaying(false);
    seek(reduce ? n - 1 : 0);  // reduced motion: the frame the animation arrives at, paused
    root.setAttribute("data-state", "ready");
    reportHeight();
    if (!reduce) play();
  }

  function fail(message) {
    caption.textContent = message;
    caption.className = "failed";
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
)


_MARKER = re.compile(r"@@(\w+)@@")


def render_page(**values: object) -> str:
    """The player page with its ``@@name@@`` markers replaced by ``values`` (already escaped)."""
    return _MARKER.sub(lambda match: str(values[match.group(1)]), PAGE)
