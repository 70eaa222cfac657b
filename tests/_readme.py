"""The README's docs examples, read from README.md, so the tests build exactly what a reader copies.

An example is a fenced block right after a line that names it in backticks and ends with a colon, such as
``docs/conf.py``: or ``notebook.ipynb``, a cell:.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(
    r"^`(?P<label>[^`\n]+)`[^\n]*:\n\n(?P<fence>`{3,})[^\n]*\n(?P<body>.*?)\n(?P=fence)$", re.M | re.S
)


def examples(label: str) -> list[str]:
    """The bodies of the README's examples named ``label``, in order (at least one)."""
    found = [
        m["body"] + "\n" for m in BLOCK.finditer((ROOT / "README.md").read_text()) if m["label"] == label
    ]
    assert found, f"README.md has no example named {label!r}"
    return found


def project(root: Path, *files: str) -> Path:
    """A project folder holding the repository's recipes and the README's examples ``files``."""
    shutil.copytree(ROOT / "recipes", root / "recipes", ignore=shutil.ignore_patterns("__pycache__"))
    for name in files:
        (example,) = examples(name)
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(example)
    return root
