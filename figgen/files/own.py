"""What figgen may write, replace or delete, in every folder it touches: the one module that changes them.

Output folders, the training cache and the docs tools' work folders all go through these functions; a test
checks that nothing else in the package renames or deletes a file or removes a folder. The rules:

- **Never through a link.** A file is replaced or deleted only when it is a regular file itself (``lstat``),
  and a temporary is moved into place only when it is a regular file named like figgen's temporaries
  (:func:`figgen.files.atomic.is_temporary`) in the same folder. A folder figgen writes into is refused
  when it is a link, unless the user named that very path (:func:`check_folder`).
- **A file is replaced or deleted only when figgen can tell it wrote it**: a record of figgen's names it
  with its bytes' sha256 (``sha256=``), or it is one of figgen's temporaries, or a cache entry by name in
  the training cache (the caller says which; the checks above hold for all).
- **A folder is removed only if figgen made it and it is empty**: :func:`make_folder` leaves a marker file
  (:data:`MARKER`) in each folder it creates, and :func:`remove_folder` removes a folder only when it is not
  a link, holds the marker and nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from pathlib import Path

from figgen.core.errors import FiggenError

MARKER = ".figgen-folder"  # in each folder figgen made: it may remove the folder once it is empty
_TEMPORARY = re.compile(r"^\.figgen-tmp-(\d{1,7})-(\d+)\.([^/\0]+)$")  # see figgen.files.atomic
_PID_MAX = 1 << 22  # Linux's largest pid_max: a larger "pid" is no process figgen ran as


def temporary_pid(name: str) -> int | None:
    """The pid in a name of figgen's temporaries (``.figgen-tmp-PID-N.NAME``), or None for any other name."""
    match = _TEMPORARY.match(name)
    pid = int(match.group(1)) if match else 0
    return pid if 0 < pid <= _PID_MAX else None


def is_temporary(name: str) -> bool:
    """Whether a file name has the form of figgen's temporaries (with a pid a process can have)."""
    return temporary_pid(name) is not None


def kind(path: str | os.PathLike) -> str | None:
    """What is at ``path`` itself, links not followed: "file", "folder", "link", "other", or None."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return "other"
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


def file_sha256(path: str | os.PathLike) -> str | None:
    """The sha256 of a regular file's bytes, or None when there is none (absent, a link, a folder, a FIFO,
    unreadable). Opened without following a link and without blocking on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        except OSError:
            return None
    return digest.hexdigest()


#: ``replaces`` of :func:`move_into_place` for "whatever regular file is there, or none"
ANY_FILE = "any file"


def move_into_place(temporary: Path, final: Path, *, replaces: str | None = ANY_FILE) -> bool:
    """Rename figgen's ``temporary`` over ``final``, in the same folder; return whether it moved.

    The temporary must be a regular file named like figgen's temporaries. ``final`` must be what
    ``replaces`` says: a sha256, a regular file whose bytes still hash to it; None, nothing at all;
    :data:`ANY_FILE` (the default), any regular file or nothing. Anything else is left as it is, and False
    returned (a temporary that is not there: moved already, by a run that was killed).
    """
    temporary, final = Path(temporary), Path(final)
    if temporary.parent != final.parent or not is_temporary(temporary.name) or kind(temporary) != "file":
        return False
    there = kind(final)
    if there not in (None, "file"):
        return False
    if replaces is None and there is not None:
        return False
    if replaces not in (None, ANY_FILE) and (there is None or file_sha256(final) != replaces):
        return False
    os.replace(temporary, final)
    return True


def remove_file(path: Path, *, sha256: str | None = None) -> bool:
    """Delete the regular file ``path`` (never a link, a folder or anything else); with ``sha256``, only if
    its bytes still hash to it. Return whether it was removed."""
    if kind(path) != "file" or (sha256 is not None and file_sha256(path) != sha256):
        return False
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def discard(path: Path) -> None:
    """Remove one of figgen's temporaries if it is there, whatever happened to it (never raises)."""
    if is_temporary(Path(path).name):
        with contextlib.suppress(OSError):
            remove_file(Path(path))


def make_folder(path: Path, *, named: bool = False, mark: bool = False) -> Path:
    """Create the folder ``path`` and its missing parents; with ``mark``, each one figgen made gets the
    :data:`MARKER` (so that :func:`remove_folder` may remove it again once it is empty).

    An existing ``path`` must be a folder; it may be a link only when the user ``named`` it (on the command
    line, in the API, in ``FIGGEN_CACHE``): a link that came with a repository never sends figgen's files
    elsewhere.
    """
    path = Path(path)
    check_folder(path, named=named)
    missing = []
    for folder in [path, *path.parents]:
        if kind(folder) is not None:
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:  # made meanwhile by another figgen process, or by someone else: not marked
            continue
        if mark:
            (folder / MARKER).touch()
    check_folder(path, named=named)
    return path


def check_folder(path: Path, *, named: bool = False) -> None:
    """Refuse a folder figgen would write into that is not a folder, or a link the user did not name: the
    folder itself or, for a relative path, any folder of it below the current one (``output`` of a default
    ``output/quick``)."""
    path = Path(path)
    if not named:
        below = [] if path.is_absolute() else [Path(*path.parts[:i]) for i in range(1, len(path.parts) + 1)]
        for folder in below or [path]:
            if kind(folder) == "link":
                raise FiggenError(
                    f"{folder} is a link to {os.readlink(folder)}; figgen writes through a link only when "
                    f"you name it (give --out {path}, or FIGGEN_CACHE={path})"
                )
    there = kind(path)
    if there is not None and not Path(path).is_dir():
        raise FiggenError(f"{path} is not a folder")


def remove_folder(path: Path) -> bool:
    """Remove a folder figgen made (it holds :data:`MARKER`) once nothing else is in it; never a link.
    Return whether it was removed."""
    path = Path(path)
    if kind(path) != "folder" or kind(path / MARKER) != "file":
        return False
    try:
        if [entry.name for entry in os.scandir(path)] != [MARKER]:
            return False
        os.unlink(path / MARKER)
        os.rmdir(path)
    except OSError:
        return False
    return True


def remove_folders(path: Path) -> list[Path]:
    """Remove ``path``, then each of its parents in turn, as :func:`remove_folder` allows (figgen made it,
    nothing else is in it); stop at the first that stays. Return those removed, innermost first."""
    removed = []
    for folder in [Path(path), *Path(path).parents]:
        if not remove_folder(folder):
            break
        removed.append(folder)
    return removed
