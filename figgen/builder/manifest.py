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
from figgen.writers.record import OutputRecord

MANIFEST = "manifest.json"
GALLERY = "index.html"
GENERATOR = "figgen"
SCHEMA = 2

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
    kind: str  # "animation", "still", "explorable", "filmstrip", "poster" or "frames"
    path: Path
    width: int
    height: int
    frames: int | None
    bytes: int
    sha256: str
    alt: str
    status: str = "built"  # or "up to date"

    @classmethod
    def from_record(cls, record: OutputRecord, folder: Path, status: str) -> Output:
        """The record of a file in ``folder``, as the API shows it."""
        return cls(
            recipe=record.recipe,
            name=record.output,
            format=record.format,
            kind=record.kind,
            path=Path(folder) / record.path,
            width=record.width,
            height=record.height,
            frames=record.frames,
            bytes=record.bytes,
            sha256=record.sha256,
            alt=record.alt,
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


def records_of(entry: dict) -> list[OutputRecord]:
    """The records of a recipe entry that :func:`salvage` kept (every one well shaped)."""
    return [r for r in map(OutputRecord.from_json, entry["outputs"]) if r is not None]


def salvage(document: dict) -> tuple[dict, list[str]]:
    """The well-shaped recipe entries of a signed document, and a note for each part dropped."""
    recipes, dropped = {}, []
    raw = document.get("recipes")
    if not isinstance(raw, dict):
        return {}, ["its recipes are not a table"] if raw is not None else []
    for name, entry in raw.items():
        shaped = isinstance(entry, dict) and all(isinstance(entry.get(k), t) for k, t in _ENTRY.items())
        shaped = shaped and all(isinstance(entry["data"].get(k), str) for k in ("source", "fingerprint"))
        records = [OutputRecord.from_json(r) for r in entry["outputs"]] if shaped else []
        if not shaped or not all(r is not None and r.recipe == name for r in records):
            dropped.append(f"the entry of recipe {name!r}")
            continue
        recipes[name] = entry
    return recipes, dropped


def recover_entries(document: dict, kept: dict) -> dict[str, dict]:
    """Entries for recipes whose entry was dropped, rebuilt from the flat ``outputs`` list, which repeats
    every record: their files stay figgen's, and their empty stamp makes the next build redo them."""
    outputs = document.get("outputs")
    recovered: dict[str, dict] = {}
    for value in outputs if isinstance(outputs, list) else []:
        record = OutputRecord.from_json(value)
        if record is not None and record.recipe not in kept:
            entry = recovered.setdefault(
                record.recipe,
                {
                    "title": record.recipe,
                    "description": "Recovered from a damaged manifest; the next build makes it again.",
                    "stamp": "",
                    "params": {},
                    "data": {"source": "", "fingerprint": ""},
                    "theme": "",
                    "preset": "",
                    "outputs": [],
                },
            )
            entry["outputs"].append(record.to_json())
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
