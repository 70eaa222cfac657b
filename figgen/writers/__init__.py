"""Writers: GIF, MP4, WebP and HTML-player animations, PNG/SVG/PDF stills, and LaTeX frame sequences, atomic
and reproducible.

Importing the package registers every format (in this order: the animations, the stills, then the opt-in
``frames``); see :func:`write_animation`, :func:`write_still`, :func:`formats` and :class:`OutputSet`.
"""

from figgen.writers import gif, mp4, webp, player, stills, frames  # noqa: F401, I001  (registers, in order)
from figgen.writers._base import (
    WRITERS,
    AnimationWriter,
    StillWriter,
    check_available,
    file_suffixes,
    formats,
    get_writer,
    register,
    write_animation,
    write_still,
)
from figgen.writers.outputs import BUILD_FORMATS, OutputSet, formats_for, output_names

__all__ = [
    "BUILD_FORMATS",
    "WRITERS",
    "AnimationWriter",
    "OutputSet",
    "StillWriter",
    "check_available",
    "file_suffixes",
    "formats",
    "formats_for",
    "get_writer",
    "output_names",
    "register",
    "write_animation",
    "write_still",
]
