"""figgen: the figures and animations of the MNIST softmax-regression tutorial, rebuilt from real runs."""

__version__ = "0.1.0"
