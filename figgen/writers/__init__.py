"""Writers: GIF, MP4, WebP and HTML-player animations, PNG/SVG/PDF stills, atomic and reproducible.

Importing the package registers every format (in this order: the animations, then the stills); see
:func:`write_animation`, :func:`write_still`, :func:`formats` and :class:`OutputSet`.
"""

from figgen.writers import gif, mp4, webp, player, stills  # noqa: F401, I001  (register the formats, in this order)
from figgen.writers._base import (
    WRITERS,
    AnimationWriter,
    StillWriter,
    check_available,
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
    "formats",
    "formats_for",
    "get_writer",
    "output_names",
    "register",
    "write_animation",
    "write_still",
]
