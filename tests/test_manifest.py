"""figgen.builder.manifest: what the manifest records of each output, and clean removing exactly that."""

from __future__ import annotations

import hashlib
import json

from PIL import Image

from figgen.builder.manifest import read_manifest
from figgen.cli import main
from figgen.files.own import MARKER


def build(*args: str) -> int:
    return main(["build", "--out", "out", *args])


def test_manifest_lists_every_output_with_its_facts(project, capsys):
    assert build() == 0
    manifest = json.loads((project / "out" / "manifest.json").read_text())
    paths = {o["path"] for o in manifest["outputs"]}
    assert paths == {
        "square.png",
        "square.svg",
        "blink.gif",
        "blink.mp4",
        "blink.html",
        "blink_filmstrip.png",
        "blink_filmstrip.pdf",
        "blink_poster.png",
    }
    for record in manifest["outputs"]:
        data = (project / "out" / record["path"]).read_bytes()
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
        assert record["bytes"] == len(data)
        assert record["data"]["fingerprint"] and record["alt"]
    square = next(o for o in manifest["outputs"] if o["path"] == "square.png")
    assert (square["width"], square["height"]) == (40, 40) == Image.open(project / "out/square.png").size
    assert square["params"] == {"SIDE": 40, "LEVEL": 0.5}
    gif = next(o for o in manifest["outputs"] if o["path"] == "blink.gif")
    assert gif["frames"] == 4 and gif["kind"] == "animation"
    poster = next(o for o in manifest["outputs"] if o["path"] == "blink_poster.png")
    assert (poster["kind"], poster["output"], poster["frames"]) == ("poster", "blink_poster", None)
    assert list(manifest["recipes"]) == ["blink", "square"]  # not in the catalogue: name order
    assert (project / "out" / "index.html").is_file()


def test_clean_removes_what_builds_wrote_and_nothing_else(project, capsys):
    assert build() == 0
    (project / "out" / "README.md").write_text("keep me")
    (project / "out" / "talk.pptx").write_text("a slide deck")
    assert main(["clean", "--out", "out"]) == 0
    assert sorted(p.name for p in (project / "out").iterdir()) == [MARKER, "README.md", "talk.pptx"]
    assert "removed 11 files from out" in capsys.readouterr().out  # 8 outputs, manifest, gallery, state
    (project / "slides").mkdir()
    (project / "slides" / "deck.key").write_text("not figgen's")
    assert main(["clean", "--out", "slides"]) == 2
    assert "has no manifest.json: not a figgen output folder" in capsys.readouterr().err
    assert (project / "slides" / "deck.key").is_file()


def test_a_damaged_or_missing_manifest_reads_as_empty(tmp_path):
    empty = {"recipes": {}, "outputs": []}
    assert read_manifest(tmp_path) == empty
    (tmp_path / "manifest.json").write_text("{not json")
    assert read_manifest(tmp_path) == empty
    (tmp_path / "manifest.json").write_text('{"name": "a web app"}')  # another tool's file: not figgen's
    assert read_manifest(tmp_path) == empty
    (tmp_path / "manifest.json").write_text('{"generator": "figgen", "recipes": {"a": {}}}')
    assert read_manifest(tmp_path)["recipes"] == {}  # figgen's, but the entry is misshapen: dropped
