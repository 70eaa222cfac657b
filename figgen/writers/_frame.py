"""What figgen's two kinds of page in an iframe share (the player, :mod:`figgen.writers._player_page`, and an
explorable, :mod:`figgen.writers._explorable_page`): the script of their side of the frame protocol, and the
style of their controls.

The protocol, with figgen's host script in the page around (``HOST_SCRIPT``, beside every player or
explorable figgen puts in a page): the page reports the height it needs (``{figgenPlayerHeight: px}``); the
host says it is there (``{figgenPlayerHost: 1}``); a key the page does not keep goes on to the page around
(``{figgenPlayerKey: ...}``, which the host fires there: a deck's PageDown), and the page lets go of the
focus (``{figgenPlayerRelease: 1}``). A page around without the host script (an iframe written by hand in a
reveal.js deck) gets reveal.js's postMessage API instead.
"""

from __future__ import annotations

# ``FIGGEN_FRAME`` in the page: ``embedded`` (in an iframe), ``height(px)``, ``letGo()``, ``passOn(event)``;
# it opens the page's own script.
FRAME_SCRIPT = r"""
var FIGGEN_FRAME = (function () {
  "use strict";
  var embedded = window.parent !== window, hosted = false;
  var REVEAL = {PageDown: "next", PageUp: "prev", ArrowUp: "up", ArrowDown: "down"};
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.figgenPlayerHost) hosted = true;
  });
  return {
    embedded: embedded,
    // the height the page needs: the host sizes its iframe to it
    height: function (px) {
      if (embedded) window.parent.postMessage({figgenPlayerHeight: Math.ceil(px)}, "*");
    },
    // the focus goes back to the page around (in a deck: to the deck)
    letGo: function () {
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      if (!embedded) return;
      if (hosted) window.parent.postMessage({figgenPlayerRelease: 1}, "*");
      else try { window.parent.focus(); } catch (error) { /* a browser that keeps the focus here */ }
    },
    // a key the page does not keep, on to the page around
    passOn: function (event) {
      if (hosted) {
        window.parent.postMessage({figgenPlayerKey: {key: event.key, code: event.code, keyCode: event.keyCode,
          shiftKey: event.shiftKey, repeat: event.repeat}}, "*");
      } else if (REVEAL[event.key]) {
        window.parent.postMessage(JSON.stringify({method: REVEAL[event.key], args: []}), "*");
      }
    }
  };
})();
"""


def control_css(ink: str, thumb: str, ring: str) -> str:
    """The style of a page's buttons and range inputs, in its colours: ``ink`` (text, borders, tracks and
    the focus ring, mixed into the page's background), ``thumb`` (a slider's knob) and ``ring`` (round the
    knob: the background, solid). Each page adds its own sizes and layout."""
    return f"""
button, select {{ font: inherit; color: inherit; box-sizing: border-box; cursor: pointer;
  background: color-mix(in srgb, {ink} 8%, transparent);
  border: .067em solid color-mix(in srgb, {ink} 45%, transparent); border-radius: .3em; }}
button:hover {{ background: color-mix(in srgb, {ink} 16%, transparent); }}
input[type=range] {{ height: 2em; margin: 0; background: transparent; -webkit-appearance: none;
  appearance: none; font: inherit; color: inherit; cursor: pointer; }}
input[type=range]::-webkit-slider-runnable-track {{ height: .3em; border-radius: .15em;
  background: color-mix(in srgb, {ink} 35%, transparent); }}
input[type=range]::-moz-range-track {{ height: .3em; border-radius: .15em;
  background: color-mix(in srgb, {ink} 35%, transparent); }}
input[type=range]::-webkit-slider-thumb {{ -webkit-appearance: none; appearance: none; box-sizing: border-box;
  width: 1.2em; height: 1.2em; margin-top: -.45em; border-radius: 50%; background: {thumb};
  border: .13em solid {ring}; }}
input[type=range]::-moz-range-thumb {{ box-sizing: border-box; width: 1.2em; height: 1.2em;
  border-radius: 50%; background: {thumb}; border: .13em solid {ring}; }}
:focus-visible {{ outline: .13em solid {ink}; outline-offset: .13em; }}
.sr-only {{ position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }}
"""


# The host script, beside every player figgen puts in a page (once a page): it sizes each player's iframe to
# the height its page reports (FIGGEN_FRAME.height), tells the player it is there, fires in the page the keys
# the player passes on (a deck listening on the document hears a presenter's PageDown as if the page had
# it), and takes the focus back when the player lets go. Only messages from a figgen player's iframe count.
HOST_SCRIPT = (
    "<script>window.figgenPlayerHost||(window.figgenPlayerHost=1,addEventListener('message',function(e){"
    "var d=e.data,f=null;if(!d||typeof d!=='object')return;"
    "document.querySelectorAll('iframe.figgen-player').forEach(function(x){if(x.contentWindow===e.source)f=x;});"
    "if(!f)return;"
    "if(d.figgenPlayerHeight>0){f.style.height=d.figgenPlayerHeight+'px';f.style.aspectRatio='auto';"
    "e.source.postMessage({figgenPlayerHost:1},'*');}"
    "if(d.figgenPlayerRelease||d.figgenPlayerKey){f.blur();window.focus();}"
    "var k=d.figgenPlayerKey;if(!k||typeof k.key!=='string')return;"
    "['keydown','keyup'].forEach(function(t){var v=new KeyboardEvent(t,{key:k.key,code:String(k.code),"
    "shiftKey:!!k.shiftKey,repeat:!!k.repeat,bubbles:true,cancelable:true,composed:true});"
    "Object.defineProperty(v,'keyCode',{value:k.keyCode|0});Object.defineProperty(v,'which',{value:k.keyCode|0});"
    "f.dispatchEvent(v);});}));</script>"
)
