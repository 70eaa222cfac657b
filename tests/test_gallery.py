"""The gallery page: its HTML, and every image and video decoding in a real (headless) browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from figgen.builder.gallery import render_gallery
from figgen.cli import main
from tests._browser import Browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

# Appended to a copy of the page: once every video has its metadata and every player has reported its
# height (or 8 s passed), list what failed.
CHECK = """<script>
window.addEventListener("load", function () {
  var media = Array.from(document.querySelectorAll("img, video"));
  var videos = media.filter(function (m) { return m.tagName === "VIDEO"; });
  var players = Array.from(document.querySelectorAll("iframe.figgen-player"));
  var waited = 0;
  (function poll() {
    var pending = videos.filter(function (v) { return v.readyState < 1 && !v.error; });
    pending = pending.concat(players.filter(function (f) { return !f.style.height.endsWith("px"); }));
    if (pending.length && waited < 20000) { waited += 100; setTimeout(poll, 100); return; }
    var bad = media.concat(players).filter(function (m) {
      if (m.tagName === "IFRAME") return !m.style.height.endsWith("px");  // the player never ran
      return m.tagName === "IMG" ? !(m.complete && m.naturalWidth > 0) : m.readyState < 1;
    }).map(function (m) { return m.getAttribute("src"); });
    var seen = media.concat(players).filter(function (m) { return m.offsetWidth > 0 && m.offsetHeight > 0; })
      .map(function (m) { return m.getAttribute("src"); });
    var out = document.createElement("pre");
    out.id = "figgen-check";
    out.textContent = JSON.stringify({images: media.length - videos.length, videos: videos.length,
                                      players: players.length, bad: bad, seen: seen,
                                      theme: document.documentElement.getAttribute("data-theme")});
    document.body.appendChild(out);
  })();
});
</script>"""


def chromium(*args: str) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


def record(path: str, output: str, fmt: str, size: int, alt: str, frames=None) -> dict:
    return {
        "recipe": output,
        "kind": "animation" if frames else "still",
        "sha256": "0" * 64,
        "path": path,
        "output": output,
        "format": fmt,
        "width": 800,
        "height": 360,
        "bytes": size,
        "alt": alt,
        "frames": frames,
    }


def test_page_lists_recipes_in_order_with_escaped_text():
    common = {"theme": "light", "preset": "docs", "data": {"source": "sample", "fingerprint": "ab"}}
    manifest = {
        "figgen": "0",
        "recipes": {
            "weights": {
                "title": "Cheat <sheets>",
                "description": "A & B, see ``W``",
                "params": {"TRAIN_SIZE": 5500},
                "outputs": [
                    record("weights.png", "weights", "png", 1234, 'Ten "sheets"'),
                    record("weights.svg", "weights", "svg", 99999, 'Ten "sheets"'),
                ],
                **common,
            },
            "digit": {
                "title": "Digit",
                "description": "",
                "params": {},
                "outputs": [
                    record("digit.gif", "digit", "gif", 9, "a", 3),
                    record("digit.mp4", "digit", "mp4", 9, "a", 3),
                    {**record("digit_filmstrip.png", "digit_filmstrip", "png", 9, "b"), "kind": "filmstrip"},
                    {**record("digit_poster.png", "digit_poster", "png", 9, "c"), "kind": "poster"},
                    *(
                        {**record(f"digit_frame_{i}.png", "digit_frames", "png", 9, "d"), "kind": "frames"}
                        for i in range(2)
                    ),
                    record("digit_zoom.png", "digit_zoom", "png", 9, "a still of its own"),
                ],
                **common,
            },
        },
    }
    page = render_gallery(manifest)
    assert page.index('id="weights"') < page.index('id="digit"')  # manifest (catalogue) order is kept
    assert "Cheat &lt;sheets&gt;" in page and "A &amp; B, see <code>W</code>" in page
    assert 'alt="Ten &quot;sheets&quot;"' in page and "<code>TRAIN_SIZE=5500</code>" in page
    assert '<img src="weights.png"' in page and '<img src="weights.svg"' not in page  # one preview
    assert '<a href="weights.svg">SVG</a> 98 KB' in page and "1,234 bytes" in page
    # an animation shows once, as its GIF (no player built); its MP4 and the stills of its frames are links
    assert '<img src="digit.gif"' in page and "<video" not in page and "3 frames" in page
    assert page.count('data-output="digit') == 2  # the animation's card and the still of its own
    for path in ("digit.mp4", "digit_filmstrip.png", "digit_poster.png", "digit_frame_0.png"):
        assert f'href="{path}"' in page and f'src="{path}"' not in page
    assert 'filmstrip <a href="digit_filmstrip.png">PNG</a>' in page
    assert 'frames <a href="digit_frame_0.png">digit_frame_0.png</a>' in page
    assert '<img src="digit_zoom.png"' in page
    assert 'id="theme-toggle"' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing fetched from the network


@pytest.mark.browser
@pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian package 'chromium'); .ci/run installs it"
)
def test_every_image_and_video_decodes_in_a_real_browser(project, tmp_path):
    assert main(["build", "--out", "out"]) == 0
    out = project / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    page = (out / "index.html").read_text()
    (out / "check.html").write_text(page.replace("</body>", CHECK + "</body>"))
    with Browser(tmp_path / "profile", timeout=60) as browser:  # in real time: a player is another process
        tab = browser.open((out / "check.html").as_uri(), width=1200, height=4000)  # all in view: lazy
        result = json.loads(tab.wait_for("document.getElementById('figgen-check').textContent", timeout=40))
    assert result["bad"] == []
    files = {o["path"] for o in manifest["outputs"]}
    assert {"blink.gif", "blink.mp4", "blink.html", "blink_filmstrip.png", "blink_poster.png"} <= files
    # the animation shows once, in its player: not its GIF, MP4, filmstrip or poster beside it
    assert sorted(result["seen"]) == ["blink.html", "square.png"]
    assert result["images"] == 1 and result["players"] == 1 and result["videos"] == 0
    assert 'src="blink.html" title="The first training digit blinking."' in page
    assert page.count("<figure") == 2
    for path in files:  # and every file is a link away
        assert f'href="{path}"' in page
    assert result["theme"] in ("light", "dark")
    shot = tmp_path / "gallery.png"
    chromium(
        f"--user-data-dir={tmp_path / 'profile2'}",
        f"--screenshot={shot}",
        "--window-size=1200,900",
        (out / "index.html").as_uri(),
    )
    assert shot.stat().st_size > 10_000


def test_every_manifest_value_is_escaped_or_a_number():
    def evil(n):
        return f'"><evil-{n}>'

    hostile = {
        "recipe": "r",
        "output": evil(1),
        "path": evil(2),
        "format": evil(3),
        "kind": "still",
        "sha256": "0" * 64,
        "bytes": 4,
        "width": 5,
        "height": 10,
        "frames": 6,
        "alt": evil(7),
    }
    not_a_number = {**hostile, "output": "other", "width": evil(5)}  # not a record: left out
    entry = {"title": evil(8), "description": evil(9), "params": {evil(10): evil(11)}, "theme": evil(12)}
    entry.update(preset=evil(13), data={"source": evil(14), "fingerprint": evil(15)})
    entry["outputs"] = [hostile, not_a_number]
    page = render_gallery({"figgen": evil(16), "recipes": {evil(17): entry}})
    assert "<evil" not in page and "&lt;evil-" in page
    assert "5×10 px · 6 frames" in page and "&lt;evil-5" not in page and 'data-output="other"' not in page
