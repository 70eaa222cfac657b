"""``figgen.show``: a recipe's output in a Jupyter notebook, built (or found up to date) in figgen's cache.

``figgen.show("weights_evolution")`` returns an object Jupyter displays: the interactive player for an
animation (PNG for a still) unless ``format`` says otherwise; its alt text goes into the HTML and its plain
text. Showing it again costs a look at the manifest: the build is up to date, the training cached.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
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
    from figgen.integrations.pages import build_target, choose_formats, find_target

    target = find_target(recipe if output is None else f"{recipe}/{output}")
    formats = choose_formats(target, format, "notebook")
    (built,) = build_target(
        target, formats, work_folder("notebook"), theme=theme, preset=preset, quick=quick, params=params
    )
    return Shown(built)


@dataclass(frozen=True)
class Shown:
    """A built output that Jupyter displays (``_repr_mimebundle_``); ``output`` has its facts."""

    output: Output

    @property
    def path(self) -> Path:
        return self.output.path

    @property
    def alt(self) -> str:
        return self.output.alt

    def __repr__(self) -> str:
        o = self.output
        frames = f", {o.frames} frames" if o.frames else ""
        return f"<figgen {o.recipe}/{o.path.name}: {o.width}x{o.height} px{frames}>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """The file for the notebook: HTML that carries the alt text, and the raw image where there is one."""
        from figgen.writers.markup import image_html, player_html, shown_as, video_html

        o = self.output
        data = o.path.read_bytes()
        bundle = {"text/plain": f"{self!r} {o.alt}"}
        mime, shown = MIME.get(o.format), shown_as(o.format)
        width, height = o.width, o.height
        if shown == "frame":  # the player's page itself: a notebook output has no file beside it
            html = player_html(None, width=width, height=height, alt=o.alt, srcdoc=data.decode("utf-8"))
            bundle["text/html"] = html
        elif mime is not None:
            encoded = base64.b64encode(data).decode("ascii")
            source = f"data:{mime};base64,{encoded}"
            if shown == "video":
                bundle["text/html"] = video_html(
                    source, width=width, height=height, alt=o.alt, max_width="100%"
                )
            elif shown == "link":  # a PDF: the file alone, for a front end that shows it
                bundle[mime] = encoded
            else:
                bundle["text/html"] = image_html(
                    source, width=width, height=height, alt=o.alt, max_width="100%"
                )
                bundle[mime] = data.decode("utf-8") if o.format == "svg" else encoded
        return {
            key: value
            for key, value in bundle.items()
            if (include is None or key in include) and (exclude is None or key not in exclude)
        }
