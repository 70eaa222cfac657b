"""An output folder as figgen sees it: which files are its own, and how it changes them.

The rules (the README's "Ownership" section says the same to users):

- figgen's own files are those its manifest records whose bytes are still what figgen wrote, the gallery
  page it recorded, its signed ``manifest.json``, and its hidden ``.figgen-state.json``;
- it never overwrites, deletes or writes through anything else: a foreign file, a link or a folder where
  figgen would write is an error naming it, before any work;
- it removes only temporaries unmistakably its own (:mod:`figgen.files.atomic`);
- a recipe's files and its manifest entry change together. The files are written under temporary names;
  then the state file records the moves to make (a journal: the commit point), the moves are made, and the
  journal is closed. A commit that a kill or a full disk interrupted is finished by the next figgen run in
  the folder, so the manifest and the files always end up matching.

The state file is also a second copy of the records: a damaged ``manifest.json`` heals from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

from figgen.builder.manifest import (
    GALLERY,
    GENERATOR,
    MANIFEST,
    SCHEMA,
    dumps,
    gallery_record,
    is_signed,
    make_document,
    records_of,
    recover_entries,
)
from figgen.builder.manifest import salvage as salvage_recipes
from figgen.core.errors import FiggenError
from figgen.files.atomic import (
    NO_ROOM,
    atomic_path,
    is_temporary,
    remove_leftovers,
    temporary_path,
    write_text_if_changed,
)
from figgen.files.own import MARKER, discard, file_sha256, kind, move_into_place, remove_file
from figgen.writers.record import OutputRecord

STATE = ".figgen-state.json"
LEGACY_LOCK = ".figgen.lock"  # figgen 0.1 locked the folder through this file
_LEGACY_GALLERY_TITLE = "<title>figgen gallery</title>"


class OutputFolder:
    """The records figgen keeps of one output folder, and the only way it changes files there.

    Use it under the folder's lock (:func:`figgen.files.locks.folder_lock`); call :meth:`load` first.
    """

    def __init__(self, path: Path, *, gallery: bool = True):
        self.path = Path(path)
        self.gallery = gallery
        self.recipes: dict[str, dict] = {}
        self.gallery_sha: str | None = None
        self.manifest: str = "absent"  # "absent", "ours", "damaged" (ours, unreadable) or "foreign"
        self.legacy = False  # the records come from a figgen 0.1 manifest
        self.warnings: list[str] = []

    # --- reading -----------------------------------------------------------------------------------------

    def load(self) -> OutputFolder:
        """Read what figgen recorded here, finishing first any commit that a killed run left half done."""
        state = self._read_state()
        if state is not None and state.get("journal"):
            self._apply(state["journal"])
            self._write_state(state["recipes"], state["gallery"], None)
        document = self._read_manifest(have_state=state is not None)
        if state is not None:
            self.recipes, self.gallery_sha = state["recipes"], (state["gallery"] or {}).get("sha256")
            listed = salvage_recipes(document)[0] if document is not None else {}
            if document is not None and listed != self.recipes:
                self.warnings.append(
                    f"{self.path / MANIFEST} is damaged; figgen rewrites it from its records"
                )
                # the manifest is figgen's records too: what the state lacks (it was damaged) stays figgen's
                self.recipes = {**listed, **self.recipes}
                self.gallery_sha = self.gallery_sha or (gallery_record(document) or {}).get("sha256")
        elif document is not None:
            self.recipes, dropped = salvage_recipes(document)
            self.recipes.update(recover_entries(document, self.recipes))
            for part in dropped:
                self.warnings.append(f"{self.path / MANIFEST} is damaged: {part} was dropped and is rebuilt")
            self.gallery_sha = (gallery_record(document) or {}).get("sha256")
            self.legacy = document.get("generator") != GENERATOR
        return self

    def _read_state(self) -> dict | None:
        path = self.path / STATE
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise FiggenError(f"cannot read {path}: {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise FiggenError(
                f"{path} is not a regular file; figgen never writes through links or into folders"
            )
        try:
            text = path.read_bytes().decode("utf-8")
        except PermissionError as exc:
            raise FiggenError(f"cannot read {path}: {exc.strerror}") from None
        except (OSError, ValueError):
            text = ""
        try:  # any bytes at all: what is not figgen's shape is damage, and heals
            state = json.loads(text)
            assert isinstance(state, dict) and state.get("generator") == GENERATOR
            assert isinstance(state.get("recipes"), dict)
            recipes, dropped = salvage_recipes(state)
            gallery = gallery_record(state)
        except (ValueError, AssertionError, RecursionError, TypeError, KeyError, AttributeError):
            self.warnings.append(f"{path} is damaged; figgen reads {MANIFEST} instead and rewrites it")
            return None
        if dropped:
            self.warnings.append(f"{path} is damaged: {', '.join(dropped)} dropped and rebuilt")
        journal = state.get("journal")
        if journal is not None and not _valid_journal(journal):
            self.warnings.append(
                f"{path} holds a journal of moves and removals figgen would not make; it is discarded"
            )
            journal = None
        return {"recipes": recipes, "gallery": gallery, "journal": journal}

    def _read_manifest(self, have_state: bool) -> dict | None:
        path = self.path / MANIFEST
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(mode):
            self.manifest = "foreign"
            return None
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            document = None
        if is_signed(document):
            self.manifest = "ours"
            return document
        if have_state:  # figgen's folder: this is figgen's manifest, damaged by someone
            self.manifest = "damaged"
            self.warnings.append(f"{path} is damaged; figgen rewrites it from its records")
        else:
            self.manifest = "foreign"
        return None

    def records(self, recipe: str) -> list[OutputRecord]:
        """The records of ``recipe``'s files here (none if it has no entry)."""
        entry = self.recipes.get(recipe)
        return records_of(entry) if entry is not None else []

    def recorded(self) -> dict[str, str]:
        """Every output file recorded here, by name, with the sha256 figgen wrote."""
        return {r.path: r.sha256 for name in self.recipes for r in self.records(name)}

    def is_current(self, recipe: str, stamp: str) -> bool:
        """Whether ``recipe``'s entry has this stamp and its files still have the recorded bytes."""
        entry = self.recipes.get(recipe)
        return (
            entry is not None
            and entry["stamp"] == stamp
            and all(file_sha256(self.path / r.path) == r.sha256 for r in self.records(recipe))
        )

    def in_the_way(self, name: str) -> str | None:
        """Why figgen may not write ``name`` here (a sentence), or None when the name is free or its own."""
        path = self.path / name
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"it cannot be read ({exc.strerror or exc})"
        if stat.S_ISLNK(mode):
            return "it is a link, and figgen never writes through links"
        if not stat.S_ISREG(mode):
            return "it is a folder or a special file"
        if name in (STATE, LEGACY_LOCK):
            return None
        if name == MANIFEST:
            return (
                "it is not a figgen manifest (another tool's file?)" if self.manifest == "foreign" else None
            )
        sha = file_sha256(path)
        if name == GALLERY:
            if sha == self.gallery_sha or (self.legacy and _LEGACY_GALLERY_TITLE in _head(path)):
                return None
            return "figgen did not write it (to keep a page of your own there, set gallery = false)"
        recorded = self.recorded().get(name)
        if recorded is None:
            return "figgen did not write it"
        return None if sha == recorded else "figgen wrote it, but it was changed since"

    def check_free(self, names) -> None:
        """Raise a one-line FiggenError for the first of ``names`` figgen may not write here."""
        for name in names:
            reason = self.in_the_way(name)
            if reason:
                raise FiggenError(
                    f"{self.path / name} is in the way: {reason}; figgen never overwrites or deletes files "
                    "it did not write: move it away or build into another folder"
                )

    # --- changing ----------------------------------------------------------------------------------------

    def commit(self, recipe: str, entry: dict | None, staged: list[tuple[str, str]], order: list[str]):
        """Swap in a recipe's staged files (``(temporary, final)`` names) with its new manifest entry.

        ``entry`` None drops the recipe. Files of its old entry that the new one no longer lists are removed
        if their bytes are still figgen's.
        """
        self.check_free(final for _, final in staged)
        recipes = {**self.recipes, recipe: entry} if entry is not None else dict(self.recipes)
        if entry is None:
            recipes.pop(recipe, None)
        keep = {r.path for r in records_of(entry)} if entry else set()
        removals = [[r.path, r.sha256] for r in self.records(recipe) if r.path not in keep]
        self._publish(recipes, order, staged, removals)

    def sync(self, order: list[str]) -> None:
        """Bring the manifest and the gallery up to date with the records (a no-op when they are)."""
        self._publish(self.recipes, order, [], [])

    def discard(self, staged: list[tuple[str, str]]) -> None:
        """Remove staged temporaries of a recipe that failed."""
        for temporary, _ in staged:
            discard(self.path / temporary)

    def _publish(self, recipes: dict, order: list[str], staged, removals) -> None:
        from figgen.builder.gallery import render_gallery

        written: list[Path] = []
        # each move names what it replaces (the sha256 of the file there now, None for none), so a journal
        # finished by a later run replaces only what this run checked was figgen's
        moves = [[tmp, final, file_sha256(self.path / final)] for tmp, final in staged]
        try:
            gallery = None
            if self.gallery:
                html = render_gallery(make_document(recipes, order))
                gallery = {"path": GALLERY, "sha256": hashlib.sha256(html.encode()).hexdigest()}
                if file_sha256(self.path / GALLERY) != gallery["sha256"]:
                    self.check_free([GALLERY])
                    written.append(self._stage_text(GALLERY, html))
                    moves.append([written[-1].name, GALLERY, file_sha256(self.path / GALLERY)])
            elif self.gallery_sha and self.in_the_way(GALLERY) is None and (self.path / GALLERY).exists():
                removals = [*removals, [GALLERY, self.gallery_sha]]
            text = dumps(make_document(recipes, order, gallery))
            if _read_text(self.path / MANIFEST) != text:
                self.check_free([MANIFEST])
                written.append(self._stage_text(MANIFEST, text))
                moves.append([written[-1].name, MANIFEST, file_sha256(self.path / MANIFEST)])
            journal = {"moves": moves, "remove": removals} if moves or removals else None
            self._write_state(recipes, gallery, journal)  # the commit point
        except OSError as exc:
            for path in written:
                discard(path)
            if exc.errno in NO_ROOM:
                raise FiggenError(f"cannot write into {self.path}: {exc.strerror}") from None
            raise
        except BaseException:
            for path in written:
                discard(path)
            raise
        if journal:
            self._apply(journal)
            self._write_state(recipes, gallery, None)
        self.recipes, self.gallery_sha, self.legacy = recipes, (gallery or {}).get("sha256"), False
        if self.manifest != "foreign":
            self.manifest = "ours" if (self.path / MANIFEST).exists() else "absent"

    def _stage_text(self, name: str, text: str) -> Path:
        tmp = temporary_path(self.path / name)
        with atomic_path(tmp) as part:  # a temporary is written as itself (no temporary of a temporary)
            part.write_text(text, encoding="utf-8")
        return tmp

    def _apply(self, journal: dict) -> None:
        """Make a validated journal's moves (figgen's temporaries, regular files, into plain names, each only
        over what it names: a file with those bytes, or nothing; one already moved by the run that was
        killed is skipped) and removals (files whose bytes are still the ones recorded)."""
        refused = []
        for tmp, final, replaces in journal["moves"]:
            temporary, target = self.path / tmp, self.path / final
            moved = move_into_place(temporary, target, replaces=replaces)
            if not moved and kind(temporary) is not None:
                refused.append(f"{tmp} -> {final}")
        if refused:
            self.warnings.append(
                f"{self.path / STATE}: its journal asked to move {', '.join(refused)}; figgen moves only its "
                "own temporaries over its own files, and did not"
            )
        for name, sha in journal["remove"]:
            remove_file(self.path / name, sha256=sha)

    def _write_state(self, recipes: dict, gallery: dict | None, journal: dict | None) -> None:
        state = {"generator": GENERATOR, "schema": SCHEMA, "recipes": recipes, "gallery": gallery}
        state["journal"] = journal
        try:
            write_text_if_changed(self.path / STATE, json.dumps(state, ensure_ascii=False) + "\n")
        except OSError as exc:
            if exc.errno in NO_ROOM:
                raise FiggenError(f"cannot write into {self.path}: {exc.strerror}") from None
            raise

    # --- clean -------------------------------------------------------------------------------------------

    def clean(self) -> str:
        """Remove figgen's files here (recorded ones only while their bytes are figgen's); say what it did.
        A folder that refuses (read-only, no permission) is the environment's fault: a one-line error."""
        try:
            return self._clean()
        except OSError as exc:
            if exc.errno in NO_ROOM:
                raise FiggenError(f"cannot remove files from {self.path}: {exc.strerror}") from None
            raise

    def _clean(self) -> str:
        if self.manifest == "foreign":
            raise FiggenError(f"{self.path / MANIFEST} is not a figgen manifest: nothing removed")
        ours = self.manifest != "absent" or (self.path / STATE).exists()
        if not ours:
            if any(
                not _figgen_name(p.name)
                for p in self.path.iterdir()
                if p.name not in ("README.md", ".gitignore")
            ):
                raise FiggenError(
                    f"{self.path} has no {MANIFEST}: not a figgen output folder, nothing removed"
                )
        removed, kept = 0, []
        for name, sha in self.recorded().items():
            path = self.path / name
            if remove_file(path, sha256=sha):  # only while its bytes are still the ones figgen wrote
                removed += 1
            elif path.exists() or path.is_symlink():
                kept.append(name)
        for name in (GALLERY, MANIFEST, STATE, LEGACY_LOCK):
            if self.in_the_way(name) is None and remove_file(self.path / name):
                removed += 1
        removed += len(remove_leftovers(self.path))
        line = f"removed {removed} files from {self.path}"
        if kept:
            line += f"; kept {len(kept)} changed since figgen wrote them: {', '.join(sorted(kept))}"
        return line


def _figgen_name(name: str) -> bool:
    return name in (STATE, LEGACY_LOCK, MARKER) or is_temporary(name)


def _valid_journal(journal: object) -> bool:
    """Whether a journal makes only moves and removals figgen makes: it moves figgen's temporaries to the
    names of its outputs, manifest or gallery in the folder, each over the bytes it names (a sha256, or None
    for no file), and removes only such names, each with the sha256 its bytes must still have. Anything
    else (a dot file, ``..``, a NUL, a folder, a name of another kind: ``__init__.py``; a file of a figgen
    name that the journal did not name, such as your ``notes.txt``) is not figgen's to touch."""
    if not isinstance(journal, dict):
        return False

    def rows(items: object, size: int) -> list[list] | None:
        if not isinstance(items, list):
            return None
        ok = all(
            isinstance(i, list) and len(i) == size and all(isinstance(n, str) for n in i[:2]) for i in items
        )
        return items if ok else None

    def sha(value: object) -> bool:
        return isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) is not None

    moves, removals = rows(journal.get("moves"), 3), rows(journal.get("remove"), 2)
    if moves is None or removals is None:
        return False
    return all(
        is_temporary(tmp) and _output_name(final) and (was is None or sha(was)) for tmp, final, was in moves
    ) and all(_output_name(name) and sha(digest) for name, digest in removals)


def _output_name(name: str) -> bool:
    """A name figgen gives the files it publishes: an output (``stem.format``, or a suffix a format's files
    have: the frames format's ``.tex`` and ``.txt``), the manifest, the gallery."""
    from figgen.writers import file_suffixes

    if name in (MANIFEST, GALLERY):
        return True
    stem, dot, extension = name.rpartition(".")
    return bool(dot) and extension in file_suffixes() and re.fullmatch(r"[a-z][a-z0-9_]*", stem) is not None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _head(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(4096)
    except OSError:
        return ""
