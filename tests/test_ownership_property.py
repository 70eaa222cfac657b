"""The ownership rule as a property: whatever a folder holds, figgen changes only what it wrote.

Hypothesis plants random trees in a project (the user's files, folders and links in the output folder and
in the docs tools' work folders, links out of the project, crafted state files and journals), then runs a
random sequence of build, build --force, clean, clean --cache and builds killed at a random rename, and
checks after every step that every planted path still has the same kind, bytes and link target, and that
nothing outside the project changed. ``make test`` runs a short profile; ``make stress`` a long one
(``FIGGEN_OWNERSHIP_EXAMPLES``).
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figgen.cli import main
from tests.conftest import SQUARE, write_recipe
from tests.test_ownership import snapshot

EXAMPLES = int(os.environ.get("FIGGEN_OWNERSHIP_EXAMPLES", "12"))
STATE = ".figgen-state.json"

# names a user might have in an output folder, several of them names figgen writes too
NAMES = [
    "notes.txt",
    "square.png",
    "index.html",
    "manifest.json",
    ".nojekyll",
    "__init__.py",
    "square_filmstrip.png",
    "other.png",
    ".figgen-tmp-1-0.square.png",  # pid 1 always runs: never a leftover of figgen's to remove
    ".figgen-tmp-99999999999999999999-0.png",
    "sub",
]
CONTENT = st.binary(min_size=0, max_size=40)
EMPTY = hashlib.sha256(b"").hexdigest()  # a crafted journal's favourite: every empty file has it


@st.composite
def plantings(draw):
    """What the user had before figgen came: (where, name, kind, payload) items."""
    items = []
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.sampled_from(["out", "cache/sphinx", "cache/mkdocs", "cache/notebook"]))
        name = draw(st.sampled_from(NAMES if where == "out" else ["x", "mydrafts", "notes.md"]))
        kind = draw(st.sampled_from(["file", "folder", "link-out", "link-in"]))
        items.append((where, name, kind, draw(CONTENT)))
    return items


STATES = st.one_of(
    st.none(),
    st.binary(max_size=60),
    st.builds(
        lambda moves, removes: {"moves": moves, "remove": removes},
        st.lists(  # a move: (temporary, final, the sha256 of what it replaces or None for nothing)
            st.tuples(
                st.sampled_from([*NAMES, "..", "a\x00b"]),
                st.sampled_from([*NAMES, "..", "a\x00b"]),
                st.sampled_from([None, EMPTY, "0" * 64]),
            ).map(list),
            max_size=3,
        ),
        st.lists(
            st.tuples(st.sampled_from(NAMES), st.sampled_from(["0" * 64, EMPTY])).map(list),
            max_size=3,
        ),
    ),
)
ACTIONS = st.lists(
    st.one_of(
        st.just(("build",)),
        st.just(("force",)),
        st.just(("clean",)),
        st.just(("clean-cache",)),
        st.tuples(st.just("kill"), st.integers(1, 6)),
        st.tuples(st.just("state"), STATES),
    ),
    min_size=1,
    max_size=6,
)


def plant(project: Path, outside: Path, items) -> set[str]:
    """Make the planted paths; return their paths relative to the project (what figgen must not touch)."""
    planted = set()
    for where, name, kind, payload in items:
        folder = project / where
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if os.path.lexists(path):
            continue
        if kind == "file":
            path.write_bytes(payload)
        elif kind == "folder":
            path.mkdir()
            (path / "keep.txt").write_bytes(payload)
        elif kind == "link-out":
            path.symlink_to(outside)
        else:
            path.symlink_to(project / "recipes" / "square.py")
        planted.add(str(path.relative_to(project)))
        if kind == "folder":
            planted.add(str((path / "keep.txt").relative_to(project)))
    return planted


@contextmanager
def killed_at(rename: int):
    """A build killed at its ``rename``-th rename or unlink (the moment a crash does most harm)."""
    calls = {"n": 0}
    real_replace, real_unlink = os.replace, os.unlink

    def count(real):
        def call(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == rename:
                raise KeyboardInterrupt
            return real(*args, **kwargs)

        return call

    with mock.patch("os.replace", count(real_replace)), mock.patch("os.unlink", count(real_unlink)):
        yield


def run(action, out: Path) -> None:
    build = ["build", "square", "--formats", "png", "--out", str(out), "--quiet"]
    if action[0] == "build":
        assert main(build) in (0, 2)
    elif action[0] == "force":
        assert main([*build, "--force"]) in (0, 2)
    elif action[0] == "clean":
        assert main(["clean", "--out", str(out)]) in (0, 2)
    elif action[0] == "clean-cache":
        assert main(["clean", "--cache", "--out", str(out)]) in (0, 2)
    elif action[0] == "kill":
        with killed_at(action[1]):
            assert main(build) in (0, 2, 130)
    elif action[0] == "state" and out.is_dir():
        journal = action[1]
        if journal is None:
            return
        if isinstance(journal, bytes):
            (out / STATE).write_bytes(journal)
            return
        try:
            state = json.loads((out / STATE).read_text())
        except (OSError, ValueError):
            state = {"generator": "figgen", "schema": 2, "recipes": {}, "gallery": None}
        if isinstance(state, dict):
            state["journal"] = journal
            (out / STATE).write_text(json.dumps(state))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=plantings(), actions=ACTIONS)
def test_figgen_changes_only_what_it_wrote(tmp_path_factory, monkeypatch, items, actions):
    base = tmp_path_factory.mktemp("own")
    project, outside = base / "project", base / "outside"
    project.mkdir()
    outside.mkdir()
    (outside / "theirs.txt").write_text("another project's file")
    (project / "recipes").mkdir()
    write_recipe(project / "recipes", "square", SQUARE)
    monkeypatch.chdir(project)
    monkeypatch.setenv("FIGGEN_CACHE", str(project / "cache"))
    planted = plant(project, outside / "theirs.txt", items)
    theirs = snapshot(outside)
    before = {k: v for k, v in snapshot(project).items() if k in planted}
    for action in actions:
        run(action, project / "out")
        now = snapshot(project)
        changed = [k for k in planted if now.get(k) != before[k] and not k.endswith(STATE)]
        assert not changed, (action, changed)
        assert snapshot(outside) == theirs, action
