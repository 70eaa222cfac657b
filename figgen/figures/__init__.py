"""matplotlib figures of the text: each builder takes numbers and a theme and preset, applies them itself
(:func:`figgen.figures.style.themed`) and returns a Figure; the numbers come from :mod:`figgen.analysis`."""
