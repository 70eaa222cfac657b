"""The Sphinx extension's public name: ``extensions = ["figgen.sphinx"]`` in ``conf.py``.

The extension lives in :mod:`figgen.integrations.sphinx`; this module only gives it the name users write.
"""

from figgen.integrations.sphinx import setup

__all__ = ["setup"]
