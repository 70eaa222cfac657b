"""figgen.atomic: files appear whole or not at all, and leftovers of killed processes are cleaned up."""

from __future__ import annotations

from figgen.atomic import atomic_path


def test_atomic_path_uses_a_hidden_sibling(tmp_path):
    with atomic_path(tmp_path / "out" / "fig.png") as tmp:
        assert tmp.parent == tmp_path / "out" and tmp.name.startswith(".fig.tmp-") and tmp.suffix == ".png"
        tmp.write_bytes(b"x")
    assert (tmp_path / "out" / "fig.png").read_bytes() == b"x"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["fig.png"]
