"""The output folder's record of what figgen wrote: ``manifest.json`` (and the gallery drawn from it).

For each recipe the manifest holds the stamp of what produced its outputs and a record per file (format,
pixel size, frames, bytes, sha256, alt text). A recipe is up to date when its stamp is today's and its files
still have the recorded bytes. ``clean`` removes exactly the recorded files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from figgen import __version__

MANIFEST = "manifest.json"
GALLERY = "index.html"
LOCK = ".figgen.lock"  # held while a build or a clean works in the folder


@dataclass(frozen=True)
class Output:
    """One file a build wrote (or found up to date): what the manifest records of it, and where it is."""

    recipe: str
    name: str  # the output's stem, e.g. "weights_evolution" or "weights_evolution_filmstrip"
    format: str
    kind: str  # "animation", "still" or "filmstrip"
    path: Path
    width: int
    height: int
    frames: int | None
    bytes: int
    sha256: str
    alt: str
    status: str = "built"  # or "up to date"

    @classmethod
    def from_record(cls, record: dict, folder: Path, status: str) -> Output:
        return cls(
            recipe=record["recipe"],
            name=record["output"],
            format=record["format"],
            kind=record["kind"],
            path=Path(folder) / record["path"],
            width=record["width"],
            height=record["height"],
            frames=record.get("frames"),
            bytes=record["bytes"],
            sha256=record["sha256"],
            alt=record.get("alt", ""),
            status=status,
        )


def read_manifest(out: Path) -> dict:
    """Return the output folder's manifest, or an empty one (also when it is damaged: it is rebuilt)."""
    try:
        manifest = json.loads((Path(out) / MANIFEST).read_text())
        if isinstance(manifest, dict) and isinstance(manifest.get("recipes"), dict):
            return manifest
    except (OSError, ValueError):
        pass
    return {"recipes": {}}


def write_manifest(out: Path, manifest: dict, order: list[str]) -> None:
    """Write ``manifest.json`` (recipes in catalogue order, plus a flat list of outputs) and the gallery."""
    from figgen.atomic import write_text_if_changed
    from figgen.gallery import write_gallery

    recipes = {name: manifest["recipes"][name] for name in order if name in manifest["recipes"]}
    outputs = []
    for entry in recipes.values():
        for record in entry["outputs"]:
            outputs.append({**record, "params": entry["params"], "data": entry["data"]})
    document = {"figgen": __version__, "recipes": recipes, "outputs": outputs}
    write_text_if_changed(Path(out) / MANIFEST, json.dumps(document, indent=2, sort_keys=False) + "\n")
    manifest["recipes"] = recipes
    write_gallery(Path(out), document)


def is_current(entry: dict | None, stamp: str, out: Path) -> bool:
    """Whether a recipe's manifest entry has today's stamp and its files are exactly the ones recorded."""
    if not entry or entry.get("stamp") != stamp:
        return False
    for record in entry["outputs"]:
        try:
            if hashlib.sha256((Path(out) / record["path"]).read_bytes()).hexdigest() != record["sha256"]:
                return False
        except OSError:
            return False
    return True


def remove_outdated(out: Path, old: list[dict], new: list[dict]) -> None:
    """Remove the files of ``old`` records that ``new`` no longer lists (a format no longer asked for)."""
    keep = {r["path"] for r in new}
    for record in old:
        name = record["path"]
        if name not in keep and "/" not in name and not name.startswith("."):
            with contextlib.suppress(OSError):
                (Path(out) / name).unlink()


def recorded_files(manifest: dict) -> list[str]:
    """The names of every file the manifest lists, plus the manifest and the gallery themselves."""
    names = [r["path"] for entry in manifest["recipes"].values() for r in entry.get("outputs", [])]
    return [*names, MANIFEST, GALLERY]


def clean_folder(folder: Path) -> str:
    """Remove what builds wrote into ``folder`` (the files its manifest lists, the manifest and the gallery,
    and temporaries of killed builds); return one line saying what was removed.

    Nothing else in the folder is touched, and a folder without a figgen manifest is refused, so
    ``figgen clean --out slides/`` never deletes a slide deck.
    """
    from figgen.atomic import remove_leftovers
    from figgen.errors import FiggenError
    from figgen.locks import file_lock

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FiggenError(f"{folder} is not a folder")
    if not folder.is_dir():
        return f"nothing to clean: {folder} does not exist"
    with file_lock(folder / LOCK):
        foreign = [p for p in folder.iterdir() if p.name not in (LOCK, "README.md", ".gitignore")]
        if not (folder / MANIFEST).is_file() and foreign:
            raise FiggenError(f"{folder} has no {MANIFEST}: not a figgen output folder, nothing removed")
        names = [*recorded_files(read_manifest(folder)), *remove_leftovers(folder)]
        removed = 0
        for name in names:
            path = folder / name
            if "/" not in name and path.is_file():  # manifest paths are plain names in the folder
                path.unlink()
                removed += 1
    (folder / LOCK).unlink(missing_ok=True)
    return f"removed {removed} files from {folder}"
