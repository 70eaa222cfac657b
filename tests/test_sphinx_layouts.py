"""figgen.sphinx as a user runs it: the README's conf.py and pages copied verbatim into a new folder,
built with the real sphinx-build (a fresh process, figgen's own cache lookup: no $FIGGEN_CACHE) in both
usual layouts: from the project root (``sphinx-build docs docs/_build``) and from ``docs/``
(sphinx-quickstart's Makefile layout, ``sphinx-build . _build``). Each builds with ``-W``, leaves the source
folder as it was (figgen trains and builds in Sphinx's doctrees folder), and builds again reading nothing
(about a second, importing neither TensorFlow nor matplotlib); a recipe's edit reads exactly its page again.
Then, on the root layout's doctrees: LaTeX and EPUB get stills (files in the book, with the caption),
singlehtml and dirhtml play. And a figure that cannot be built is an error that fails ``-W``, naming the
page, the line and why."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from tests._readme import project

pytestmark = pytest.mark.docs

QUICK = ["-D", "figgen_quick=1"]  # the README's example, at --quick sizes
PAGES = ("docs/conf.py", "docs/index.rst", "docs/tutorial.md")
SEED = "shared-cache"  # conftest's shared training cache: its entries spare a cold training here


# sphinx-build as ``python -m sphinx`` runs it, then a last line: the modules it imported that a build with
# nothing to do must not (a warm build takes about a second: no TensorFlow, no matplotlib)
SPHINX_BUILD = """
import json, sys
from sphinx.cmd.build import build_main
code = build_main(sys.argv[1:])
print(json.dumps([m for m in ("tensorflow", "matplotlib") if m in sys.modules]))
sys.exit(code)
"""


def sphinx_build(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """sphinx-build in ``cwd``, in a fresh process, with figgen's own cache lookup (no $FIGGEN_CACHE)."""
    env = {k: v for k, v in os.environ.items() if k != "FIGGEN_CACHE"}
    return subprocess.run(
        [sys.executable, "-c", SPHINX_BUILD, "--no-color", "-W", *QUICK, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def heavy(done: subprocess.CompletedProcess) -> list[str]:
    return json.loads(done.stdout.strip().splitlines()[-1])


def recorded_alt(cache: Path, recipe: str, output: str, fmt: str) -> str:
    """The alt text figgen recorded for an output built for the pages."""
    for manifest in (cache / "sphinx").glob(f"{recipe}-*/manifest.json"):
        for record in json.loads(manifest.read_text())["outputs"]:
            if (record["output"], record["format"]) == (output, fmt):
                return record["alt"]
    raise AssertionError(f"no {output}.{fmt} built")


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


def check_pages(folder: Path, build: subprocess.CompletedProcess, cache: Path) -> None:
    """A layout's first build: clean with ``-W``, the README's figures in the pages with their alt texts
    and captions, and only what the pages show copied into the site."""
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr and "ERROR" not in build.stderr, build.stderr
    index, tutorial = (folder / "index.html").read_text(), (folder / "tutorial.html").read_text()
    shown = re.findall(r'<(?:img|iframe|video)[^>]* src="([^"]+)"', index + tutorial)
    assert len(shown) == 5, shown  # the README's five figures, none missing
    for src in shown:
        assert (folder / src).is_file(), src
    softmax_alt = recorded_alt(cache, "softmax", "softmax", "svg")
    assert f'alt="{softmax_alt}"' in index and 'width="600"' in index  # the recipe's alt text
    assert 'alt="Four key frames of gradient descent with four learning rates."' in index  # :alt: wins
    assert "Gradient descent on y = x²: drag the slider" in index  # :caption:
    player_alt = recorded_alt(cache, "weights_evolution", "weights_evolution", "html")
    assert f'title="{player_alt}"' in tutorial
    assert "Each frame is a model trained on more examples." in tutorial
    # two images (SVG for HTML; not the stills other builders show, which take the plain names: this one is
    # numbered), two players and one video
    images = sorted(p.name for p in (folder / "_images").iterdir())
    assert len(images) == 2 and re.fullmatch(r"gradient_descent_filmstrip\d*\.png", images[0]), images
    assert images[1] == "softmax.svg"
    downloads = sorted(p.name for p in (folder / "_downloads").rglob("*") if p.is_file())
    assert downloads == [  # the video's poster travels with it
        "gradient_descent.html",
        "gradient_descent.mp4",
        "gradient_descent_poster.png",
        "weights_evolution.html",
    ]


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
        if name == "docs":  # the project's figgen.toml, which figgen build reads, beside docs/
            (root / "figgen.toml").write_text('theme = "dark"\n')
        seed(training if name == "root" else found["root"]["cache"], root / doctrees / "figgen")
        before = {"project": listing(root, skip="docs"), "docs": listing(root / "docs")}
        started = time.perf_counter()
        first = sphinx_build(root / cwd, *args)
        cold = time.perf_counter() - started
        check_pages(root / "docs/_build", first, root / doctrees / "figgen")
        after = {"project": listing(root, skip="docs"), "docs": listing(root / "docs")}
        started = time.perf_counter()
        second = sphinx_build(root / cwd, *args)
        warm = time.perf_counter() - started
        assert second.returncode == 0, second.stderr
        print(f"sphinx ({name} layout): cold {cold:.1f} s, warm {warm:.2f} s", file=sys.__stderr__)
        found[name] = {
            "root": root,
            "before": before,
            "after": after,
            "second": second,
            "warm": warm,
            "cache": root / doctrees / "figgen",
        }
    # an edit of one recipe, now: newer than the pages as last read, older than when they are read again
    # (a time in the future made the next build, if it came within it, read the page once more)
    os.utime(found["root"]["root"] / "recipes/softmax.py")
    found["edit"] = sphinx_build(found["root"]["root"], "docs", "docs/_build")
    return found


@pytest.mark.parametrize("layout", ["root", "docs"])
def test_the_readme_example_builds_in_both_layouts_without_touching_the_sources(layouts, layout):
    found = layouts[layout]
    assert found["after"] == found["before"]  # nothing new beside conf.py and the pages, nor in the project
    cache = found["cache"]
    assert list(cache.glob("*.npz")) and list((cache / "sphinx").glob("*/manifest.json"))  # figgen's work
    assert not list(found["root"].rglob(".figgen-cache"))  # no cache of figgen's default name anywhere


def test_run_from_docs_the_project_figgen_toml_counts(layouts):
    """sphinx-build in docs/ reads the figgen.toml of the project (conf.py's parent folder), as figgen build
    in the project does; from the root it is figgen's own lookup (there is none in the root layout)."""
    for layout, theme in (("docs", "dark"), ("root", "light")):
        (manifest,) = (layouts[layout]["cache"] / "sphinx").glob("softmax-*/manifest.json")
        assert json.loads(manifest.read_text())["recipes"]["softmax"]["theme"] == theme, layout


@pytest.mark.parametrize("layout", ["root", "docs"])
def test_a_second_build_reads_nothing(layouts, layout):
    second = layouts[layout]["second"]
    log = second.stdout
    assert "0 added, 0 changed, 0 removed" in log and "reading sources... [" not in log, log
    assert "no targets are out of date" in log, log
    assert heavy(second) == []  # nothing rebuilt (how long it takes: printed above, not a timed test)


def test_a_recipe_edit_reads_again_exactly_the_page_that_shows_it(layouts):
    edit = layouts["edit"]
    assert edit.returncode == 0, edit.stderr
    assert "0 added, 1 changed, 0 removed" in edit.stdout, edit.stdout
    assert re.search(r"reading sources\.\.\. \[100%\] index", edit.stdout)


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
