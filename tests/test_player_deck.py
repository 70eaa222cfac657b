"""The player in a slide deck and at slide size, in a real Chromium: a presenter's keys reach a real reveal.js
deck whether or not the player was clicked, the controls are as legible as the slide's own text when the
deck is scaled down to the screen, the slider stays put, and the caption is read once."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from figgen.core.themes import get_preset
from figgen.draw.text import legible_size, min_text_px
from figgen.writers import write_animation
from figgen.writers.markup import player_html
from tests._browser import CHROMIUM, Browser, Page
from tests._readme import examples

REVEAL = Path(__file__).resolve().parents[1] / "tmp" / "tool" / "node_modules" / "reveal.js" / "dist"
COLOURS = [(200, 30, 30), (30, 160, 60), (40, 60, 200), (230, 180, 20)] * 3  # 12 frames: "9 / 12", "10 / 12"
ALT = "Twelve coloured slides, one after another."
FRAME = "Number(document.documentElement.dataset.frame)"
DECK_HAS_FOCUS = "document.hasFocus() && document.activeElement.tagName !== 'IFRAME'"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (Debian package 'chromium')"),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Browser]:
    """One Chromium for the module's tests, each in tabs of its own."""
    with Browser(tmp_path_factory.mktemp("chromium") / "profile") as chromium:
        yield chromium


@contextmanager
def tab(browser: Browser, url: str, **options) -> Iterator[Page]:
    page = browser.open(url, **options)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def slides(tmp_path_factory) -> Path:
    """A folder with the player of a slides-preset animation (1920 x 1080 frames) and a browser profile."""
    folder = tmp_path_factory.mktemp("deck")
    width, height = get_preset("slides").width, get_preset("slides").height
    frames = [np.full((height, width, 3), c, np.uint8) for c in COLOURS]
    captions = [f"colour number {i}" for i in range(len(frames))]
    write_animation(folder / "p.html", frames, "html", durations_ms=150, captions=captions, alt=ALT)
    return folder


def box(page, selector: str) -> list[float]:
    """The element's left, top, right and bottom edges in CSS pixels."""
    return page.evaluate(
        f"(function(){{var r=document.querySelector('{selector}').getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom];})()"
    )


def click_until(page, inside, at: tuple[float, float], focused: str) -> None:
    """Click at ``at`` until the player in ``inside`` has the focus ``focused`` says: a click that comes
    before the browser has drawn a just-shown iframe's first frame goes to the page around it."""
    for _ in range(10):
        page.click(*at)
        try:
            inside.wait_for(focused, timeout=2)
            return
        except TimeoutError:
            continue
    raise TimeoutError(f"the player never got the focus: {focused}")


def deck(folder: Path, name: str, slide: str) -> str:
    """A three-slide reveal.js deck of the slides preset's size with ``slide`` (a section) second."""
    for file in ("reveal.js", "reveal.css", "theme/white.css"):
        shutil.copy(REVEAL / file, folder / Path(file).name)
    (folder / name).write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="reveal.css">'
        '<link rel="stylesheet" href="white.css"></head><body><div class="reveal"><div class="slides">'
        f"<section><h2>One</h2></section>{slide}<section><h2>Three</h2></section>"
        '</div></div><script src="reveal.js"></script><script>Reveal.initialize({width: 1920, height: 1080, '
        'hash: false, transition: "none"});</script></body></html>'
    )
    return (folder / name).as_uri()


@pytest.mark.skipif(not REVEAL.is_dir(), reason="no reveal.js in tmp/tool (make test installs it with npm)")
@pytest.mark.parametrize(
    "markup",
    [
        "figgen",  # the markup figgen puts in a page, with its host script
        "by hand",  # the README's iframe, written by hand: reveal.js's postMessage API
    ],
)
def test_a_presenter_keeps_the_decks_keys_after_clicking_the_player(browser, slides, tmp_path, markup):
    if markup == "figgen":
        player = player_html("p.html", width=1920, height=1080, alt=ALT, max_width="80%")
        section = f"<section>{player}</section>"
    else:  # the README's slide, as a reader copies it
        (section,) = examples("slides/index.html")
        assert 'src="weights_evolution.html"' in section
        section = section.replace("weights_evolution.html", "p.html")
    url = deck(slides, f"{markup.replace(' ', '-')}.html", section)
    slide = "Reveal.getIndices().h"
    with tab(browser, url, width=1229, height=691) as page:  # a 1920 x 1080 deck scaled to 0.64
        page.wait_for("window.Reveal && Reveal.isReady()")
        page.press("PageDown")
        assert page.wait_for(f"{slide} === 1")
        inside = browser.frame("/p.html", page)
        inside.wait_for("document.documentElement.dataset.playing === 'true'")
        x, y = page.centre("iframe")
        click_until(page, inside, (x, y - 100), "document.hasFocus()")  # the picture: the player has it
        inside.wait_for("document.documentElement.dataset.keys === 'true'")  # and shows it has the keys
        page.press("ArrowRight")  # steps the player (and stops it), not the deck
        inside.wait_for("document.documentElement.dataset.playing === 'false'")
        shown = inside.evaluate(FRAME)
        page.press("ArrowRight")
        inside.wait_for(f"{FRAME} === {(shown + 1) % len(COLOURS)}")
        assert page.evaluate(slide) == 1
        page.press("Escape")  # the player lets go
        page.wait_for(DECK_HAS_FOCUS)
        inside.wait_for("document.documentElement.dataset.keys === 'false'")
        page.press("ArrowRight")  # the deck's key again
        assert page.wait_for(f"{slide} === 2")
        assert inside.evaluate(FRAME) == (shown + 1) % len(COLOURS)
        page.press("ArrowLeft")
        assert page.wait_for(f"{slide} === 1")
        click_until(page, inside, (x, y - 100), "document.hasFocus()")
        page.press("PageDown")  # a clicker's key, with the player clicked
        assert page.wait_for(f"{slide} === 2")
        page.wait_for(DECK_HAS_FOCUS)  # and the player gave the focus back
        page.press("PageUp")
        assert page.wait_for(f"{slide} === 1")
        inside.wait_for("document.documentElement.dataset.playing === 'true'")  # the slide is back: it plays
        left, top, right, bottom = box(inside, "#scrub")
        scale = page.evaluate(
            "document.querySelector('iframe').getBoundingClientRect().width"
        ) / inside.evaluate("document.documentElement.clientWidth")  # the deck's, 0.64
        frame_left, frame_top, _, _ = box(page, "iframe")
        at = (frame_left + scale * (left + right) / 2, frame_top + scale * (top + bottom) / 2)
        click_until(page, inside, at, "document.activeElement.id === 'scrub'")  # nor do the slider's keys
        page.press(" ")  # plays
        inside.wait_for("document.documentElement.dataset.playing === 'true'")
        page.press("PageUp")
        assert page.wait_for(f"{slide} === 0")
        inside.wait_for("document.documentElement.dataset.playing === 'false'")  # and stops when it is left
        page.screenshot(tmp_path / "deck.png")


def test_slide_controls_are_projector_sized_and_the_slider_stays_put(browser, slides, tmp_path):
    size = legible_size(get_preset("slides"))  # the font size of 24 px capitals on a 1920 x 1080 slide
    with tab(browser, (slides / "p.html").as_uri(), width=1920, height=1300) as page:
        page.wait_for("document.documentElement.dataset.state === 'ready'")
        sizes = page.evaluate(
            "['#prev', '#play', '#next', '#counter', '#scrub'].map(function (s) {"
            "var e = document.querySelector(s), r = e.getBoundingClientRect();"
            "return [parseFloat(getComputedStyle(e).fontSize), r.width, r.height]; })"
        )
        for font, _, height in sizes:
            assert font >= size and height >= size, sizes
        assert len({round(width, 3) for _, width, _ in sizes[:3]}) == 1  # three buttons of one width

        def edges():
            left, _, right, _ = box(page, "#scrub")
            return left, right

        page.wait_for("document.documentElement.dataset.playing === 'true'")
        playing = edges()
        page.click(*page.centre("#play"))  # paused: the button shows another symbol
        assert page.evaluate("document.documentElement.dataset.playing") == "false"
        assert edges() == playing  # to the pixel, and the right edge too: the counter keeps its width
        for _ in range(len(COLOURS)):  # "1 / 12" to "12 / 12"
            page.click(*page.centre("#next"))
            assert edges() == playing
        page.click(*page.centre("#play"))
        assert page.evaluate("document.documentElement.dataset.playing") == "true"
        assert edges() == playing
        # the slider's thumb, drawn in the text colour: at least as tall as a capital on the slide
        page.click(*page.centre("#play"))
        page.click(*page.centre("#scrub", 0.5))
        _, top, _, bottom = box(page, "#scrub")
        shot = page.screenshot(tmp_path / "slides.png")
        from PIL import Image

        pixels = np.asarray(Image.open(io.BytesIO(shot.read_bytes())).convert("RGB"))
        band = pixels[int(top) : int(bottom) + 1]
        ink = np.all(band < 40, axis=-1)  # black on the white page of opaque light frames
        assert ink.any(axis=1).sum() >= min_text_px(get_preset("slides"))


def test_the_caption_is_read_once_and_shown_by_the_frames(browser, slides):
    with tab(browser, (slides / "p.html").as_uri(), width=960, height=700, reduced_motion=True) as page:
        page.wait_for("document.documentElement.dataset.state === 'ready'")
        last = f"colour number {len(COLOURS) - 1}"
        assert page.evaluate("document.getElementById('caption').textContent") == last
        left, top, right, bottom = box(page, "#caption")
        assert right - left <= 1 and bottom - top <= 1  # for screen readers: the frames show it
        page.send("Accessibility.enable")
        nodes = page.send("Accessibility.getFullAXTree")["nodes"]

        def texts(node):
            fields = [node.get(f) or {} for f in ("name", "value", "description")]
            for field in fields + [p["value"] for p in node.get("properties", [])]:
                if isinstance(field.get("value"), str) and field["value"]:
                    yield field["value"]

        said = [t for n in nodes if n.get("role", {}).get("value") != "InlineTextBox" for t in texts(n)]
        assert sum(last in t for t in said) == 1, said  # the live caption, not the slider's value too
        assert sum(ALT in t for t in said) == 1, said  # the picture's name, once
        said = page.evaluate("document.getElementById('scrub').getAttribute('aria-valuetext')")
        assert said == f"Frame {len(COLOURS)} of {len(COLOURS)}"  # the slider says where, not the caption
