"""figgen.writers.outputs: which formats each kind of output gets, the path guard, and the records."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from figgen.cli import main
from figgen.core.errors import FiggenError
from figgen.core.themes import get_preset, get_theme
from figgen.files.atomic import is_temporary
from figgen.writers import OutputSet, formats_for
from figgen.writers.markup import poster_name, video_html
from tests._readme import project as readme_project
from tests.conftest import SQUARE, write_recipe


def outputs(tmp_path, formats=None) -> OutputSet:
    declared = {"square": "still", "blink": "animation"}
    return OutputSet("tiny", declared, tmp_path, get_theme("light"), get_preset("docs"), formats)


def test_formats_of_each_kind_come_from_the_registry():
    assert formats_for("animation", None) == ("gif", "mp4", "html")
    assert formats_for("still", None) == ("png", "svg")
    assert formats_for("filmstrip", None) == ("png", "pdf")
    assert formats_for("poster", None) == ("png",)
    chosen = ("webp", "pdf", "gif")
    assert formats_for("animation", chosen) == ("webp", "gif")
    assert formats_for("still", chosen) == ("pdf",)
    assert formats_for("filmstrip", chosen) == ("pdf",)
    # the poster comes with any animation format (a page shows it before or instead of playing) and with PNG
    assert formats_for("poster", chosen) == formats_for("poster", ("mp4",)) == ("png",)
    assert formats_for("poster", ("frames",)) == formats_for("poster", ("png",)) == ("png",)
    assert formats_for("poster", ("svg", "pdf")) == ()
    assert formats_for("animation", ("frames", "png")) == ("frames",)  # opt-in: never a default


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
        ("blink_poster.png", "poster"),
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
        and out.records[3].alt == "The last frame of the animation: Blinking."
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
    assert [r.format for r in out.records] == ["gif", "mp4", "html", "png"]  # and the poster
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


def gif_frames(path) -> list[np.ndarray]:
    """Every frame of a GIF as Pillow composes it (RGBA)."""
    with Image.open(path) as gif:
        return [np.asarray((gif.seek(i), gif.convert("RGBA"))[1]) for i in range(gif.n_frames)]


def distinct(count: int, size=(12, 10)) -> list[np.ndarray]:
    """``count`` frames that differ everywhere (a GIF stores each whole), a gradient in each."""
    ramp = np.linspace(0, 60, size[1], dtype=np.uint8)[None, :, None]
    return [np.broadcast_to(ramp + 20 * i, (*size, 3)).astype(np.uint8) for i in range(count)]


def staged(out: OutputSet, folder, name: str):
    """The staged bytes' path of the file ``name`` (nothing is in place before the build commits)."""
    (tmp,) = [t for t, final in out.staged if final == name]
    return folder / tmp


@pytest.mark.parametrize("poster, index", [(None, 4), (0, 0), (2, 2), (-2, 3), (-5, 0)])
def test_the_poster_is_the_chosen_frame_of_the_gif(tmp_path, poster, index):
    frames = distinct(5)
    out = outputs(tmp_path, ("gif",))
    chosen = {} if poster is None else {"poster": poster}
    out.animation("blink", lambda: iter(frames), alt="Blinking.", **chosen)
    record = out.records[-1]
    assert (record.path, record.kind, record.format, record.output) == (
        "blink_poster.png",
        "poster",
        "png",
        "blink_poster",
    )
    which = "The last frame" if index == 4 else f"Frame {index + 1} of 5"
    assert record.alt == f"{which} of the animation: Blinking."
    decoded = np.asarray(Image.open(staged(out, tmp_path, "blink_poster.png")).convert("RGBA"))
    gif = gif_frames(staged(out, tmp_path, "blink.gif"))
    assert np.array_equal(decoded, gif[index]) and not np.array_equal(decoded, gif[(index + 1) % 5])
    assert (record.width, record.height) == (10, 12)


def test_a_poster_outside_the_animation_is_refused_and_nothing_stays(tmp_path):
    for poster, message in [
        (5, "the poster of 'blink' is frame 5, but it has 5 frames"),
        (-6, "the poster of 'blink' is frame -6, but it has 5 frames"),
        (True, "the poster of 'blink' must be a frame's index, got True"),
        ("last", "the poster of 'blink' must be a frame's index, got 'last'"),
    ]:
        out = outputs(tmp_path, ("gif", "png"))
        with pytest.raises(FiggenError, match=f"^recipe 'tiny': {message}$"):
            out.animation("blink", lambda: iter(distinct(5)), alt="Blinking.", poster=poster)
        out.discard()  # what the build does when a recipe fails
        assert list(tmp_path.iterdir()) == []


def test_a_poster_alone_still_draws_the_frames_once(tmp_path):
    drawn = []

    def frames():
        for frame in distinct(3):
            drawn.append(1)
            yield frame

    out = outputs(tmp_path, ("svg",))  # no animation format, no PNG: no poster, no frames drawn
    out.animation("blink", frames, alt="Blinking.")
    assert out.records == [] and drawn == []
    out = outputs(tmp_path, ("png",))  # the filmstrip's format: the poster comes with it
    out.animation("blink", frames, alt="Blinking.", poster=1)
    assert [r.path for r in out.records] == ["blink_poster.png"] and len(drawn) == 3
    poster = np.asarray(Image.open(staged(out, tmp_path, "blink_poster.png")))
    assert np.array_equal(poster, distinct(3)[1])


def test_the_frames_format_writes_the_gifs_frames_and_an_animategraphics_snippet(tmp_path):
    frames = distinct(4)
    frames.insert(2, frames[1])  # an unchanged frame: the GIF merges it, and so do the frames
    out = outputs(tmp_path, ("gif", "frames"))
    durations = [100, 250, 250, 250, 250]
    out.animation("blink", lambda: iter(frames), alt="Blinking.", durations_ms=durations, poster=2)
    records = {r.path: r for r in out.records}
    names = [f"blink_frame_{i}.png" for i in range(4)]
    assert list(records) == ["blink.gif", "blink_frames.tex", *names, "blink_frames.txt", "blink_poster.png"]
    assert sorted(final for _, final in out.staged) == sorted(records)  # a frame is staged as it comes
    gif = gif_frames(staged(out, tmp_path, "blink.gif"))
    assert len(gif) == 4
    for name, expected in zip(names, gif, strict=True):
        decoded = np.asarray(Image.open(staged(out, tmp_path, name)).convert("RGBA"))
        assert np.array_equal(decoded, expected)
        assert (records[name].kind, records[name].output, records[name].format) == (
            "frames",
            "blink_frames",
            "png",
        )
    tex = records["blink_frames.tex"]
    assert (tex.kind, tex.output, tex.format, tex.frames, tex.width, tex.height) == (
        "animation",
        "blink",
        "frames",
        4,
        10,
        12,
    )
    snippet = staged(out, tmp_path, "blink_frames.tex").read_text()
    command = snippet.splitlines()[-1]
    # 100 ms is 10 frames a second; then 250 ms + 250 ms merged (2 fps), 4 fps, and 250 ms + the 2 s hold;
    # the PDF's poster is the recipe's (its frame 2, merged into the file's frame 1)
    options = r"loop,controls,width=\linewidth,poster=1,timeline=blink_frames.txt"
    assert command == rf"\animategraphics[{options}]{{10}}{{blink_frame_}}{{0}}{{3}}%"
    assert staged(out, tmp_path, "blink_frames.txt").read_text() == ":10:0\n:2:1\n:4:2\n:0.4444:3\n"
    assert all(line.startswith("%") for line in snippet.splitlines()[:-1])
    for record in out.records:
        data = staged(out, tmp_path, record.path).read_bytes()
        assert record.sha256 == hashlib.sha256(data).hexdigest() and record.bytes == len(data)
    out.discard()
    assert list(tmp_path.iterdir()) == []


def test_frames_of_one_duration_need_no_timeline(tmp_path):
    out = outputs(tmp_path, ("frames",))
    out.animation("blink", lambda: iter(distinct(3)), alt="Blinking.", durations_ms=40, hold_last_ms=0)
    assert [r.path for r in out.records][-2:] == ["blink_frame_2.png", "blink_poster.png"]
    command = staged(out, tmp_path, "blink_frames.tex").read_text().splitlines()[-1]
    assert command == r"\animategraphics[loop,controls,width=\linewidth,poster=last]{25}{blink_frame_}{0}{2}%"
    out = outputs(tmp_path / "first", ("frames",))
    (tmp_path / "first").mkdir()
    out.animation(
        "blink", lambda: iter(distinct(3)), alt="Blinking.", durations_ms=40, hold_last_ms=0, poster=0
    )
    command = staged(out, tmp_path / "first", "blink_frames.tex").read_text().splitlines()[-1]
    assert (
        command == r"\animategraphics[loop,controls,width=\linewidth]{25}{blink_frame_}{0}{2}%"
    )  # animate's


def test_frames_that_fail_half_way_leave_nothing(tmp_path):
    def broken():
        yield from distinct(3)
        raise RuntimeError("the fourth panel failed")

    out = outputs(tmp_path, ("frames", "gif"))
    with pytest.raises(RuntimeError, match="fourth panel"):
        out.animation("blink", broken, alt="Blinking.")
    out.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_build_records_the_poster_a_video_names_and_the_frames_latex_reads(project):
    assert main(["build", "--out", "out", "blink", "--formats", "gif,mp4,frames"]) == 0
    out = project / "out"
    records = {r["path"]: r for r in json.loads((out / "manifest.json").read_text())["outputs"]}
    gif = gif_frames(out / "blink.gif")
    assert len(gif) == 4  # blink: on, off, on, off
    # the poster: the last frame, as the GIF shows it; the <video> figgen writes names it, and it is there
    assert records["blink_poster.png"]["kind"] == "poster"
    assert np.array_equal(np.asarray(Image.open(out / "blink_poster.png").convert("RGBA")), gif[-1])
    video = video_html("blink.mp4", alt="Blinking.", poster=poster_name("blink.mp4"))
    assert (out / re.search(r' poster="([^"]+)"', video)[1]).is_file()
    # the frames: the GIF's, each recorded, and the snippet and timeline that name them
    for i, expected in enumerate(gif):
        name = f"blink_frame_{i}.png"
        assert np.array_equal(np.asarray(Image.open(out / name).convert("RGBA")), expected)
        assert records[name]["kind"] == "frames"
    assert not (out / "blink_frame_4.png").exists()
    assert records["blink_frames.tex"]["frames"] == 4 and records["blink_frames.txt"]["kind"] == "frames"
    command = (out / "blink_frames.tex").read_text().splitlines()[-1]
    options = r"loop,controls,width=\linewidth,poster=last,timeline=blink_frames.txt"
    assert command == rf"\animategraphics[{options}]{{10}}{{blink_frame_}}{{0}}{{3}}%"
    assert (out / "blink_frames.txt").read_text() == ":10:0\n::1\n::2\n:0.4762:3\n"  # 100 ms; 100 + 2 s
    # another build without the format removes every file of it
    assert main(["build", "--out", "out", "blink", "--formats", "gif"]) == 0
    assert sorted(p.name for p in out.glob("blink*")) == ["blink.gif", "blink_poster.png"]


@pytest.mark.docs
@pytest.mark.skipif(not shutil.which("pdflatex"), reason="no pdflatex (apt-get install texlive-latex-extra)")
def test_the_readme_beamer_deck_animates_the_frames(tmp_path, monkeypatch, shared_cache):
    """The README's talk.tex, copied as it is, compiles with the frames it names found on \\graphicspath."""
    found = subprocess.run(["kpsewhich", "animate.sty"], capture_output=True, text=True)
    if not found.stdout.strip():
        pytest.skip("LaTeX's animate package is not installed (apt-get install texlive-latex-extra)")
    root = readme_project(tmp_path / "course", "talk.tex")
    monkeypatch.chdir(root)
    argv = ["build", "weights_evolution", "--preset", "slides43", "--formats", "frames", "--out", "slides"]
    assert main([*argv, "--quick", "--quiet"]) == 0
    frames = len(list((root / "slides").glob("weights_evolution_frame_*.png")))
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "talk.tex"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = " ".join((root / "talk.log").read_text(errors="replace").split())
    assert done.returncode == 0, log[-2000:]
    assert "building timeline a0 from file `slides//weights_evolution_frames.txt'" in log
    assert f"{frames} frames built" in log and frames > 3
    assert (root / "talk.pdf").read_bytes().startswith(b"%PDF")


def test_a_still_named_like_an_animations_poster_is_refused_before_any_work(project, capsys):
    write_recipe(project / "recipes", "cover", SQUARE.replace('"square"', '"blink_poster"'))
    assert main(["build", "--out", "out", "cover", "--formats", "png"]) == 2
    assert capsys.readouterr().err == (
        "figgen: error: recipes blink and cover both write blink_poster.png (blink: the poster of its "
        "animation blink; cover: its still blink_poster); rename one in its OUTPUTS\n"
    )
    assert not (project / "out").exists()
