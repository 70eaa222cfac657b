"""``figgen.show``: a recipe's output in a Jupyter notebook, built (or found up to date) in figgen's cache.

``figgen.show("weights_evolution")`` returns an object Jupyter displays: the interactive player for an
animation (PNG for a still) unless ``format`` says otherwise; its alt text goes into the HTML and its plain
text. Showing it again costs a look at the manifest: the build is up to date, the training cached.

Every output also carries an image for renderers that run no scripts and show no HTML player or video
(``jupyter nbconvert --to latex`` or ``--to pdf``, a static viewer): an animation its poster still
(``image/png``, the frame its ``<video>`` shows before playing); an SVG still its PNG and its PDF (nbconvert's
LaTeX takes the PDF, where an SVG alone needs Inkscape to convert it).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from figgen.builder.manifest import Output

MIME = {
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "mp4": "video/mp4",
    "pdf": "application/pdf",
}


def show(
    recipe: str,
    output: str | None = None,
    *,
    format: str | None = None,
    quick: bool = False,
    theme: str | None = None,
    preset: str | None = None,
    **params,
) -> Shown:
    """Build ``recipe``'s output (its only one, or ``output``) and return it for display.

    ``format`` is any format of the output's kind (default: ``html``, the player, for an animation; ``png``
    for a still or a filmstrip). ``params`` are the recipe's parameters (``TRAIN_SIZE=500``), as ``--set``.
    Options left out come from figgen.toml, then the defaults; bad input raises :class:`figgen.FiggenError`.
    """
    from figgen.builder.workfolders import work_folder
    from figgen.integrations.pages import build_target, choose_formats, find_target, poster_file

    target = find_target(recipe if output is None else f"{recipe}/{output}")
    formats = choose_formats(target, format, "notebook")
    companions = FALLBACKS.get(formats[0], ()) if target.kind == "still" else ()
    built, *others = build_target(
        target,
        (*formats, *companions),
        work_folder("notebook"),
        theme=theme,
        preset=preset,
        quick=quick,
        params=params,
    )
    images = {MIME[o.format]: o.path for o in others}
    if target.kind in ("animation", "explorable"):  # written with the animation or page, beside it
        poster = poster_file(built, target.output)
        if poster is not None:
            images["image/png"] = poster
    return Shown(built, images)


#: The formats a still is also built in for renderers that cannot show its own (an SVG: nbconvert's LaTeX)
FALLBACKS = {"svg": ("png", "pdf")}


@dataclass(frozen=True)
class Shown:
    """A built output that Jupyter displays (``_repr_mimebundle_``); ``output`` has its facts."""

    output: Output
    images: dict[str, Path] = field(default_factory=dict)  # MIME type -> a file shown where it cannot be

    @property
    def path(self) -> Path:
        return self.output.path

    @property
    def poster(self) -> Path | None:
        """An animation's poster still (its ``STEM_poster.png``), or a still's PNG beside its SVG."""
        return self.images.get("image/png")

    @property
    def alt(self) -> str:
        return self.output.alt

    def __repr__(self) -> str:
        o = self.output
        frames = f", {o.frames} frames" if o.frames else ""
        return f"<figgen {o.recipe}/{o.path.name}: {o.width}x{o.height} px{frames}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The file for the notebook: HTML that carries the alt text, the raw image where there is one, and
        the images for renderers that show neither (:attr:`images`: an animation's poster, an SVG's PNG and
        PDF)."""
        from figgen.writers.markup import image_html, player_html, shown_as, video_html

        o = self.output
        data = o.path.read_bytes()
        bundle = {"text/plain": f"{self!r} {o.alt}"}
        mime, shown = MIME.get(o.format), shown_as(o.format)
        width, height = o.width, o.height
        extra = {
            kind: base64.b64encode(path.read_bytes()).decode("ascii") for kind, path in self.images.items()
        }
        if shown == "frame":  # the player's page itself: a notebook output has no file beside it
            html = player_html(
                None, width=width, height=height, alt=o.alt, srcdoc=data.decode("utf-8"), kind=o.kind
            )
            bundle["text/html"] = html
        elif mime is not None:
            encoded = base64.b64encode(data).decode("ascii")
            source = f"data:{mime};base64,{encoded}"
            if shown == "video":
                poster = f"data:image/png;base64,{extra['image/png']}" if "image/png" in extra else None
                bundle["text/html"] = video_html(
                    source, width=width, height=height, alt=o.alt, max_width="100%", poster=poster
                )
            elif shown == "link":  # a PDF: the file alone, for a front end that shows it
                bundle[mime] = encoded
            else:
                bundle["text/html"] = image_html(
                    source, width=width, height=height, alt=o.alt, max_width="100%"
                )
                bundle[mime] = data.decode("utf-8") if o.format == "svg" else encoded
        for kind, encoded in extra.items():
            bundle.setdefault(kind, encoded)
        return {
            key: value
            for key, value in bundle.items()
            if (include is None or key in include) and (exclude is None or key not in exclude)
        }
