"""``figgen deck``: a PowerPoint deck (python-pptx) of built figures, one per slide.

Each declared output of the chosen recipes gets a slide: its title (the recipe's title; with the output's
name when the recipe has several), the figure fitted to the rest of the slide with its aspect kept, the alt
text as the picture's description (``descr`` on ``p:cNvPr``, what screen readers and PowerPoint's "Alt
Text" read), and speaker notes holding the recipe's description and the parameters it was built with. An
animation is its GIF, which plays in PowerPoint, Keynote and Google Slides; with ``video`` it is the MP4 as
a movie, its poster frame the build's ``<stem>_poster.png``. Stills are PNG pictures; an explorable (an
interactive page) is its still, the speaker notes saying where the page is. The slides are 16:9, or 4:3 for
a 4:3 preset, in the theme's colours.

The figures are built into a work folder in figgen's cache (``deck/``, one folder per choice of options,
like the docs tools'), so a deck never touches the user's ``output/`` and a second deck of the same choice
builds nothing. The deck file is written atomically (:mod:`figgen.files.atomic`), and replaces only a deck
figgen wrote and nobody changed since: each deck carries its signature, the sha256 of its parts, in its
core properties' identifier (a deck saved again by PowerPoint has other parts, and is left alone).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from figgen._version import __version__
from figgen.builder.manifest import read_manifest
from figgen.builder.options import OPTIONS, STAMPED, BuildOptions
from figgen.core.errors import FiggenError
from figgen.core.themes import get_preset, get_theme
from figgen.files.own import file_sha256, kind, make_folder
from figgen.writers.outputs import FILMSTRIP, POSTER
from figgen.writers.record import OutputRecord

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide as PptxSlide

#: The build options a deck takes as ``figgen build`` does (their flags, checks and configuration keys from
#: the one table): all but those the deck decides itself: where its figures go, their formats, the gallery
#: (none) and ``strict`` (a deck stops at the first failing recipe).
DECK_OPTIONS: tuple[str, ...] = tuple(
    o.name for o in OPTIONS if o.flags and o.name not in ("out", "formats", "gallery", "strict")
)
FORMATS = ("gif", "png")  # an animation as its GIF, a still as its PNG
VIDEO_FORMATS = ("mp4", "png")  # an animation as its MP4 (with a PNG poster), a still as its PNG
SUFFIX = ".pptx"
_SIGNATURE = re.compile(r"<dc:identifier>figgen-deck sha256:([0-9a-f]{64})</dc:identifier>")
_CORE = "docProps/core.xml"  # the part that holds the signature, so the signature does not cover it

EMU_PER_INCH = 914400
MARGIN = EMU_PER_INCH * 3 // 10  # around the picture and the title
TITLE_HEIGHT = EMU_PER_INCH  # two lines of a long title


@dataclass(frozen=True)
class Slide:
    """One slide of a deck: its title and the file it shows (and a movie's poster)."""

    title: str
    recipe: str
    output: str  # the output's stem
    path: Path  # the picture (GIF, PNG) or movie (MP4) shown
    format: str
    alt: str
    notes: str
    size: tuple[int, int]  # the file's pixels
    poster: Path | None = None  # a movie's poster image


@dataclass(frozen=True)
class Deck:
    """A deck figgen wrote: its file, its slides and the folder the figures were built in."""

    path: Path
    slides: list[Slide]
    folder: Path
    width: int  # the slide's size, in EMU (914,400 to the inch)
    height: int


def require_pptx() -> None:
    """Raise a FiggenError naming the extra to install when python-pptx is missing."""
    try:
        import pptx  # noqa: F401
    except ImportError:
        raise FiggenError("figgen deck needs python-pptx: pip install 'figgen[slides]'") from None


def check_deck_path(path: str | os.PathLike) -> Path:
    """The deck's file, checked before any work: a ``.pptx`` name whose folder is there to write into (or
    can be made), and which is new or a deck figgen wrote and nobody changed since."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        hint = f"; to write into that folder give {path / 'deck.pptx'}" if path.is_dir() else ""
        raise FiggenError(f"deck file {path} must be named *.pptx{hint}")
    replaceable(path)
    folder = path.parent
    while kind(folder) is None and folder != folder.parent:  # made when the deck is written
        folder = folder.parent
    if not folder.is_dir():
        raise FiggenError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FiggenError(f"cannot write {path}: {folder} is not writable")
    return path


def replaceable(path: Path) -> str | None:
    """The sha256 of the deck at ``path`` that figgen may replace (one it wrote and nobody changed since), or
    None when there is none; anything else there is a FiggenError."""
    there = kind(path)
    if there == "folder":
        raise FiggenError(f"deck file {path} is a folder")
    if there not in (None, "file"):
        raise FiggenError(f"deck file {path} is not a file figgen may replace (a link or a device)")
    if there == "file" and signature(path) is None:
        raise FiggenError(
            f"{path} exists and is not a deck figgen wrote, or was changed since: figgen replaces only its "
            "own; remove it or give another --out"
        )
    return file_sha256(path)


def signature(path: Path) -> str | None:
    """The sha256 a deck figgen wrote carries, when its parts still hash to it; else None (another file, a
    deck changed since, a file that is no zip)."""
    try:
        with zipfile.ZipFile(path) as package:
            found = _SIGNATURE.search(package.read(_CORE).decode("utf-8", "replace"))
            digest = _parts_digest(package)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return None
    return digest if found and found.group(1) == digest else None


def _parts_digest(package: zipfile.ZipFile) -> str:
    digest = hashlib.sha256()
    for name in sorted(package.namelist()):
        if name != _CORE:
            data = package.read(name)
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def work_folder(root: Path, options: BuildOptions, formats: tuple[str, ...]) -> Path:
    """The folder under ``root`` (figgen's ``deck/`` work folder) for this choice of options: equal choices
    share one, so a second deck builds nothing, and a deck never replaces another choice's files."""
    choice = {
        "formats": formats,
        "quick": options.quick,
        "data": options.data,
        "recipes": str(Path(options.recipes).resolve()) if options.recipes else "",
        "params": [
            options.params,
            options.recipe_params,
            options.config_params,
            options.config_recipe_params,
        ],
        **{name: getattr(options, name) for name in STAMPED},
    }
    digest = hashlib.sha256(json.dumps(choice, sort_keys=True, default=str).encode()).hexdigest()[:12]
    from figgen.builder.workfolders import build_folder

    return build_folder(root / digest)  # made, marked, by the build: clean --cache removes it


def slides_of(folder: Path, recipes: list[str], video: bool) -> list[Slide]:
    """The slides of ``recipes`` (in that order) from the manifest of the folder they were built in."""
    entries = read_manifest(folder)["recipes"]
    slides = []
    for name in recipes:
        entry = entries.get(name)
        if entry is None:
            raise FiggenError(f"recipe {name} has no record in {folder}")
        records = [r for r in map(OutputRecord.from_json, entry["outputs"]) if r is not None]
        files = {r.path: r for r in records}
        animations = {r.output for r in records if r.kind == "animation"}
        derived = {stem + suffix for stem in animations for suffix in (FILMSTRIP, POSTER)}
        # an explorable (an interactive page, which a deck cannot hold) is shown as its still, its poster
        explorables = {
            r.output: r.output[: -len(POSTER)]
            for r in records
            if r.kind == "poster" and r.output.endswith(POSTER) and r.output not in derived
        }
        shown = [
            r
            for r in records
            if (r.kind in ("animation", "still") and r.output not in derived) or r.output in explorables
        ]
        stems = list(dict.fromkeys(r.output for r in shown))
        for stem in stems:
            wanted = ("mp4" if video else "gif") if stem in animations else "png"
            record = next((r for r in shown if r.output == stem and r.format == wanted), None)
            if record is None:
                raise FiggenError(f"recipe {name} wrote no {stem}.{wanted} in {folder}")
            notes = _notes(entry)
            if stem in explorables:
                page = explorables[stem]
                notes = (
                    f"An interactive page in the docs and the gallery ({page}.html, which works offline "
                    f"from a file: figgen build {name} writes it); here, its first state.\n\n{notes}"
                )
            poster = None
            if record.format == "mp4":  # the build wrote its poster with the PNGs (VIDEO_FORMATS)
                still = files.get(f"{stem}{POSTER}.png")
                if still is None:
                    raise FiggenError(f"recipe {name} wrote no {stem}{POSTER}.png in {folder}")
                poster = folder / still.path
            shown_as = explorables.get(stem, stem)
            title = entry["title"] if len(stems) == 1 else f"{entry['title']} ({shown_as})"
            slides.append(
                Slide(
                    title=title,
                    recipe=name,
                    output=stem,
                    path=folder / record.path,
                    format=record.format,
                    alt=record.alt,
                    notes=notes,
                    size=(record.width, record.height),
                    poster=poster,
                )
            )
    return slides


def _notes(entry: dict) -> str:
    """The speaker notes: the recipe's description (its ``literals`` as plain text), then its parameters,
    one a line, and what built it."""
    lines = [re.sub(r"``(.+?)``", r"\1", entry["description"]), "", "Parameters:"]  # ``code``: plain text
    for key, value in entry["params"].items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{key} = {shown}")
    built = f"Built by figgen {__version__}: theme {entry['theme']}, preset {entry['preset']}"
    lines += ["", f"{built}, data {entry['data']['source']} ({entry['data']['fingerprint'][:12]})."]
    return "\n".join(lines)


def slide_size(preset: str) -> tuple[int, int]:
    """The slide's width and height in EMU: 4:3 for a preset of that shape, else 16:9 (7.5 inches high)."""
    chosen = get_preset(preset)
    height = EMU_PER_INCH * 15 // 2
    if chosen.height and abs(chosen.width / chosen.height - 4 / 3) < 0.01:
        return height * 4 // 3, height
    return height * 16 // 9, height


def write_deck(path: Path, slides: list[Slide], options: BuildOptions, folder: Path) -> Deck:
    """Write the deck of ``slides`` to ``path`` atomically, in the colours of the options' theme."""
    from figgen.files.atomic import atomic_path, environment_error

    if not slides:
        raise FiggenError(f"no figures to put in {path}: the recipe folder has no recipes")

    presentation = _presentation(slides, options)
    unsigned = io.BytesIO()
    presentation.save(unsigned)
    with zipfile.ZipFile(unsigned) as package:
        digest = _parts_digest(package)
    presentation.core_properties.identifier = f"figgen-deck sha256:{digest}"
    try:
        make_folder(path.parent, named=True)
        # checked again now (the build took a while): only the deck seen here, unchanged, or nothing
        with atomic_path(path, replaces=replaceable(path)) as tmp:
            presentation.save(str(tmp))
            if signature(tmp) != digest:  # python-pptx wrote other parts the second time
                raise RuntimeError(f"the deck's parts changed between two saves of {path}")
    except OSError as exc:
        raise environment_error(exc, str(path)) from None
    width, height = slide_size(options.preset)
    return Deck(path, slides, folder, width, height)


def _presentation(slides: list[Slide], options: BuildOptions) -> Presentation:
    from pptx import Presentation as new_presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu

    theme = get_theme(options.theme, options.palette, options.background)
    background = theme.slide or ((255, 255, 255) if theme.transparent else theme.background[:3])
    ink = theme.foreground if not theme.transparent or theme.slide else (40, 40, 40)
    presentation = new_presentation()
    presentation.core_properties.title = "Figures"
    presentation.core_properties.author = presentation.core_properties.last_modified_by = "figgen"
    width, height = slide_size(options.preset)
    presentation.slide_width, presentation.slide_height = Emu(width), Emu(height)
    layout = presentation.slide_layouts[5]  # Title Only: a real title, which outlines and readers use
    for shown in slides:
        slide = presentation.slides.add_slide(layout)
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = RGBColor(*background)
        _title(slide, shown.title, width, RGBColor(*ink))
        _figure(slide, shown, width, height)
        slide.notes_slide.notes_text_frame.text = shown.notes
    return presentation


def _title(slide: PptxSlide, text: str, width: int, ink) -> None:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Emu, Pt

    title = slide.shapes.title
    assert title is not None  # the Title Only layout has one
    title.left, title.top = Emu(MARGIN), Emu(MARGIN // 2)
    title.width, title.height = Emu(width - 2 * MARGIN), Emu(TITLE_HEIGHT)
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(28 if len(text) <= 60 else 22)
            run.font.color.rgb = ink


def _figure(slide: PptxSlide, shown: Slide, width: int, height: int) -> None:
    """The picture or movie, as large as the slide below the title allows, its aspect kept, centred."""
    from pptx.util import Emu

    pixels = shown.size
    top = MARGIN // 2 + TITLE_HEIGHT + MARGIN // 2
    box_w, box_h = width - 2 * MARGIN, height - top - MARGIN
    scale = min(box_w / pixels[0], box_h / pixels[1])
    w, h = round(pixels[0] * scale), round(pixels[1] * scale)
    place = Emu((width - w) // 2), Emu(top + (box_h - h) // 2), Emu(w), Emu(h)
    if shown.format == "mp4":
        poster = str(shown.poster) if shown.poster else None  # the movie's own frame, its shape
        element = slide.shapes.add_movie(
            str(shown.path), *place, poster_frame_image=poster, mime_type="video/mp4"
        )._element
    else:
        element = slide.shapes.add_picture(str(shown.path), *place)._element
    for name in element.xpath("./p:nvPicPr/p:cNvPr"):  # the alt text PowerPoint and readers show
        name.set("descr", shown.alt)
