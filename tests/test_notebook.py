"""figgen.show: the README's notebook cells run on a real Jupyter kernel (nbclient), and what the displayed
object gives a notebook for each kind of output."""

from __future__ import annotations

import base64
import html
import re

import nbformat
import pytest
from nbclient import NotebookClient

import figgen
from tests._readme import examples, project

pytestmark = pytest.mark.docs


def test_the_readme_cells_display_the_player_and_a_still_with_their_alt_texts(tmp_path, shared_cache):
    root = project(tmp_path / "course")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in examples("notebook.ipynb")]
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(root)}}
    )
    client.execute()
    (player,) = notebook.cells[0].outputs
    (still,) = notebook.cells[1].outputs
    assert player.output_type == still.output_type == "execute_result"
    # the plain text is "<figgen recipe/file: size> alt text"
    player_alt, still_alt = (shown.data["text/plain"].split("> ", 1)[1] for shown in (player, still))
    page = player.data["text/html"]
    assert page.startswith('<iframe class="figgen-player" srcdoc="') and "figgenPlayerResize" in page
    assert f'title="{html.escape(player_alt)}"' in page and "frames>" in player.data["text/plain"]
    assert "The ten weight sheets, red for pixels that vote for a class" in player_alt
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', page).group(1))
    assert srcdoc.startswith("<!DOCTYPE html>") and f'aria-label="{html.escape(player_alt)}"' in srcdoc
    assert still.data["image/svg+xml"].lstrip().startswith("<?xml")
    assert f'alt="{html.escape(still_alt)}"' in still.data["text/html"] and still_alt.startswith("Bar charts")


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
    video = figgen.show("blink", format="mp4")._repr_mimebundle_()
    assert (
        video["text/html"].startswith('<video src="data:video/mp4;base64,')
        and "aria-label=" in video["text/html"]
    )
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
