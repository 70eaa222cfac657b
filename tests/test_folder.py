"""builder.folder: figgen owns only what it wrote, changes a recipe's files with its manifest entry, and
heals.

Every test plants files of "someone else" and checks them byte for byte afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from figgen.builder.folder import STATE, OutputFolder
from figgen.builder.manifest import read_manifest
from figgen.cli import main
from figgen.files.atomic import is_temporary
from figgen.files.own import MARKER
from tests.conftest import OWN_RECIPES, write_recipe


def build(*args: str) -> int:
    return main(["build", "--out", "out", *args])


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry of a folder, with the sha256 of files and the target of links."""
    found = {}
    for path in sorted(folder.iterdir()):
        if path.is_symlink():
            found[path.name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[path.name] = "folder"
        else:
            found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def consistent(out: Path) -> None:
    """The manifest lists exactly figgen's files there, each with its bytes; no temporary is left."""
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["generator"] == "figgen" and manifest["schema"] == 2
    for record in manifest["outputs"]:
        assert hashlib.sha256((out / record["path"]).read_bytes()).hexdigest() == record["sha256"], record
    gallery = manifest["gallery"]
    assert (
        gallery is None or hashlib.sha256((out / "index.html").read_bytes()).hexdigest() == gallery["sha256"]
    )
    assert not [p.name for p in out.iterdir() if is_temporary(p.name)]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("manifest.json", '{"name": "my web app", "icons": []}', "it is not a figgen manifest"),
        ("index.html", "<html>my docs' home page</html>", "figgen did not write it (to keep a page"),
        ("square.png", "not figgen's picture", "figgen did not write it"),
    ],
)
def test_a_foreign_file_in_the_way_is_refused_before_any_work(project, capsys, name, content, reason):
    out = project / "out"
    out.mkdir()
    (out / name).write_text(content)
    (out / "notes.txt").write_text("someone's notes")
    before = snapshot(out)
    assert build() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"figgen: error: out/{name} is in the way: {reason}")
    assert snapshot(out) == before  # nothing written, nothing removed, no lock file


def test_gallery_false_leaves_a_page_of_ones_own_and_clean_leaves_it_too(project, capsys):
    out = project / "out"
    out.mkdir()
    (out / "index.html").write_text("<html>my page</html>")
    (project / "figgen.toml").write_text(OWN_RECIPES + "gallery = false\n")
    assert build() == 0
    assert (out / "index.html").read_text() == "<html>my page</html>"
    assert json.loads((out / "manifest.json").read_text())["gallery"] is None
    assert main(["clean", "--out", "out"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_a_file_figgen_wrote_but_someone_changed_is_neither_overwritten_nor_cleaned(project, capsys):
    out = project / "out"
    assert build() == 0
    (out / "square.png").write_bytes(b"retouched by hand")
    assert build("--theme", "dark") == 2
    assert (
        "out/square.png is in the way: figgen wrote it, but it was changed since" in capsys.readouterr().err
    )
    assert (out / "square.png").read_bytes() == b"retouched by hand"
    assert main(["clean", "--out", "out"]) == 0
    assert "kept 1 changed since figgen wrote them: square.png" in capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "square.png"]  # kept: not empty


def test_links_and_folders_are_never_written_through(project, capsys, tmp_path):
    out = project / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.png"
    target.write_bytes(b"the link's target")
    (out / "square.png").symlink_to(target)
    (out / "blink.gif").mkdir()
    assert build("square") == 2
    assert "out/square.png is in the way: it is a link, and figgen never writes through links" in (
        capsys.readouterr().err
    )
    assert build("blink") == 2
    assert "out/blink.gif is in the way: it is a folder or a special file" in capsys.readouterr().err
    assert target.read_bytes() == b"the link's target" and (out / "square.png").is_symlink()


def test_no_lock_file_is_ever_created(project):
    assert build() == 0
    assert build("--force") == 0
    assert not list(project.rglob("*.lock")) or all("cache" in str(p) for p in project.rglob("*.lock"))
    assert sorted(p.name for p in (project / "out").iterdir() if p.name.startswith(".")) == [MARKER, STATE]


def test_a_configured_out_stays_inside_the_project(project, capsys, tmp_path):
    (project / "figgen.toml").write_text(OWN_RECIPES + 'out = "../elsewhere"\n')
    assert main(["build"]) == 2
    assert "out = '../elsewhere', line 2 is outside the project folder" in capsys.readouterr().err
    assert not (project.parent / "elsewhere").exists()
    assert main(["build", "--out", str(tmp_path / "given")]) == 0  # the command line may build anywhere


def test_an_interrupted_commit_is_finished_by_the_next_run(project, monkeypatch):
    out = project / "out"
    assert build("square") == 0
    real = os.replace
    moves = []

    def crash_after_first_move(src, dst):
        real(src, dst)
        if Path(dst).name == "square.png" and not moves:
            moves.append(dst)
            raise KeyboardInterrupt  # killed between the moves of one commit

    monkeypatch.setattr(os, "replace", crash_after_first_move)
    assert build("square", "--set", "SIDE=12") == 130
    monkeypatch.setattr(os, "replace", real)
    state = json.loads((out / STATE).read_text())
    assert state["journal"] is not None  # the commit point was passed: the next run finishes it
    folder = OutputFolder(out).load()
    assert folder.recipes["square"]["params"]["SIDE"] == 12
    consistent(out)
    assert json.loads((out / STATE).read_text())["journal"] is None


@pytest.mark.parametrize("where", ["staging", "manifest"])
def test_a_full_disk_is_a_clear_error_and_the_next_build_repairs(project, capsys, monkeypatch, where):
    out = project / "out"
    assert build() == 0
    before = snapshot(out)
    import figgen.builder.folder
    import figgen.writers.stills

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    target, name = (
        (figgen.writers.stills, "save_png")
        if where == "staging"
        else (figgen.builder.folder.OutputFolder, "_stage_text")
    )
    real = getattr(target, name)
    with monkeypatch.context() as patch:  # only this patch is undone after, not the project's folder
        patch.setattr(target, name, full)
        assert build("--theme", "dark", "square") == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert snapshot(out) == before  # the old files and the old manifest, together
    assert getattr(target, name) is real and Path.cwd() == project
    assert build("--theme", "dark") == 0
    consistent(out)


def test_a_wrongly_shaped_manifest_is_rebuilt_with_a_warning(project, capsys):
    out = project / "out"
    assert build() == 0
    capsys.readouterr()
    (out / "manifest.json").write_text('{"generator": "figgen", "recipes": []}')
    assert build() == 0
    captured = capsys.readouterr()
    assert (
        "figgen: warning: out/manifest.json is damaged; figgen rewrites it from its records" in captured.err
    )
    assert "up to date" in captured.out  # the records survived in the state file: nothing retrained
    consistent(out)
    (out / STATE).unlink()  # no second copy: what is misshapen in the manifest is dropped and rebuilt
    document = json.loads((out / "manifest.json").read_text())
    document["recipes"]["square"]["outputs"] = "garbage"
    (out / "manifest.json").write_text(json.dumps(document))
    (out / "square.png").unlink()
    assert build() == 0  # its files are still known from the manifest's flat list of outputs
    assert "the entry of recipe 'square' was dropped and is rebuilt" in capsys.readouterr().err
    consistent(out)
    (out / STATE).unlink()  # all records gone: figgen cannot tell its files, so it asks a person
    (out / "manifest.json").write_text('{"generator": "figgen", "recipes": {}}')
    assert build() == 2
    assert "out/index.html is in the way: figgen did not write it" in capsys.readouterr().err


def test_a_figgen_0_1_folder_is_adopted(project):
    out = project / "out"
    assert build() == 0
    document = json.loads((out / "manifest.json").read_text())
    legacy = {"figgen": "0.1.0", "recipes": document["recipes"], "outputs": document["outputs"]}
    (out / "manifest.json").write_text(json.dumps(legacy))
    page = (out / "index.html").read_text()
    (out / "index.html").write_text(page + "<!-- as figgen 0.1 wrote it -->")
    (out / STATE).unlink()
    (out / ".figgen.lock").write_text("")
    assert build() == 0
    consistent(out)
    assert main(["clean", "--out", "out"]) == 0
    assert not out.exists()  # emptied, and the folder the build made removed


def test_read_manifest_is_for_tools(project):
    assert build() == 0
    assert set(read_manifest(project / "out")["recipes"]) == {"blink", "square"}


def test_clean_cache_spares_the_users_own_files(project, capsys, tmp_path, monkeypatch):
    cache = tmp_path / "shared"
    cache.mkdir()
    (cache / "mine.npz").write_bytes(b"my arrays")
    monkeypatch.setenv("FIGGEN_CACHE", str(cache))
    write_recipe(
        project / "recipes",
        "tiny",
        '''
"""Tiny.

Trains a little.
"""
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "TRAIN_STEPS")
PARAMS = {"TRAIN_SIZE": 20, "TEST_SIZE": 20, "TRAIN_STEPS": 2}
OUTPUTS = {"t": "still"}


def make(ctx, p):
    import numpy as np
    ctx.train()
    ctx.image("t", np.zeros((2, 2, 3), np.uint8), alt="Nothing.")
''',
    )
    assert build("tiny") == 0
    assert main(["clean", "--out", "out", "--cache"]) == 0
    assert "removed 1 cache entries" in capsys.readouterr().out
    assert sorted(p.name for p in cache.iterdir()) == ["mine.npz"]
