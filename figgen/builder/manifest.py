"""``manifest.json``: the signed record of what figgen wrote into an output folder, for it and other tools.

The document carries figgen's signature (``"generator": "figgen"`` and a schema number), so figgen tells its
own manifest from another tool's file of the same name (a web-app manifest, say). For each recipe it holds
the stamp of what produced its outputs and one record per file (format, pixel size, frames, bytes, sha256,
alt text); ``outputs`` repeats the records as a flat list with their parameters, for tools; ``gallery``
records the gallery page figgen wrote. A damaged document is read leniently: well-shaped entries are kept,
the rest is dropped with a warning, and the next build rewrites it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from figgen._version import __version__

MANIFEST = "manifest.json"
GALLERY = "index.html"
GENERATOR = "figgen"
SCHEMA = 2

_RECORD = {
    "recipe": str,
    "output": str,
    "path": str,
    "format": str,
    "kind": str,
    "sha256": str,
    "bytes": int,
    "width": int,
    "height": int,
    "alt": str,
}
_ENTRY = {
    "title": str,
    "description": str,
    "stamp": str,
    "params": dict,
    "data": dict,
    "theme": str,
    "preset": str,
    "outputs": list,
}


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
            alt=record["alt"],
            status=status,
        )


def is_signed(document: object) -> bool:
    """Whether a parsed document is a figgen manifest: this schema's signature, or that of figgen 0.1's
    manifests (``{"figgen": VERSION, "recipes": {...}}``), which this version reads and replaces."""
    if not isinstance(document, dict):
        return False
    if document.get("generator") == GENERATOR:
        return True
    return isinstance(document.get("figgen"), str) and isinstance(document.get("recipes"), dict)


def valid_record(record: object) -> bool:
    """A record of one file, with every field of the right type and a plain file name (no folder)."""
    if not isinstance(record, dict):
        return False
    if not all(
        isinstance(record.get(k), t) and not isinstance(record.get(k), bool) for k, t in _RECORD.items()
    ):
        return False
    frames = record.get("frames")
    name = record["path"]
    plain = (
        name and "/" not in name and "\\" not in name and name not in (".", "..") and not name.startswith(".")
    )
    return bool(plain) and (frames is None or (isinstance(frames, int) and not isinstance(frames, bool)))


def salvage(document: dict) -> tuple[dict, list[str]]:
    """The well-shaped recipe entries of a signed document, and a note for each part dropped."""
    recipes, dropped = {}, []
    raw = document.get("recipes")
    if not isinstance(raw, dict):
        return {}, ["its recipes are not a table"] if raw is not None else []
    for name, entry in raw.items():
        shaped = isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in _ENTRY.items())
        shaped = shaped and all(isinstance(entry["data"].get(k), str) for k in ("source", "fingerprint"))
        if not shaped or not all(valid_record(r) and r["recipe"] == name for r in entry["outputs"]):
            dropped.append(f"the entry of recipe {name!r}")
            continue
        recipes[name] = entry
    return recipes, dropped


def recover_entries(document: dict, kept: dict) -> dict[str, dict]:
    """Entries for recipes whose entry was dropped, rebuilt from the flat ``outputs`` list, which repeats
    every record: their files stay figgen's, and their empty stamp makes the next build redo them."""
    outputs = document.get("outputs")
    recovered: dict[str, dict] = {}
    for record in outputs if isinstance(outputs, list) else []:
        if valid_record(record) and record["recipe"] not in kept:
            entry = recovered.setdefault(
                record["recipe"],
                {
                    "title": record["recipe"],
                    "description": "Recovered from a damaged manifest; the next build makes it again.",
                    "stamp": "",
                    "params": {},
                    "data": {"source": "", "fingerprint": ""},
                    "theme": "",
                    "preset": "",
                    "outputs": [],
                },
            )
            entry["outputs"].append({k: record[k] for k in (*_RECORD, "frames") if k in record})
    return recovered


def gallery_record(document: object) -> dict | None:
    """The gallery the document records (``{"path", "sha256"}``), or None."""
    record = document.get("gallery") if isinstance(document, dict) else None
    if isinstance(record, dict) and record.get("path") == GALLERY and isinstance(record.get("sha256"), str):
        return record
    return None


def make_document(recipes: dict, order: list[str], gallery: dict | None = None) -> dict:
    """The manifest document: recipes in catalogue order (unknown ones after, by name), a flat list of
    outputs with their parameters and data, and the gallery's record."""
    rank = {name: i for i, name in enumerate(order)}
    ordered = {name: recipes[name] for name in sorted(recipes, key=lambda n: (rank.get(n, len(rank)), n))}
    outputs = [
        {**record, "params": entry["params"], "data": entry["data"]}
        for entry in ordered.values()
        for record in entry["outputs"]
    ]
    return {
        "generator": GENERATOR,
        "schema": SCHEMA,
        "figgen": __version__,
        "recipes": ordered,
        "outputs": outputs,
        "gallery": gallery,
    }


def dumps(document: dict) -> str:
    """The manifest's text: stable key order and indentation, so equal documents are equal bytes."""
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def read_manifest(out: Path) -> dict:
    """``out``'s manifest as figgen reads it (only well-shaped recipe entries), or an empty one."""
    try:
        document = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"recipes": {}, "outputs": []}
    if not is_signed(document):
        return {"recipes": {}, "outputs": []}
    return {**document, "recipes": salvage(document)[0]}
