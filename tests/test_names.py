"""Output names that collide are refused when the build plans, before any work, in one line naming both
writers and the file: two recipes writing one file, a recipe writing one file twice, a recipe writing a name
figgen keeps for itself (manifest.json, index.html, its hidden files), and a recipe writing a file the folder
records for another recipe (a build of ``a`` alone never overwrites ``b``'s files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from figgen.builder.manifest import read_manifest
from figgen.cli import main
from tests.conftest import BLINK, SQUARE, write_recipe


def build(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", "--out", "out", *args])
    return code, capsys.readouterr().err


def refused(capsys, message: str, *args: str) -> None:
    """The build exits 2 with one line, ``message``, and writes nothing anywhere."""
    code, err = build(capsys, *args)
    assert (code, err) == (2, f"figgen: error: {message}\n")


def test_two_recipes_writing_one_file_are_refused(project, capsys):
    write_recipe(project / "recipes", "tile", SQUARE)  # its still is named square too
    message = (
        "recipes square and tile both write square.png (each its still square); rename one in its OUTPUTS"
    )
    refused(capsys, message)
    assert not (project / "out").exists()
    refused(capsys, message, "tile")  # a build of one of them alone, too: the other may be built next
    refused(capsys, message, "tile", "--formats", "png")
    (project / "recipes" / "tile.py").unlink()
    assert main(["build", "--out", "out"]) == 0


def test_a_still_named_like_an_animations_filmstrip_is_refused(project, capsys):
    write_recipe(project / "recipes", "strip", SQUARE.replace('"square"', '"blink_filmstrip"'))
    refused(
        capsys,
        "recipes blink and strip both write blink_filmstrip.png (blink: the filmstrip of its animation "
        "blink; strip: its still blink_filmstrip); rename one in its OUTPUTS",
    )
    assert not (project / "out").exists()
    assert main(["build", "--out", "out", "--formats", "gif,svg"]) == 0  # these formats share no name


def test_one_recipe_writing_one_file_twice_is_refused(project, capsys):
    source = BLINK.replace(
        'OUTPUTS = {"blink": "animation"}', 'OUTPUTS = {"blink": "animation", "blink_filmstrip": "still"}'
    )
    write_recipe(project / "recipes", "blink", source)
    refused(
        capsys,
        "recipe blink writes blink_filmstrip.png twice (the filmstrip of its animation blink; its still "
        "blink_filmstrip); rename one in its OUTPUTS",
        "blink",
    )


@pytest.mark.parametrize("gallery", [[], ["--no-gallery"]])
def test_an_animation_named_index_would_be_the_gallery_and_is_refused(project, capsys, gallery):
    """index.html is the gallery's, even without a gallery: turning it on later finds no player there."""
    write_recipe(project / "recipes", "home", BLINK.replace('"blink"', '"index"'))
    refused(
        capsys,
        "recipe home writes index.html (its animation index), a name figgen keeps for the gallery page "
        "(even with gallery = false); rename it in its OUTPUTS",
        "home",
        *gallery,
    )
    assert not (project / "out").exists()
    assert main(["build", "--out", "out", "home", "--formats", "gif", *gallery]) == 0  # no player, no clash


def test_a_file_the_folder_records_for_another_recipe_is_not_overwritten(project, capsys):
    """Recipes from another folder build into the same output folder: the folder's manifest says square.png
    is recipe square's, so recipe tile (elsewhere) may not replace it, though figgen wrote its bytes."""
    assert main(["build", "--out", "out", "square"]) == 0
    before = (project / "out" / "square.png").read_bytes()
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    write_recipe(elsewhere, "tile", SQUARE.replace('"LEVEL": 0.5', '"LEVEL": 0.9'))
    refused(
        capsys,
        f"recipe tile writes square.png, which {Path('out') / 'manifest.json'} records for recipe square; "
        "rename the output, or build into another folder",
        "--recipes",
        str(elsewhere),
    )
    assert (project / "out" / "square.png").read_bytes() == before
    assert set(read_manifest(project / "out")["recipes"]) == {"square"}


def test_a_file_recorded_for_a_recipe_that_no_longer_writes_it_waits_for_that_recipe(project, capsys):
    """Moving an output from one recipe to another: the new writer waits until the old one, rebuilt, has
    let the file go (its manifest entry no longer records it)."""
    assert main(["build", "--out", "out", "square"]) == 0
    source = project / "recipes" / "square.py"
    source.write_text(source.read_text().replace('"square"', '"plain"'))  # square's still is now plain
    write_recipe(project / "recipes", "tile", SQUARE)  # tile's still is square
    refused(
        capsys,
        f"recipe tile writes square.png, which {Path('out') / 'manifest.json'} records for recipe square; "
        "build square first (it no longer writes square.png)",
        "tile",
    )
    assert main(["build", "--out", "out", "square"]) == 0
    assert main(["build", "--out", "out", "tile"]) == 0
    recipes = read_manifest(project / "out")["recipes"]
    assert [o["path"] for o in recipes["tile"]["outputs"]] == ["square.png", "square.svg"]
    assert [o["path"] for o in recipes["square"]["outputs"]] == ["plain.png", "plain.svg"]
