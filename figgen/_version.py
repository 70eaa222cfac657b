"""figgen's version, in a module of its own: any layer may read it without the package's API."""

__version__ = "0.1.0"
