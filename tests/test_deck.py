"""``figgen deck``: the PowerPoint deck read back with python-pptx and rendered by LibreOffice Impress.

One real deck (the README's ``figgen deck`` command at quick sizes, run as a user runs it, from a folder
outside the repository: a dark 16:9 deck) and one ``--video`` deck (light) are built once for the module;
the assertions share them.
"""

from __future__ import annotations

import errno
import inspect
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pptx
import pytest
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE

from figgen import api
from figgen.builder.deck import DECK_OPTIONS
from figgen.cli import main
from figgen.core.errors import FiggenError
from tests._readme import examples
from tests.conftest import SQUARE, write_recipe

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
CHOSEN = ["digit", "gradient_descent"]  # a still and an animation, both seconds with --quick
EMU_PER_INCH = 914400
README_OPTIONS = ["--preset", "slides", "--theme", "dark"]  # the README's deck, on 1920x1080 dark slides
DARK = (24, 26, 31)  # the dark theme's background


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A project outside the repository, the deck its command wrote, and the folder of the built figures."""
    project = tmp_path_factory.mktemp("deck-project")
    shutil.copytree(ROOT / "recipes", project / "recipes")
    cache = project / "cache"
    (command,) = examples("figgen deck")  # the README's, as a reader copies it (at quick sizes here)
    argv = shlex.split(command)
    assert argv == ["figgen", "deck", *CHOSEN, *README_OPTIONS, "--out", "talk.pptx"], argv
    done = subprocess.run(
        [sys.executable, "-m", "figgen", *argv[1:], "--quick"],
        cwd=project,
        env={**os.environ, "FIGGEN_CACHE": str(cache)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    folders = [p.parent for p in (cache / "deck").glob("*/manifest.json")]
    assert len(folders) == 1, folders
    manifest = json.loads((folders[0] / "manifest.json").read_text())
    video = api.deck("gradient_descent", out=project / "video.pptx", video=True, quick=True, cache=cache)
    return {
        "project": project,
        "cache": cache,
        "stdout": done.stdout,
        "deck": project / "talk.pptx",
        "folder": folders[0],
        "manifest": manifest,
        "video": video,
    }


def _pictures(slide):
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def _descr(shape) -> str | None:
    return shape._element.nvPicPr.cNvPr.get("descr")


def test_the_command_says_what_it_wrote(made):
    lines = made["stdout"].splitlines()
    assert lines[0] == "wrote talk.pptx: 2 slides (16:9)"
    assert [line.split()[:2] for line in lines[1:]] == [
        ["digit", "digit.png"],
        ["gradient_descent", "gradient_descent.gif"],
    ]


def test_one_slide_per_figure_with_its_title_picture_alt_text_and_notes(made):
    deck = pptx.Presentation(str(made["deck"]))
    assert (deck.slide_width, deck.slide_height) == (EMU_PER_INCH * 40 // 3, EMU_PER_INCH * 15 // 2)
    entries = made["manifest"]["recipes"]
    assert len(deck.slides) == len(CHOSEN)
    for slide, name in zip(deck.slides, CHOSEN, strict=True):
        entry = entries[name]
        assert slide.shapes.title.text == entry["title"]
        (picture,) = _pictures(slide)
        stem_kind = "animation" if name == "gradient_descent" else "still"
        fmt = "gif" if stem_kind == "animation" else "png"
        (record,) = [r for r in entry["outputs"] if r["kind"] == stem_kind and r["format"] == fmt]
        assert picture.image.blob == (made["folder"] / record["path"]).read_bytes()
        assert picture.image.content_type == f"image/{fmt}"
        assert _descr(picture) == record["alt"] and record["alt"]
        # fitted on the slide with the figure's own aspect
        assert picture.left >= 0 and picture.top > slide.shapes.title.top
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height
        assert abs(picture.width / picture.height - record["width"] / record["height"]) < 0.01
        notes = slide.notes_slide.notes_text_frame.text
        assert entry["description"].replace("``", "") in notes  # ``literals`` as plain text
        for key, value in entry["params"].items():
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            assert f"{key} = {shown}" in notes.splitlines()
    assert "quick" not in entries["gradient_descent"]["params"]  # the quick sizes are the values shown


def test_an_explorable_is_its_still_with_notes_saying_where_the_page_is(made):
    """A deck cannot hold an interactive page: its slide shows the page's still (its poster) and says so."""
    path = made["project"] / "explore.pptx"
    deck = api.deck("explore_descent", out=path, quick=True, cache=made["cache"])
    (slide,) = pptx.Presentation(str(path)).slides
    (picture,) = _pictures(slide)
    (record,) = [r for r in deck.slides]
    assert (record.output, record.format) == ("explore_descent_poster", "png")
    assert picture.image.blob == record.path.read_bytes() and picture.image.content_type == "image/png"
    assert _descr(picture) == record.alt and record.alt.startswith("The page's first state: Gradient descent")
    assert slide.shapes.title.text == "Explore gradient descent on y = x²."
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.startswith("An interactive page in the docs and the gallery (explore_descent.html,")
    assert "figgen build explore_descent writes it" in notes and "LEARNING_RATE = 0.1" in notes


def test_video_is_a_movie_with_its_poster_and_alt_text(made):
    deck = made["video"]
    (slide,) = deck.slides
    assert slide.format == "mp4" and slide.poster is not None
    document = pptx.Presentation(str(deck.path))
    (movie,) = list(document.slides[0].shapes)[1:]
    assert movie.shape_type == MSO_SHAPE_TYPE.MEDIA
    assert _descr(movie) == slide.alt
    part = document.slides[0].part
    media = [rel.target_part for rel in part.rels.values() if rel.reltype.endswith("/media")]
    assert [m.blob for m in media] == [slide.path.read_bytes()]
    poster = movie._element.blipFill.blip.rEmbed
    image = Image.open(io.BytesIO(part.related_part(poster).blob))
    frame = Image.open(deck.folder / "gradient_descent_filmstrip.png")
    record = next(
        r for r in json.loads((deck.folder / "manifest.json").read_text())["outputs"] if r["format"] == "mp4"
    )
    assert abs(image.width / image.height - record["width"] / record["height"]) < 0.01  # never stretched
    if slide.poster.name.endswith("_poster.png"):
        assert part.related_part(poster).blob == slide.poster.read_bytes()
    else:
        assert frame.height > frame.width  # the filmstrip, fitted into the movie's frame


@pytest.mark.skipif(
    not (SOFFICE and PDFTOPPM),
    reason="LibreOffice or pdftoppm is missing: apt-get install libreoffice-impress poppler-utils",
)
def test_libreoffice_renders_every_slide_with_its_figure(made, tmp_path):
    """Impress opens both decks; each page shows its figure where the deck put it, and the video's poster."""
    out = tmp_path / "pdf"
    profile = (tmp_path / "profile").as_uri()  # a profile of its own: other soffice runs do not collide
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(made["deck"]),
            str(made["video"].path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0 and (out / "talk.pdf").is_file(), done.stderr
    for name in ("talk", "video"):
        subprocess.run([PDFTOPPM, "-r", "48", "-png", str(out / f"{name}.pdf"), str(out / name)], check=True)
    pages = sorted(out.glob("talk-*.png"))
    deck = pptx.Presentation(str(made["deck"]))
    assert len(pages) == len(deck.slides)
    for page, slide in zip(pages, deck.slides, strict=True):
        rendered = np.asarray(Image.open(page).convert("L"), np.float64)
        (picture,) = _pictures(slide)
        shown = Image.open(io.BytesIO(picture.image.blob)).convert("L")  # a GIF: its first frame
        crop = _region(rendered, picture, deck)
        assert crop.std() > 20, f"{page.name}: the figure's place is blank"
        # the same picture at the same place: their coarse blocks agree (thin lines blur at 48 dpi)
        match = np.corrcoef(_coarse(crop), _coarse(np.asarray(shown, np.float64)))[0, 1]
        assert match > 0.8, f"{page.name} does not show its figure ({match:.2f})"
        colours = np.asarray(Image.open(page).convert("RGB"), np.float64)
        assert np.abs(colours[-6:-2, 2:-2] - DARK).max() < 4  # below the figure: the dark theme's slide
    (video,) = sorted(out.glob("video-*.png"))
    assert np.asarray(Image.open(video).convert("L"))[-6:-2, 2:-2].min() > 250  # the light theme's: white
    video_deck = pptx.Presentation(str(made["video"].path))
    movie = list(video_deck.slides[0].shapes)[1]
    blip = movie._element.blipFill.blip.rEmbed
    poster = Image.open(io.BytesIO(video_deck.slides[0].part.related_part(blip).blob)).convert("L")
    crop = _region(np.asarray(Image.open(video).convert("L"), np.float64), movie, video_deck)
    match = np.corrcoef(_coarse(crop), _coarse(np.asarray(poster, np.float64)))[0, 1]
    assert match > 0.8, f"{video.name} does not show the movie's poster ({match:.2f})"


def _coarse(pixels: np.ndarray, blocks: int = 16) -> np.ndarray:
    """The mean of each of ``blocks`` x ``blocks`` blocks of a gray image, as one vector."""
    image = Image.fromarray(pixels.astype(np.uint8))
    return np.asarray(image.resize((blocks, blocks), Image.BOX), np.float64).ravel()


def _region(pixels: np.ndarray, shape, deck) -> np.ndarray:
    """The pixels of a page under ``shape`` (a little inside its edges)."""
    sy, sx = pixels.shape[0] / deck.slide_height, pixels.shape[1] / deck.slide_width
    top, left = round(shape.top * sy) + 2, round(shape.left * sx) + 2
    bottom, right = round((shape.top + shape.height) * sy) - 2, round((shape.left + shape.width) * sx) - 2
    return pixels[top:bottom, left:right]


def test_a_second_deck_builds_nothing_and_replaces_figgens_own(made, monkeypatch):
    """The figures are up to date in the cache's deck folder, and the deck figgen wrote may be replaced."""
    monkeypatch.chdir(made["project"])
    events = []
    again = api.deck(
        CHOSEN,
        out="talk.pptx",
        preset="slides",
        theme="dark",
        quick=True,
        cache=made["cache"],
        progress=lambda e, **i: events.append(e),
    )
    assert "recipe_done" not in events and again.folder == made["folder"]
    assert pptx.Presentation("talk.pptx").slides[1].shapes.title.text == again.slides[1].title


def test_a_file_figgen_did_not_write_is_never_replaced(made, monkeypatch, capsys):
    monkeypatch.chdir(made["project"])
    (made["project"] / "mine.pptx").write_bytes(b"my own slides")
    changed = made["project"] / "changed.pptx"
    shutil.copy(made["deck"], changed)
    with zipfile.ZipFile(changed, "a") as package:  # saved again by another tool: other parts
        package.writestr("ppt/extra.xml", "<x/>")
    for name in ("mine.pptx", "changed.pptx"):
        before = (made["project"] / name).read_bytes()
        assert main(["deck", "digit", "--quick", "--out", name]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is not a deck figgen wrote" in err and name in err
        assert (made["project"] / name).read_bytes() == before


def test_a_deck_saved_by_someone_else_while_figgen_builds_is_kept(made, monkeypatch, tmp_path):
    """The deck is checked when figgen starts and again when it writes: a file saved there meanwhile (the
    user's PowerPoint saving over figgen's deck) is never replaced."""
    import figgen.builder.deck as deck_module

    path = tmp_path / "talk.pptx"
    shutil.copy(made["deck"], path)  # figgen's own, unchanged: replaceable when the deck starts
    original = deck_module._presentation

    def saved_meanwhile(*args, **kwargs):
        path.write_bytes(b"the user's edits")
        return original(*args, **kwargs)

    monkeypatch.setattr(deck_module, "_presentation", saved_meanwhile)
    with pytest.raises(FiggenError, match="is not a deck figgen wrote"):
        api.deck("digit", out=path, quick=True, cache=made["cache"])
    assert path.read_bytes() == b"the user's edits" and [p.name for p in tmp_path.iterdir()] == ["talk.pptx"]


@pytest.mark.parametrize(
    "argv, words",
    [
        (["nosuch"], "unknown recipe 'nosuch'"),
        (["--out", "folder.pptx"], "deck file folder.pptx is a folder"),
        (
            ["--out", "slides"],
            "deck file slides must be named *.pptx; to write into that folder give slides/deck.pptx",
        ),
        (["--out", "a-file/deck.pptx"], "cannot write a-file/deck.pptx: a-file is not a folder"),
        (["--theme", "drak"], "did you mean 'dark'"),
        (["--set", "NOPE=1", "digit"], "no selected recipe has a parameter 'NOPE'"),
    ],
)
def test_bad_input_is_one_line_and_writes_no_deck(tmp_path, monkeypatch, capsys, argv, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.pptx").mkdir()
    (tmp_path / "slides").mkdir()
    (tmp_path / "a-file").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["deck", "--quick", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("figgen: error: ") and err.count("\n") == 1 and words in err, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == [
        n for n in before if n != "cache"
    ]
    assert not list(tmp_path.glob("*.pptx*")) or [p.name for p in tmp_path.glob("*.pptx")] == ["folder.pptx"]


def test_a_deck_that_cannot_be_written_leaves_nothing(made, tmp_path, monkeypatch):
    """A full disk while the deck is saved: one-line error, no deck and no temporary left."""
    from pptx.presentation import Presentation

    real = Presentation.save

    def full(self, file):
        if isinstance(file, str):  # the file on disk, not the in-memory copy that is signed
            Path(file).write_bytes(b"half a deck")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, file)

    monkeypatch.setattr(Presentation, "save", full)
    with pytest.raises(FiggenError, match=r"^cannot write .*deck.pptx: No space left on device$"):
        api.deck("digit", out=tmp_path / "deck.pptx", quick=True, cache=made["cache"])
    assert list(tmp_path.iterdir()) == []


def test_the_deck_takes_the_build_options_of_the_table():
    """Every build option a deck takes is a keyword of api.deck and a flag of figgen deck, from the table."""
    from figgen.cli import _parser

    keywords = inspect.signature(api.deck).parameters
    assert set(DECK_OPTIONS) <= set(keywords)
    assert {"theme", "preset", "quick", "pace", "palette"} <= set(DECK_OPTIONS)
    assert not {"out", "formats", "gallery"} & set(DECK_OPTIONS)
    sub = next(a for a in _parser()._actions if a.dest == "command").choices["deck"]
    args = sub.parse_args([])
    assert all(getattr(args, name) is None for name in DECK_OPTIONS) and args.out == "deck.pptx"


def test_a_recipe_with_several_outputs_gets_a_slide_for_each(project, capsys):
    """Tiny recipes (no training): each output of a recipe is a slide titled with the recipe and the output,
    in the order the recipe wrote them, the recipes in the catalogue's order; a list parameter is shown in
    the notes as the build took it."""
    two = SQUARE.replace('OUTPUTS = {"square": "still"}', 'OUTPUTS = {"left": "still", "right": "still"}')
    two = two.replace(
        'PARAMS = {"SIDE": 40, "LEVEL": 0.5}', 'PARAMS = {"SIDE": 40, "LEVEL": 0.5, "TAGS": [1, 2]}'
    )
    two = two.replace(
        '    ctx.image("square", frame, alt=f"A gray square of {p.SIDE} pixels.")',
        '    ctx.image("right", frame, alt="The right one.")\n'
        '    ctx.image("left", 255 - frame, alt="The left one.")',
    )
    write_recipe(project / "recipes", "two", two)
    assert main(["deck", "two", "blink", "--set", "two.TAGS=3,4", "--out", "tiny.pptx"]) == 0
    deck = pptx.Presentation("tiny.pptx")
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == ["Blinking digit.", "A square. (right)", "A square. (left)"]  # the catalogue's order
    assert [_descr(_pictures(slide)[0]) for slide in deck.slides] == [
        "The first training digit blinking.",
        "The right one.",
        "The left one.",
    ]
    assert "TAGS = 3, 4" in deck.slides[1].notes_slide.notes_text_frame.text.splitlines()
    assert capsys.readouterr().out.startswith("wrote tiny.pptx: 3 slides (16:9)\n")
    # the figures were built in figgen's cache, which clean --cache empties; the deck is the user's now
    assert [p.name for p in (project / "cache").iterdir() if not p.name.startswith(".")] == ["deck"]
    assert main(["clean", "--cache"]) == 0
    assert not (project / "cache" / "deck").exists() and (project / "tiny.pptx").is_file()


def test_slides_are_4_3_for_a_4_3_preset(monkeypatch):
    from figgen.builder.deck import slide_size
    from figgen.core.themes import PRESETS, Preset

    monkeypatch.setitem(PRESETS, "old-projector", Preset("old-projector", 1024, 768, 28, 1.9, 160))
    assert slide_size("old-projector") == (EMU_PER_INCH * 10, EMU_PER_INCH * 15 // 2)
    assert slide_size("slides") == slide_size("docs") == (EMU_PER_INCH * 40 // 3, EMU_PER_INCH * 15 // 2)


def test_a_recipe_that_fails_writes_no_deck(project, capsys):
    broken = SQUARE.replace('ctx.image("square", frame, alt=f"A gray square of {p.SIDE} pixels.")', "1 / 0")
    write_recipe(project / "recipes", "broken", broken.replace('"square"', '"broken"'))
    assert main(["deck", "square", "broken", "--out", "talk.pptx"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("figgen: error: recipe broken failed: ZeroDivisionError") and err.count("\n") == 1
    assert not list(project.glob("*.pptx")) and not list(project.glob(".figgen-tmp-*"))
