"""One output file as figgen records it: one type from the writer to the manifest, the gallery and the API.

A recipe's :class:`~figgen.writers.outputs.OutputSet` makes an :class:`OutputRecord` for each file it
writes; the build stores it in the manifest as JSON (:meth:`OutputRecord.to_json`, keys in field order),
reads it back from a manifest or state file it did not just write through :meth:`OutputRecord.from_json`
(None for anything not well shaped: a damaged or crafted file is never trusted), and the Python API shows it
as an :class:`~figgen.builder.manifest.Output`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

KINDS = ("animation", "still", "filmstrip", "poster", "frames", "explorable")


@dataclass(frozen=True)
class OutputRecord:
    """One file a recipe wrote."""

    recipe: str
    output: str  # the output's stem, e.g. "weights_evolution" or "weights_evolution_filmstrip"
    path: str  # its file name in the output folder: a plain name, never a folder
    format: str
    kind: str  # one of KINDS
    sha256: str
    bytes: int
    width: int
    height: int
    frames: int | None  # an animation's frame count; None for a still
    alt: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: object) -> OutputRecord | None:
        """The record a parsed JSON object holds, or None unless every field is there with its type (no
        bool for a number) and the path is a plain file name."""
        if not isinstance(value, dict):
            return None
        for name, kind in _TYPES.items():
            item = value.get(name)
            if name == "frames" and item is None:
                continue
            if not isinstance(item, kind) or isinstance(item, bool):
                return None
        checked: dict[str, Any] = {name: value.get(name) for name in _TYPES}
        record = cls(**checked)
        return record if _plain(record.path) else None


def _plain(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


_TYPES: dict[str, type] = {
    f.name: int if f.name in ("bytes", "width", "height", "frames") else str for f in fields(OutputRecord)
}
