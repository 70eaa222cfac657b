"""Writers: GIF, MP4, WebP, PNG frame sequences and PNG/SVG/PDF stills, atomic and reproducible.

Importing the package registers every format; see :func:`write_animation` and :func:`write_still`.
"""

from figgen.writers import gif, stills, video  # noqa: F401  (register the formats)
from figgen.writers._base import (
    WRITERS,
    Writer,
    atomic_path,
    get_writer,
    register,
    write_animation,
    write_still,
)

__all__ = ["WRITERS", "Writer", "atomic_path", "get_writer", "register", "write_animation", "write_still"]
