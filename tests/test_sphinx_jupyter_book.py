"""figgen.sphinx in Jupyter Book 1: the README's _config.yml, _toc.yml and intro.md copied verbatim into a new
folder and built with the real ``jupyter-book build`` (HTML, then LaTeX from the same doctrees).

Jupyter Book 1 pins Sphinx 7 and myst-parser 3, older than the docs extra's, so it cannot live in the test
environment: this test runs where ``$FIGGEN_JUPYTER_BOOK`` names the ``jupyter-book`` of an environment that
has it and figgen (and is skipped, and reported, elsewhere). Such an environment, beside the project's:

    python -m venv /tmp/jb && /tmp/jb/bin/pip install 'jupyter-book<2'
    # figgen and its dependencies from the project's environment, after Jupyter Book's own Sphinx:
    site=/tmp/jb/lib/python3.11/site-packages
    printf '%s\\n' "$PWD" "$PWD/.venv/lib/python3.11/site-packages" > $site/zz-figgen.pth
    FIGGEN_JUPYTER_BOOK=/tmp/jb/bin/jupyter-book .venv/bin/python -m pytest tests/test_sphinx_jupyter_book.py
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests._readme import examples, project

pytestmark = pytest.mark.docs

JUPYTER_BOOK = os.environ.get("FIGGEN_JUPYTER_BOOK")


@pytest.mark.skipif(
    not JUPYTER_BOOK, reason="$FIGGEN_JUPYTER_BOOK names no jupyter-book 1 (see the docstring)"
)
def test_the_readme_book_builds_with_jupyter_book_1(tmp_path):
    root = project(tmp_path / "book", "_config.yml", "_toc.yml", "intro.md")
    config = (root / "_config.yml").read_text()
    assert config.endswith(
        "    figgen_recipes: recipes  # relative to the book's folder, where _config.yml is\n"
    )
    (root / "_config.yml").write_text(config + "    figgen_quick: true\n")  # quick sizes, for the test
    env = {k: v for k, v in os.environ.items() if k != "FIGGEN_CACHE"}  # the book's own place for figgen
    for builder in ("html", "latex"):
        done = subprocess.run(
            [str(JUPYTER_BOOK), "build", ".", "--builder", builder, "--warningiserror"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    page = (root / "_build/html/intro.html").read_text()
    # sphinx-book-theme has a dark mode: the player and the still each in figgen's light and dark themes
    assert page.count("figgen-pair") == 2 and 'class="figgen-player only-dark"' in page
    for src in re.findall(r'<(?:img|iframe)[^>]* src="([^"]+)"', page):
        assert (root / "_build/html" / src).is_file(), src
    assert list((root / "_build/.doctrees/figgen").glob("*.npz"))  # figgen's work, beside the doctrees
    assert sorted(p.name for p in root.iterdir()) == [
        "_build",
        "_config.yml",
        "_toc.yml",
        "intro.md",
        "recipes",
    ]
    (tex,) = (root / "_build/latex").glob("*.tex")
    assert "{{weights_evolution_filmstrip}.png}" in tex.read_text()
    assert (root / "_build/latex/weights_evolution_filmstrip.png").is_file()


def test_the_readme_book_loads_figgen_the_way_jupyter_book_1_reads_it():
    """Where no Jupyter Book 1 is at hand: its _config.yml names the extension where Jupyter Book 1 reads
    Sphinx extensions, and its page uses the directive in MyST's syntax."""
    import yaml

    (config,) = examples("_config.yml")
    assert "figgen.sphinx" in yaml.safe_load(config)["sphinx"]["extra_extensions"]
    (page,) = examples("intro.md")
    assert re.search(r"^```\{figgen\} weights_evolution$", page, re.M)
