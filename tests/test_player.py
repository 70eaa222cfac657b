"""The html player: its film decodes to exactly the frames given, with the GIF's timing, in a small page; and
in a real browser it plays, pauses, scrubs and steps with the mouse and the keyboard."""

from __future__ import annotations

import base64
import json
import re
import zlib

import numpy as np
import pytest

from figgen.writers import write_animation
from figgen.writers.markup import player_html
from tests._browser import CHROMIUM, Browser

KEEP = {1: 0xFF, 2: 0xFFFF}


def read_film(path) -> dict:
    found = re.search(r'<script type="application/json" id="film">(.*?)</script>', path.read_text(), re.S)
    return json.loads(found.group(1))


def play(film: dict) -> list[np.ndarray]:
    """The frames a viewer sees, decoded in Python the way the page's script decodes them."""
    width, height = film["width"], film["height"]
    palette = np.frombuffer(base64.b64decode(film["palette"]), np.uint8).reshape(-1, 4)
    data = zlib.decompress(base64.b64decode(film["data"]))
    screen, shown, offset = np.zeros((height, width, 4), np.uint8), [], 0
    for x, y, w, h, size, _ in film["frames"]:
        count = w * h * size
        block = np.frombuffer(data[offset : offset + count], {1: "<u1", 2: "<u2", 4: "u1"}[size])
        offset += count
        if size == 4:
            screen[y : y + h, x : x + w] = block.reshape(h, w, 4)
        else:
            indices = block.reshape(h, w)
            painted = indices != KEEP[size]
            screen[y : y + h, x : x + w][painted] = palette[indices[painted]]
        shown.append(screen.copy())
    assert offset == len(data)
    return shown


def opaque(frame: np.ndarray) -> np.ndarray:
    return np.dstack([frame, np.full(frame.shape[:2], 255, np.uint8)])


def sheets(count: int = 8) -> list[np.ndarray]:
    from figgen.draw import ANIMATION_LEVELS, symmetric_limit, weights_frame

    rng = np.random.default_rng(5)
    base = rng.normal(size=(784, 10))
    weights = [base * s + rng.normal(scale=0.05, size=base.shape) for s in np.linspace(0.1, 1, count)]
    limit = symmetric_limit(np.array(weights))
    return [
        weights_frame(w, "light", "docs", limit=limit, caption=f"size {i}", levels=ANIMATION_LEVELS)
        for i, w in enumerate(weights)
    ]


def test_film_is_exact_with_the_gifs_timing_and_smaller_than_the_gif(tmp_path):
    frames = sheets()
    frames.insert(3, frames[2])  # an unchanged frame merges into the one before, its time added
    durations = [600, 250, 250, 250, 250, 250, 250, 250, 250]
    captions = [f"caption {i}" for i in range(9)]
    captions[3] = captions[2]
    info = write_animation(
        tmp_path / "w.html", frames, "html", durations_ms=durations, hold_last_ms=2500, captions=captions
    )
    gif = write_animation(tmp_path / "w.gif", frames, "gif", durations_ms=durations, hold_last_ms=2500)
    film = read_film(tmp_path / "w.html")
    shown = play(film)
    kept = [f for i, f in enumerate(frames) if i != 3]
    assert info["frames"] == len(shown) == gif["frames"] == 8
    for seen, frame in zip(shown, kept, strict=True):
        np.testing.assert_array_equal(seen, opaque(frame))
    assert [f[5] for f in film["frames"]] == [600, 250, 500, 250, 250, 250, 250, 2750]
    assert film["captions"] == [c for i, c in enumerate(captions) if i != 3]
    assert {f[4] for f in film["frames"]} == {1}  # one byte per pixel: the sheets have few colours
    assert film["frames"][1][2] * film["frames"][1][3] < frames[0].shape[0] * frames[0].shape[1]
    assert info["bytes"] < gif["bytes"]  # packed once, changed rectangles only


def test_many_colours_two_byte_indices_then_raw_pixels_and_transparency_stay_exact(tmp_path):
    rng = np.random.default_rng(0)
    colours = rng.integers(0, 256, (200, 4), dtype=np.uint8)
    colours[:, 3] = rng.choice([0, 128, 255], size=200)  # see-through pixels keep their alpha
    few = colours[rng.integers(0, 200, (40, 50))]  # 200 colours: one byte a pixel
    many = rng.integers(0, 256, (40, 50, 4), dtype=np.uint8)  # 2,000 more: two bytes from then on
    noise = rng.integers(0, 256, (300, 300, 4), dtype=np.uint8)  # more than 65,535 colours: raw RGBA
    steps = [few, many, few]
    for frames, sizes in ((steps, {1, 2}), ([noise, noise[::-1]], {4})):
        write_animation(tmp_path / "c.html", frames, "html")
        film = read_film(tmp_path / "c.html")
        assert {f[4] for f in film["frames"]} == sizes
        for seen, frame in zip(play(film), frames, strict=True):
            np.testing.assert_array_equal(seen, frame)


def test_page_is_self_contained_escaped_and_reproducible(tmp_path):
    frames = [np.full((8, 8, 3), v, np.uint8) for v in (0, 90, 200)]
    alt = 'Three "greys" <script>alert(1)</script> & more'
    captions = ["one </script><b>", "two", "three"]
    for name in ("a.html", "b.html"):
        write_animation(tmp_path / name, frames, "html", alt=alt, captions=captions, loop=None)
    page = (tmp_path / "a.html").read_text()
    assert page == (tmp_path / "b.html").read_text()
    assert 'aria-label="Three &quot;greys&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"' in page
    assert "<title>Animation</title>" in page and "<script>alert" not in page  # the alt: the picture's name
    assert page.count("</script>") == 2 and read_film(tmp_path / "a.html")["captions"] == captions
    assert read_film(tmp_path / "a.html")["loop"] is None
    assert "color-scheme: dark;" in page and "background: rgb(0,0,0);" in page  # the frames' own background
    assert not re.search(r"(src|href)=\"?(https?:)?//|https?://", page)  # nothing from the network
    frame = player_html("w x.html", width=80, height=40, alt=alt, classes=["wide"])
    assert frame.startswith('<iframe class="figgen-player wide" src="w x.html" title="Three &quot;greys')
    assert "max-width:80px" in frame and 'sandbox="allow-scripts"' in frame


def pixel(page, x: int, y: int) -> list[int]:
    return page.evaluate(
        f"Array.from(document.getElementById('screen').getContext('2d').getImageData({x},{y},1,1).data)"
    )


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (Debian package 'chromium')")
def test_the_player_works_with_mouse_and_keyboard_in_chromium(tmp_path):
    colours = [(200, 30, 30), (30, 160, 60), (40, 60, 200), (230, 180, 20), (120, 40, 160), (20, 20, 20)]
    frames = [np.full((80, 120, 3), c, np.uint8) for c in colours]
    captions = [f"step {i}" for i in range(6)]
    alt = "Six coloured squares, one after another."
    write_animation(tmp_path / "p.html", frames, "html", durations_ms=150, captions=captions, alt=alt)
    url = (tmp_path / "p.html").as_uri()
    frame = "Number(document.documentElement.dataset.frame)"
    with Browser(tmp_path / "profile") as browser:
        page = browser.open(url, width=480, height=320)
        page.wait_for("document.documentElement.dataset.state === 'ready'")
        assert page.evaluate("document.getElementById('screen').getAttribute('aria-label')") == alt
        page.wait_for(f"{frame} >= 2")  # it plays by itself, frame after frame
        page.click(*page.centre("#play"))  # the mouse pauses it
        assert page.evaluate("document.documentElement.dataset.playing") == "false"
        page.click(*page.centre("#scrub", 0.97))  # the scrubber's right end: the last frame
        page.wait_for(f"{frame} === 5")
        x, y = (round(v) for v in page.centre("#screen"))
        assert pixel(page, 60, 40)[:3] == list(colours[5])
        assert page.evaluate("document.getElementById('caption').textContent") == "step 5"
        page.click(x, y)  # focus leaves the controls, so the keys go to the player
        page.press("ArrowLeft")
        page.press("ArrowLeft")
        assert page.evaluate(frame) == 3 and pixel(page, 60, 40)[:3] == list(colours[3])
        page.press("ArrowRight")
        assert page.evaluate(frame) == 4 and page.evaluate("document.getElementById('scrub').value") == "4"
        page.click(*page.centre("#prev"))
        assert page.evaluate(frame) == 3
        page.click(*page.centre("#scrub", 0.5))  # a page of its own: the slider keeps its Home and End
        page.press("Home")
        assert page.evaluate(frame) == 0
        page.press("End")
        assert page.evaluate(frame) == 5
        page.press("ArrowLeft")
        page.press("ArrowLeft")
        assert page.evaluate(frame) == 3
        page.click(x, y)
        page.press(" ")
        assert page.evaluate("document.documentElement.dataset.playing") == "true"
        page.press(" ")
        assert page.evaluate("document.documentElement.dataset.playing") == "false"
        page.screenshot(tmp_path / "player.png")
        still = browser.open(url, width=480, height=320, reduced_motion=True)
        still.wait_for("document.documentElement.dataset.state === 'ready'")
        assert still.evaluate(f"[{frame}, document.documentElement.dataset.playing]") == [5, "false"]
        assert pixel(still, 60, 40)[:3] == list(colours[5])
    assert (tmp_path / "player.png").stat().st_size > 2000
