"""figgen.files.atomic: files appear whole or not at all, and only figgen's own leftovers are ever removed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from figgen.files.atomic import atomic_path, is_temporary, remove_leftovers, temporary_path


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_atomic_path_uses_a_hidden_sibling(tmp_path):
    with atomic_path(tmp_path / "fig.png") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".figgen-tmp-") and tmp.suffix == ".png"
        assert is_temporary(tmp.name)
        tmp.write_bytes(b"x")
    assert (tmp_path / "fig.png").read_bytes() == b"x"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"]


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()])
def test_a_failed_block_leaves_the_old_file_and_no_temporary(tmp_path, exc):
    (tmp_path / "fig.png").write_bytes(b"old")
    with pytest.raises(type(exc)), atomic_path(tmp_path / "fig.png") as tmp:
        tmp.write_bytes(b"half")
        raise exc
    assert [p.name for p in tmp_path.iterdir()] == ["fig.png"] and (
        tmp_path / "fig.png"
    ).read_bytes() == b"old"


def test_only_figgens_temporaries_of_dead_processes_are_removed(tmp_path):
    pid = dead_pid()
    ours = f".figgen-tmp-{pid}-3.weights.gif"
    (tmp_path / ours).write_bytes(b"half a gif")
    alive = temporary_path(tmp_path / "x.png")  # this process: still writing it
    alive.write_bytes(b"x")
    lookalikes = [
        f".notes.tmp-{pid}-1",  # figgen 0.1's pattern, which a user's file can have
        f".figgen-tmp-{pid}-x.png",
        f"figgen-tmp-{pid}-1.png",
        "talk.pptx",
    ]
    for name in lookalikes:
        (tmp_path / name).write_text("someone's")
    (tmp_path / f".figgen-tmp-{pid}-4.folder").mkdir()  # a folder named like one is not figgen's
    (tmp_path / f".figgen-tmp-{pid}-5.link").symlink_to(tmp_path / "talk.pptx")
    assert remove_leftovers(tmp_path) == [ours]
    left = sorted(os.listdir(tmp_path))
    assert ours not in left and alive.name in left and set(lookalikes) <= set(left)
    assert (tmp_path / "talk.pptx").read_text() == "someone's"
