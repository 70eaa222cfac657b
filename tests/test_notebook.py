"""figgen.show: the README's notebook cells run on a real Jupyter kernel (nbclient), and what the displayed
object gives a notebook for each kind of output."""

from __future__ import annotations

import base64
import html
import io
import re
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from PIL import Image

import figgen
from figgen.writers._frame import HOST_SCRIPT
from tests._readme import examples, project

pytestmark = pytest.mark.docs


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The README's notebook cells run on a real kernel in a project folder outside the repository, saved
    there as notebook.ipynb."""
    root = project(tmp_path_factory.mktemp("notebook") / "course")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in examples("notebook.ipynb")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIGGEN_CACHE", str(tmp_path_factory.getbasetemp() / "shared-cache"))
        client = NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}
        )
        client.execute()
    nbformat.write(notebook, root / "notebook.ipynb")
    return root, notebook


def nbconvert(root, to: str) -> subprocess.CompletedProcess:
    """The real ``jupyter nbconvert --to TO notebook.ipynb``, run in the project folder."""
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", to, "notebook.ipynb"]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_the_readme_cells_display_the_player_and_a_still_with_their_alt_texts(executed):
    root, notebook = executed
    (player,) = notebook.cells[0].outputs
    (still,) = notebook.cells[1].outputs
    assert player.output_type == still.output_type == "execute_result"
    # the plain text is "<figgen recipe/file: size> alt text"
    player_alt, still_alt = (shown.data["text/plain"].split("> ", 1)[1] for shown in (player, still))
    page = player.data["text/html"]
    assert page.startswith('<iframe class="figgen-player" srcdoc="') and page.endswith(HOST_SCRIPT)
    assert f'title="{html.escape(player_alt)}"' in page and "frames>" in player.data["text/plain"]
    assert "The ten weight sheets, red for pixels that vote for a class" in player_alt
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert srcdoc.startswith("<!DOCTYPE html>") and f'aria-label="{html.escape(player_alt)}"' in srcdoc
    assert still.data["image/svg+xml"].lstrip().startswith("<?xml")
    assert f'alt="{html.escape(still_alt)}"' in still.data["text/html"] and still_alt.startswith("Bar charts")
    # and a picture for a renderer without scripts: the animation's poster, the SVG's PNG and PDF
    poster = Image.open(io.BytesIO(base64.b64decode(player.data["image/png"])))
    assert poster.format == "PNG" and poster.size[0] == 800
    png = Image.open(io.BytesIO(base64.b64decode(still.data["image/png"])))
    assert png.format == "PNG" and base64.b64decode(still.data["application/pdf"]).startswith(b"%PDF")


def test_nbconvert_to_latex_includes_a_picture_of_every_figure_and_html_keeps_the_player(executed):
    """Before, LaTeX had nothing for the player and failed on the SVG: 'Inkscape executable not found'."""
    root, notebook = executed
    nbconvert(root, "latex")
    tex = (root / "notebook.tex").read_text()
    pictures = re.findall(r"\\adjustimage\{[^\n]*\}\{([^}]+)\}", tex)  # nbconvert's image macro
    assert len(pictures) == 2, pictures  # one a cell: the player's poster (PNG), the still's PDF (vector)
    player, still = (root / name for name in pictures)
    assert player.suffix == ".png" and still.suffix == ".pdf"
    assert player.read_bytes() == base64.b64decode(notebook.cells[0].outputs[0].data["image/png"])
    assert still.read_bytes().startswith(b"%PDF")
    nbconvert(root, "html")
    page = (root / "notebook.html").read_text()
    players = re.findall(r'<iframe class="figgen-player"[^>]*srcdoc="&lt;!DOCTYPE html&gt;', page)
    assert len(players) == 1 and '<img src="data:image/png' not in page  # the player, not its poster


def test_each_format_gives_the_notebook_html_with_the_alt_text_and_the_raw_file(project):
    square = figgen.show("square", format="png")
    assert square.path == square.output.path and square.path.is_file() and square.alt.startswith("A gray")
    bundle = square._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == square.path.read_bytes()
    assert bundle["text/html"].startswith('<img src="data:image/png;base64,')
    assert 'alt="A gray square of 40 pixels."' in bundle["text/html"]
    assert repr(square) == "<figgen square/square.png: 40x40 px>"
    assert set(square._repr_mimebundle_(include={"image/png"})) == {"image/png"}
    assert "image/png" not in square._repr_mimebundle_(exclude={"image/png"})
    shown = figgen.show("blink", format="mp4")
    video = shown._repr_mimebundle_()
    assert (
        video["text/html"].startswith('<video src="data:video/mp4;base64,')
        and "aria-label=" in video["text/html"]
    )
    # its poster: the last frame, in the video tag (shown before it plays) and as the image fallback
    assert shown.poster == shown.path.with_name("blink_poster.png") and shown.poster.is_file()
    assert f'poster="data:image/png;base64,{video["image/png"]}"' in video["text/html"]
    last = np.asarray(Image.open(shown.poster).convert("RGB"))
    assert last.shape == (28, 28, 3) and (last == 255).all()  # blink ends blank: on, off, on, off
    player = figgen.show("blink")._repr_mimebundle_()
    assert base64.b64decode(player["image/png"]) == shown.poster.read_bytes()  # the same build's poster
    svg = figgen.show("square", format="svg")._repr_mimebundle_()
    assert svg["image/svg+xml"].lstrip().startswith("<?xml") and set(svg) >= {"image/png", "application/pdf"}
    strip = figgen.show("blink", "blink_filmstrip")  # a filmstrip still: PNG
    assert strip.output.kind == "filmstrip" and strip.path.suffix == ".png"
    again = figgen.show("square", format="png", SIDE=12)  # a parameter, as --set; served from the cache
    assert again.output.width == 12 and again.output.status == "built"
    assert figgen.show("square", format="png", SIDE=12).output.status == "up to date"
    with pytest.raises(figgen.FiggenError, match="^blink/blink is an animation: format 'png' is not one of"):
        figgen.show("blink", format="png")
    with pytest.raises(figgen.FiggenError, match="recipe 'square' has no parameter 'SIDES'"):
        figgen.show("square", SIDES=3)
    assert (project / "cache" / "notebook").is_dir() and not (project / "output").exists()
