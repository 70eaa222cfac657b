"""figgen: the figures and animations of the MNIST softmax-regression tutorial, rebuilt from real runs.

The public Python API (see the README, "Python API"):

- :func:`build` recipes into a folder and get back every output (path, format, size, frames, alt text);
- :func:`run_recipe` builds one recipe and returns its outputs;
- :func:`list_recipes` reads the recipes without running them (figgen's own and yours);
- :func:`copy_recipes` copies figgen's recipes into your ``recipes/``, to change them;
- :func:`load_dataset` loads a data set; :func:`train` trains the text's model (cached);
- :func:`clean` removes what builds wrote;
- :func:`deck` writes a PowerPoint deck of the figures, one per slide;
- :func:`show` displays a recipe's output in a Jupyter notebook (the player for an animation).

For docs: the Sphinx extension ``figgen.sphinx`` and the MkDocs plugin ``figgen`` (see the README).

Everything else is private to figgen and may change (``dir(figgen)`` lists the public names only). ``import
figgen`` loads no heavy module.
"""

from figgen._version import __version__
from figgen.api import build, clean, copy_recipes, deck, list_recipes, load_dataset, run_recipe, train
from figgen.core.errors import FiggenError
from figgen.integrations.notebook import show

__all__ = [
    "FiggenError",
    "__version__",
    "build",
    "clean",
    "copy_recipes",
    "deck",
    "list_recipes",
    "load_dataset",
    "run_recipe",
    "show",
    "train",
]


def __dir__() -> list[str]:
    """The public names: the subpackages imported on the way are figgen's private layers."""
    return sorted(__all__)
