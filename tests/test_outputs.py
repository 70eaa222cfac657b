"""figgen.writers.outputs: which formats each kind of output gets, the path guard, and the records."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from PIL import Image

from figgen.core.errors import FiggenError
from figgen.core.themes import get_preset, get_theme
from figgen.files.atomic import is_temporary
from figgen.writers import OutputSet, formats_for


def outputs(tmp_path, formats=None) -> OutputSet:
    declared = {"square": "still", "blink": "animation"}
    return OutputSet("tiny", declared, tmp_path, get_theme("light"), get_preset("docs"), formats)


def test_formats_of_each_kind_come_from_the_registry():
    assert formats_for("animation", None) == ("gif", "mp4", "html")
    assert formats_for("still", None) == ("png", "svg")
    assert formats_for("filmstrip", None) == ("png", "pdf")
    chosen = ("webp", "pdf", "gif")
    assert formats_for("animation", chosen) == ("webp", "gif")
    assert formats_for("still", chosen) == ("pdf",)
    assert formats_for("filmstrip", chosen) == ("pdf",)


def test_records_describe_the_files_written(tmp_path):
    out = outputs(tmp_path, ("png", "gif"))
    out.image("square", np.full((6, 4, 3), 128, np.uint8), alt="A gray box.")
    frames = [np.full((8, 8, 3), v, np.uint8) for v in (0, 255, 0)]
    out.animation(
        "blink", lambda: iter(frames), alt="Blinking.", keyframes=[0, -1], keyframe_labels=["a", "b"]
    )
    assert [(r.path, r.kind) for r in out.records] == [
        ("square.png", "still"),
        ("blink.gif", "animation"),
        ("blink_filmstrip.png", "filmstrip"),
    ]
    assert [final for _, final in out.staged] == [r.path for r in out.records]
    assert not any((tmp_path / r.path).exists() for r in out.records)  # staged: nothing in place yet
    for (tmp, _), record in zip(out.staged, out.records, strict=True):
        assert is_temporary(tmp)
        data = (tmp_path / tmp).read_bytes()
        assert record.sha256 == hashlib.sha256(data).hexdigest() and record.bytes == len(data)
    assert (out.records[0].width, out.records[0].height) == (4, 6)
    assert (
        out.records[1].frames == 3
        and out.records[2].alt == "2 key frames of the animation (a, b, left to right): Blinking."
    )
    assert out.missing() == []
    out.discard()  # the recipe failed after all: nothing is left behind
    assert list(tmp_path.iterdir()) == [] and out.records == [] and out.staged == []


def test_undeclared_outputs_missing_alt_texts_and_escaping_paths_are_refused(tmp_path):
    out = outputs(tmp_path)
    frame = np.zeros((2, 2, 3), np.uint8)
    with pytest.raises(FiggenError, match="writes still 'other', which its OUTPUTS do not declare"):
        out.image("other", frame, alt="x")
    with pytest.raises(FiggenError, match="output 'square' needs an alt text"):
        out.image("square", frame, alt=" ")
    assert out._path("square", "png") == (tmp_path / "square.png").resolve()
    for stem in ("../square", "sub/square", "/tmp/square"):
        with pytest.raises(FiggenError, match="would leave the output folder"):
            out._path(stem, "png")
    assert out.missing() == ["square", "blink"] and list(tmp_path.iterdir()) == []


def test_pace_scales_every_frame_and_the_hold(tmp_path):
    frames = [np.full((8, 8, 3), v, np.uint8) for v in (0, 255, 0)]
    for pace, folder in ((1.0, tmp_path / "a"), (2.0, tmp_path / "b")):
        folder.mkdir()
        out = OutputSet(
            "tiny", {"blink": "animation"}, folder, get_theme("light"), get_preset("docs"), ("gif",), pace
        )
        out.animation(
            "blink", lambda: iter(frames), alt="Blinking.", durations_ms=[100, 200, 300], hold_last_ms=400
        )
        out.discard.__self__  # noqa: B018 - the set stays usable
        gif = Image.open(folder / out.staged[0][0])
        durations = []
        for i in range(gif.n_frames):
            gif.seek(i)
            durations.append(gif.info["duration"])
        assert durations == [round(pace * d) for d in (100, 200, 700)]


def test_each_frame_is_drawn_once_for_every_format_and_a_failure_leaves_none(tmp_path):
    drawn = []

    def frames():
        for v in (0, 255, 0, 128):
            drawn.append(v)
            yield np.full((16, 16, 3), v, np.uint8)

    out = outputs(tmp_path, ("gif", "mp4", "html"))
    out.animation("blink", frames, alt="Blinking.")
    assert drawn == [0, 255, 0, 128]  # one pass for three files
    assert [(r.path, r.frames) for r in out.records][:2] == [
        ("blink.gif", 4),
        ("blink.mp4", 12),
    ]  # 4 fps: 4 + a 2 s hold
    assert [r.format for r in out.records] == ["gif", "mp4", "html"]
    gif = Image.open(tmp_path / out.staged[0][0])
    assert [gif.seek(i) or gif.convert("L").getpixel((0, 0)) for i in range(gif.n_frames)] == [0, 255, 0, 128]

    def broken():
        yield np.zeros((16, 16, 3), np.uint8)
        raise RuntimeError("the third panel failed")

    other = outputs(tmp_path / "other", ("gif", "mp4", "html"))
    (tmp_path / "other").mkdir()
    with pytest.raises(RuntimeError, match="third panel"):
        other.animation("blink", broken, alt="Blinking.")
    assert list((tmp_path / "other").iterdir()) == [] and other.records == []
