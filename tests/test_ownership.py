"""figgen.files.own: one rule for what figgen may write, replace or delete, in every folder it touches.

Every test plants someone else's files, folders and links and checks them afterwards: same bytes, same
kind, same link target.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figgen.cli import main
from figgen.files.own import MARKER, is_temporary, make_folder, move_into_place, remove_file, remove_folder

PACKAGE = Path(__file__).resolve().parents[1] / "figgen"
STATE = ".figgen-state.json"


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under ``root`` (links not followed): its kind and bytes or link target."""
    seen: dict[str, tuple] = {}
    if not root.exists():
        return seen
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                seen[key] = ("link", os.readlink(path))
            elif path.is_dir():
                seen[key] = ("folder",)
            else:
                seen[key] = ("file", path.read_bytes())
    return seen


def build(*args: str) -> int:
    return main(["build", "square", "--formats", "png", "--quiet", *args])


def test_nothing_else_in_the_package_renames_or_deletes():
    """Only figgen.files.own calls unlink, rmdir, rmtree, rename, remove or a path's replace."""
    forbidden = {"unlink", "rmdir", "rmtree", "rename", "remove", "removedirs", "move"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "own.py" and path.parent.name == "files":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner = node.func.value.id if isinstance(node.func.value, ast.Name) else None
            name = node.func.attr
            on_a_path = name == "replace" and len(node.args) == 1 and owner not in ("dataclasses",)
            if (name in forbidden and owner not in ("warnings", "list", "set")) or on_a_path:
                if name == "remove" and owner not in ("os", "shutil"):
                    continue  # list.remove and the like
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    assert not found, found


def test_the_rules_themselves(tmp_path):
    target = tmp_path / "t.png"
    target.write_bytes(b"user's")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    assert not remove_file(link) and link.is_symlink()  # never a link
    assert not remove_file(target, sha256="0" * 64) and target.exists()  # only with the bytes recorded
    assert remove_file(target, sha256=hashlib.sha256(b"user's").hexdigest()) and not target.exists()
    temporary = tmp_path / ".figgen-tmp-1-0.t.png"
    temporary.symlink_to(tmp_path / "elsewhere")
    assert not move_into_place(temporary, tmp_path / "t.png")  # a temporary that is a link never moves
    (tmp_path / "user").mkdir()
    assert not remove_folder(tmp_path / "user")  # a folder figgen did not make stays, even empty
    made = make_folder(tmp_path / "a" / "b", mark=True)
    assert (made / MARKER).exists() and (tmp_path / "a" / MARKER).exists()
    assert remove_folder(made) and not made.exists()
    assert not is_temporary(".figgen-tmp-99999999999999999999-0.png") and is_temporary(".figgen-tmp-42-0.p")


def test_clean_cache_never_follows_a_link_into_another_project(project, tmp_path, monkeypatch):
    other = tmp_path / "other"
    assert build("--out", str(other / "output")) == 0
    before = snapshot(other)
    cache = tmp_path / "S"
    (cache / "mkdocs").mkdir(parents=True)
    (cache / "mkdocs" / "x").symlink_to(other / "output")
    (cache / "sphinx").symlink_to(other)
    monkeypatch.setenv("FIGGEN_CACHE", str(cache))
    assert main(["clean", "--cache", "--out", "nothing"]) == 0
    assert snapshot(other) == before
    assert (cache / "mkdocs" / "x").is_symlink() and (cache / "sphinx").is_symlink()


def test_clean_cache_keeps_the_folders_figgen_did_not_make(project, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "S"
    for name in ("notebook", "sphinx", "mkdocs/mydrafts", "mkdocs/notes"):
        (cache / name).mkdir(parents=True)
    (cache / "mkdocs" / "notes" / "todo.md").write_text("mine")
    before = snapshot(cache)
    monkeypatch.setenv("FIGGEN_CACHE", str(cache))
    assert main(["clean", "--cache", "--out", "nothing"]) == 0
    assert snapshot(cache) == before
    assert "removed 0 docs-tool build folders" in capsys.readouterr().out


def _journal(out: Path, journal: dict) -> None:
    state = json.loads((out / STATE).read_text())
    state["journal"] = journal
    (out / STATE).write_text(json.dumps(state))


def test_a_crafted_journal_is_discarded_with_a_warning(project, tmp_path, capsys):
    out = project / "out"
    assert build("--out", "out") == 0
    (out / ".nojekyll").write_bytes(b"")
    (out / "__init__.py").write_bytes(b"")
    (out / "notes.txt").write_text("my notes")
    (out / "notes.png").write_text("my picture")
    (out / ".figgen-tmp-1-0.notes.txt").write_text("evil")  # pid 1 runs: not a leftover to remove
    (out / ".figgen-tmp-1-1.notes.png").symlink_to(tmp_path / "outside.png")
    empty = hashlib.sha256(b"").hexdigest()
    journals = [
        {"moves": [[".figgen-tmp-1-0.notes.txt", "notes.txt"]], "remove": []},  # not saying what it replaces
        {"moves": [[".figgen-tmp-1-0.notes.txt", "notes.txt", None]], "remove": []},  # "nothing": a file is
        {"moves": [[".figgen-tmp-1-0.notes.txt", "notes.txt", empty]], "remove": []},  # not those bytes
        {"moves": [[".figgen-tmp-1-1.notes.png", "notes.png", None]], "remove": []},
        {"moves": [], "remove": [[".nojekyll", empty], ["__init__.py", empty]]},
        {"moves": [["..", "square.png"]], "remove": [["a\x00b.png", empty]]},
        {"moves": [[".figgen-tmp-5-0.x.png", ".."]], "remove": []},
        {"moves": "everything", "remove": None},
    ]
    for journal in journals:
        before = {k: v for k, v in snapshot(out).items() if not k.startswith((".figgen-state", "manifest"))}
        _journal(out, journal)
        assert main(["build", "square", "--formats", "png", "--out", "out"]) == 0, journal
        assert "journal" in capsys.readouterr().err, journal
        after = {k: v for k, v in snapshot(out).items() if not k.startswith((".figgen-state", "manifest"))}
        assert after == before, journal
        assert main(["clean", "--out", "out"]) == 0 and build("--out", "out") == 0  # and it stays healed
    assert (out / "notes.txt").read_text() == "my notes" and (out / ".nojekyll").exists()


def test_a_valid_journal_still_finishes_a_killed_commit(project):
    """The journal is what makes a commit whole after a kill: one figgen writes is applied."""
    out = project / "out"
    assert build("--out", "out") == 0
    assert main(["build", "square", "--formats", "png", "--quiet", "--out", "out", "--set", "SIDE=9"]) == 0
    staged = out / ".figgen-tmp-1-7.square.png"
    staged.write_bytes((out / "square.png").read_bytes())
    (out / "square.png").write_bytes(b"half")  # as if the kill came before the move
    _journal(out, {"moves": [[staged.name, "square.png", hashlib.sha256(b"half").hexdigest()]], "remove": []})
    assert build("--out", "out", "--set", "SIDE=9") == 0
    assert not staged.exists() and (out / "square.png").read_bytes() != b"half"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [
                b"[" * 100_000,
                b'{"generator": "figgen"}',
                b'{"generator": "figgen", "recipes": {}, "gallery": 1}',
            ]
        ),
    )
)
def test_any_bytes_in_the_state_file_heal(project, data):
    out = project / "out"
    if not (out / STATE).exists():
        assert build("--out", "out") == 0
    (out / STATE).write_bytes(data)
    assert build("--out", "out") == 0
    assert main(["clean", "--out", "out"]) == 0
    assert build("--out", "out") == 0


def test_a_temporary_looking_name_with_an_impossible_pid_is_not_figgens(project):
    out = project / "out"
    assert build("--out", "out") == 0
    odd = out / ".figgen-tmp-99999999999999999999-0.png"
    odd.write_text("not figgen's")
    assert build("--out", "out", "--force") == 0
    assert main(["clean", "--out", "out"]) == 0
    assert odd.read_text() == "not figgen's"


def test_links_committed_as_the_default_folders_are_refused_unless_named(
    project, tmp_path, monkeypatch, capsys
):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    Path("output").symlink_to(elsewhere)
    assert build() == 2
    assert "output is a link to" in capsys.readouterr().err and not any(elsewhere.iterdir())
    assert build("--quick") == 2  # its default, output/quick, is inside the link: refused as well
    assert "output is a link to" in capsys.readouterr().err and not any(elsewhere.iterdir())
    assert build("--out", "output") == 0 and (elsewhere / "square.png").exists()  # named: the user's choice
    monkeypatch.delenv("FIGGEN_CACHE")
    cache_elsewhere = tmp_path / "cache-elsewhere"
    cache_elsewhere.mkdir()
    Path(".figgen-cache").symlink_to(cache_elsewhere)
    assert build("--out", "o2") == 2
    assert ".figgen-cache is a link to" in capsys.readouterr().err and not any(cache_elsewhere.iterdir())
    monkeypatch.setenv("FIGGEN_CACHE", ".figgen-cache")  # named in the environment: followed
    assert build("--out", "o3") == 0


def test_an_unreadable_state_file_is_not_called_damaged(project, monkeypatch, capsys):
    assert build("--out", "out") == 0
    real = Path.read_bytes

    def refuse(self):
        if self.name == STATE:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert build("--out", "out") == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "Permission denied" in err and "damaged" not in err


def test_clean_of_a_folder_that_refuses_is_exit_2_in_one_line(project, monkeypatch, capsys):
    import errno

    assert build("--out", "out") == 0

    def read_only(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(os, "unlink", read_only)
    assert main(["clean", "--out", "out"]) == 2
    assert capsys.readouterr().err == "figgen: error: cannot remove files from out: Read-only file system\n"


def test_a_staged_file_is_written_as_itself(tmp_path):
    """A read-only folder's error names the staged file, not a temporary of a temporary."""
    from figgen.files.atomic import atomic_path, temporary_path

    staged = temporary_path(tmp_path / "x.png")
    with atomic_path(staged) as path:
        assert path == staged
        path.write_bytes(b"x")
    assert [p.name for p in tmp_path.iterdir()] == [staged.name]


def test_a_cloned_repository_with_a_link_in_its_configured_cache(project, tmp_path, monkeypatch):
    """figgen.toml says cache = ".figgen-cache"; the repository committed .figgen-cache/sphinx/x as a link to
    another project's output folder: clean --cache leaves that project alone."""
    other = tmp_path / "other"
    assert build("--out", str(other / "output")) == 0
    before = snapshot(other)
    monkeypatch.delenv("FIGGEN_CACHE")
    Path("figgen.toml").write_text('cache = ".figgen-cache"\n')
    (project / ".figgen-cache" / "sphinx").mkdir(parents=True)
    (project / ".figgen-cache" / "sphinx" / "x").symlink_to(other / "output")
    assert main(["clean", "--cache", "--out", "nothing"]) == 0
    assert snapshot(other) == before and (project / ".figgen-cache" / "sphinx" / "x").is_symlink()


def test_input_refused_leaves_no_work_folder(project, tmp_path):
    """A notebook figure, a docs page or a deck refused before any work (a bad theme, an unknown recipe)
    leaves nothing in figgen's cache: the build makes the work folders, after its checks."""
    import figgen

    cache = tmp_path / "cache"  # the project's FIGGEN_CACHE
    with pytest.raises(figgen.FiggenError, match="unknown theme 'nope'"):
        figgen.show("square", theme="nope")
    pytest.importorskip("pptx")
    with pytest.raises(figgen.FiggenError, match="unknown recipe 'nope'"):
        figgen.deck(["nope"], out=tmp_path / "talk.pptx", cache=cache)
    with pytest.raises(figgen.FiggenError, match="unknown theme 'nope'"):
        figgen.deck(["square"], out=tmp_path / "talk.pptx", cache=cache, theme="nope")
    assert not cache.exists() or not any(cache.rglob("*")), sorted(cache.rglob("*"))
