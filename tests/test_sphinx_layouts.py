"""figgen.sphinx as a user runs it: the README's conf.py and pages copied verbatim into a new folder,
built with the real sphinx-build (a fresh process, figgen's own cache lookup: no $FIGGEN_CACHE) in both
usual layouts: from the project root (``sphinx-build docs docs/_build``) and from ``docs/``
(sphinx-quickstart's Makefile layout, ``sphinx-build . _build``). Each builds with ``-W``, leaves the source
folder as it was (figgen trains and builds in Sphinx's doctrees folder), and builds again reading nothing.
Then, on the root layout's doctrees: LaTeX and EPUB get stills (files in the book, with the caption),
singlehtml and dirhtml play. And a figure that cannot be built is an error that fails ``-W``, naming the
page, the line and why."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from tests._readme import project

pytestmark = pytest.mark.docs

QUICK = ["-D", "figgen_quick=1"]  # the README's example, at --quick sizes
PAGES = ("docs/conf.py", "docs/index.rst", "docs/tutorial.md")
SEED = "shared-cache"  # conftest's shared training cache: its entries spare a cold training here


def sphinx_build(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m sphinx`` in ``cwd`` with figgen's own cache lookup (no $FIGGEN_CACHE)."""
    env = {k: v for k, v in os.environ.items() if k != "FIGGEN_CACHE"}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "--no-color", "-W", *QUICK, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def listing(folder: Path, *, skip: str = "_build") -> list[str]:
    """Every path under ``folder`` but those under ``skip`` (Sphinx's own output folder)."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if skip not in p.relative_to(folder).parts
    )


def seed(training: Path, cache: Path) -> None:
    """Copy trained models (``*.npz``) into the cache a build will use: it draws, but trains nothing again."""
    if training.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        for entry in training.glob("*.npz"):
            shutil.copy2(entry, cache / entry.name)


def built(folder: Path, build: subprocess.CompletedProcess) -> dict:
    """A layout's first and second build, checked: clean ``-W`` build, figures in the pages."""
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr and "ERROR" not in build.stderr, build.stderr
    index, tutorial = (folder / "index.html").read_text(), (folder / "tutorial.html").read_text()
    shown = re.findall(r'<(?:img|iframe|video)[^>]* src="([^"]+)"', index + tutorial)
    assert len(shown) == 5, shown  # the README's five figures, none missing
    for src in shown:
        assert (folder / src).is_file(), src
    return {"index": index, "tutorial": tutorial}


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """The README's example built twice in each layout; returns the roots and the second builds' logs."""
    base = tmp_path_factory.mktemp("layouts")
    training = tmp_path_factory.getbasetemp() / SEED
    found: dict = {}
    for name, cwd, args, doctrees in [
        ("root", ".", ["docs", "docs/_build"], "docs/_build/.doctrees"),
        ("docs", "docs", [".", "_build"], "docs/_build/.doctrees"),
    ]:
        root = project(base / name, *PAGES)
        seed(training if name == "root" else found["root"]["cache"], root / doctrees / "figgen")
        before = {"project": listing(root, skip="docs"), "docs": listing(root / "docs")}
        first = sphinx_build(root / cwd, *args)
        built(root / "docs/_build", first)
        after = {"project": listing(root, skip="docs"), "docs": listing(root / "docs")}
        second = sphinx_build(root / cwd, *args)
        assert second.returncode == 0, second.stderr
        found[name] = {
            "root": root,
            "before": before,
            "after": after,
            "second": second.stdout,
            "cache": root / doctrees / "figgen",
        }
    return found


@pytest.mark.parametrize("layout", ["root", "docs"])
def test_the_readme_example_builds_in_both_layouts_without_touching_the_sources(layouts, layout):
    found = layouts[layout]
    assert found["after"] == found["before"]  # nothing new beside conf.py and the pages, nor in the project
    cache = found["cache"]
    assert list(cache.glob("*.npz")) and list((cache / "sphinx").glob("*/manifest.json"))  # figgen's work
    assert not list(found["root"].rglob(".figgen-cache"))  # no cache of figgen's default name anywhere


@pytest.mark.parametrize("layout", ["root", "docs"])
def test_a_second_build_reads_nothing(layouts, layout):
    log = layouts[layout]["second"]
    assert "0 added, 0 changed, 0 removed" in log and "reading sources... [" not in log, log
    assert "no targets are out of date" in log, log


@pytest.fixture(scope="module")
def books(layouts):
    """LaTeX, EPUB, singlehtml and dirhtml from the root layout's doctrees (as ``make latexpdf`` shares them:
    no page is read again, nothing trained or drawn)."""
    root = layouts["root"]["root"]
    doctrees = ["-d", "docs/_build/.doctrees"]
    logs = {}
    for builder in ("latex", "epub", "singlehtml", "dirhtml"):
        extra = ["-D", "version=1", "-D", "copyright=2026"] if builder == "epub" else []  # EPUB3 wants them
        done = sphinx_build(root, "-b", builder, *doctrees, *extra, "docs", f"docs/_build/{builder}")
        assert done.returncode == 0, done.stderr
        logs[builder] = done.stdout
    return root / "docs/_build", logs


def test_latex_gets_each_animation_as_its_filmstrip_with_the_caption(books):
    out, logs = books
    assert "0 added, 0 changed, 0 removed" in logs["latex"]  # the HTML build's pages, read once
    (tex,) = (out / "latex").glob("*.tex")
    text = tex.read_text()
    pictures = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", text)
    assert len(pictures) == 5, pictures  # every figure a picture; no italic alt text in place of one
    for stem, suffix in pictures:
        assert (out / "latex" / f"{stem}{suffix}").is_file(), stem
    figures = re.findall(r"\\begin\{figure\}.*?\\end\{figure\}", text, re.S)
    (player,) = [f for f in figures if "{{weights_evolution_filmstrip}.png}" in f]
    assert "[height=0.75\\textheight]{{weights_evolution_filmstrip}" in player  # room for the caption
    assert "\\caption{Each frame is a model trained on more examples.}" in player
    assert "sphinxstyleemphasis{The ten weight sheets" not in text


def test_epub_holds_every_image_it_shows_and_no_player(books):
    out, _ = books
    (book,) = (out / "epub").glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        names = set(epub.namelist())
        pages = {n: epub.read(n).decode() for n in names if n.endswith(".xhtml")}
    text = "".join(pages.values())
    assert "<iframe" not in text and "<video" not in text
    shown = [
        str(PurePosixPath(os.path.normpath(PurePosixPath(page).parent / src)))
        for page, xhtml in pages.items()
        for src in re.findall(r'<img [^>]*src="([^"]+)"', xhtml)
    ]
    assert len(shown) == 5 and all(src in names for src in shown), (shown, names)
    assert "_images/weights_evolution_filmstrip.png" in shown
    assert "Each frame is a model trained on more examples." in pages["tutorial.xhtml"]


@pytest.mark.parametrize("builder", ["singlehtml", "dirhtml"])
def test_singlehtml_and_dirhtml_play(books, builder):
    out = books[0] / builder
    page = out / ("index.html" if builder == "singlehtml" else "tutorial/index.html")
    html = page.read_text()
    players = re.findall(r'<iframe class="figgen-player" src="([^"]+)"', html)
    assert players, html
    for src in players:
        assert (page.parent / src).is_file(), src


def test_a_figure_that_cannot_be_built_fails_the_build_at_its_line(tmp_path):
    docs = tmp_path / "site" / "docs"
    docs.mkdir(parents=True)
    (docs / "conf.py").write_text(
        'project = "x"\nextensions = ["figgen.sphinx"]\nfiggen_recipes = "../recipes"\n'
    )
    (docs / "index.rst").write_text("Figures\n=======\n\n.. figgen:: softmax\n")
    done = sphinx_build(tmp_path, "site/docs", "site/docs/_build")  # from elsewhere: conf.py's folder counts
    assert done.returncode != 0
    where = docs / "index.rst"
    assert (
        f"{where}:4: ERROR: figgen: recipe folder {tmp_path / 'site/recipes'} does not exist" in done.stderr
    )
    assert "build finished with problems, 1 warning (with warnings treated as errors)" in done.stdout
