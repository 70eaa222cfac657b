"""How a page shows a built file: the one home of the HTML that puts an output into a page.

The gallery (:mod:`figgen.builder.gallery`), the Sphinx extension, the MkDocs plugin and a notebook's
``figgen.show`` all write their markup here. Each writer says how a page shows its files
(:attr:`~figgen.writers._base.Writer.shown_as`), and :func:`shown_as` is the one lookup of it:

* ``"img"``: an image a browser shows (PNG, SVG, GIF, WebP): :func:`image_html`;
* ``"video"``: MP4, in a video tag that plays muted, looped and inline: :func:`video_html`;
* ``"frame"``: the interactive HTML player, or an explorable page (:mod:`figgen.writers.explorable`), in an
  iframe that fits its width: :func:`player_html`;
* ``"link"``: a file a page links to (PDF): :func:`link_html`.

Every function escapes what it is given (paths, alt texts, classes, a player's page): callers pass plain
text. A ``data:`` URI (a notebook's output, which has no file) has its bytes already, so nothing is loaded
lazily or preloaded for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from figgen.writers._base import WRITERS
from figgen.writers._frame import HOST_SCRIPT
from figgen.writers.outputs import POSTER
from figgen.writers.player import CONTROLS_PX

SHOWN_AS = ("img", "video", "frame", "link")


def shown_as(fmt: str) -> str:
    """How a page shows a file of format ``fmt``: "img", "video", "frame" or "link" (a format no writer
    knows, from an older manifest say, gets a link)."""
    cls = WRITERS.get(fmt)
    return cls.shown_as if cls is not None else "link"


def image_html(src: str, *, alt: str, width: int = 0, height: int = 0, max_width: str | None = None) -> str:
    """``<img>``, with its size in pixels when ``width`` is known and a CSS ``max_width`` when given."""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{_size(width, height, max_width)}{_lazy(src)}>'


def video_html(
    src: str,
    *,
    alt: str,
    width: int = 0,
    height: int = 0,
    classes: Sequence[str] | None = None,
    max_width: str | None = None,
    poster: str | None = None,
) -> str:
    """``<video>`` that plays muted, looped and inline, with controls; the alt text is its ``aria-label``.

    ``classes``: its class is ``figgen-video`` and these (a docs page styles its videos by it); None: no
    class (the gallery styles its figures' videos; a notebook output stands alone). ``max_width``: a CSS
    length that caps the width (the height follows). ``poster``: the URL of the animation's poster still
    (``STEM_poster.png``, which every build that writes the MP4 writes beside it: :func:`poster_name`), the
    frame the page shows before the video plays (without it, a browser shows a blank box until the video
    loads); a page that copies the video copies the poster too and names its copy.
    """
    names = f' class="{escape(" ".join(["figgen-video", *classes]))}"' if classes is not None else ""
    preload = "" if _inline(src) else ' preload="metadata"'
    shown = f' poster="{escape(poster)}"' if poster else ""
    size = _size(width, height, max_width)
    return (
        f'<video{names} src="{escape(src)}"{shown}{size} controls loop muted playsinline'
        f'{preload} aria-label="{escape(alt)}"></video>'
    )


def poster_name(video: str) -> str:
    """The poster still beside an animation's or an explorable's file: ``weights_evolution.mp4`` (a name, a
    path or a URL; or the output's stem, ``weights_evolution``) -> ``weights_evolution_poster.png``, as figgen
    names it (every build that writes an animation writes it; an explorable's is its first state)."""
    head, slash, name = video.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{head}{slash}{stem}{POSTER}.png"


def player_html(
    src: str | None,
    *,
    width: int,
    height: int,
    alt: str,
    srcdoc: str | None = None,
    classes: Sequence[str] = (),
    max_width: str | None = None,
    kind: str = "animation",
) -> str:
    """The HTML player in another page: an iframe that fits its width, and a listener that gives it the
    height the player asks for (without the listener, the first layout's estimate stays).

    ``src`` is the player's URL, or ``srcdoc`` its page itself (a notebook output, which has no file).
    ``max_width`` (a CSS length) caps the width; by default the frames' own width. ``kind`` "explorable":
    an explorable page, whose ``width`` and ``height`` are the whole page's (a player's are its frames',
    the controls come below), in an iframe of class ``figgen-explorable`` too; it reports its height as
    the player does.
    """
    source = f'srcdoc="{escape(srcdoc)}"' if srcdoc is not None else f'src="{escape(src or "")}"'
    page = kind == "explorable"
    names = escape(" ".join(["figgen-player", *(["figgen-explorable"] if page else []), *classes]))
    cap = escape(max_width) if max_width else f"{width}px"
    tall = height if page else height + CONTROLS_PX
    style = f"width:100%;max-width:{cap};aspect-ratio:{width}/{tall};height:auto;border:0"
    return (
        f'<iframe class="{names}" {source} title="{escape(alt)}" width="{width}" '
        f'height="{tall}" style="{style}" loading="lazy" sandbox="allow-scripts">'
        f"</iframe>{HOST_SCRIPT}"
    )


def link_html(href: str, *, text: str, classes: Sequence[str] = ()) -> str:
    """A link named by ``text`` (a PDF's alt text), of class ``figgen-link`` and ``classes``."""
    names = escape(" ".join(["figgen-link", *classes]))
    return f'<a class="{names}" href="{escape(href)}">{escape(text)}</a>'


def _size(width: int, height: int, max_width: str | None) -> str:
    size = f' width="{int(width)}" height="{int(height)}"' if width else ""
    return size + (f' style="max-width:{escape(max_width)};height:auto"' if max_width else "")


def _inline(src: str) -> bool:
    return src.startswith("data:")


def _lazy(src: str) -> str:
    return "" if _inline(src) else ' loading="lazy"'


# A figure built in a light and a dark theme, for a site whose reader switches colour scheme: both are in the
# page, and the site's stylesheet (scheme_pair_css) shows the one that matches the scheme.
SCHEME_PAIR = ("figgen-only-light", "figgen-only-dark")


def scheme_pair_html(light: str, dark: str) -> str:
    """The markup ``light`` and ``dark`` (a player or a video, as the functions above write them), each in
    a block of class ``figgen-only-light`` or ``figgen-only-dark``."""
    return "".join(
        f'<div class="{name}">{html}</div>' for name, html in zip(SCHEME_PAIR, (light, dark), strict=True)
    )


def block_html(html: str, *, ident: str | None = None) -> str:
    """``html`` in a block whose ``id`` is ``ident`` (a page's anchor); without one, ``html`` as it is."""
    return f'<div id="{escape(ident)}">{html}</div>' if ident else html


def scheme_pair_css(light: str, dark: str) -> str:
    """The stylesheet that shows one of each :func:`scheme_pair_html` pair: ``light`` and ``dark`` are the
    CSS selectors of a page in each scheme (Material for MkDocs: ``[data-md-color-scheme="default"]``)."""
    return (
        f"/* figgen: each figure in the reader's colour scheme */\n"
        f"{light} .{SCHEME_PAIR[1]},\n{dark} .{SCHEME_PAIR[0]} {{\n  display: none;\n}}\n"
    )
