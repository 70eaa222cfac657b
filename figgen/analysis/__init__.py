"""The numbers the figures show, computed from arrays (being split into one module per topic)."""

from figgen.analysis.scoring import *  # noqa: F403
