"""The error figgen raises for bad input: a message naming the file, value or recipe at fault."""


class FiggenError(ValueError):
    """Bad input (a parameter, recipe, option or file); the command line prints it as one line, exit 2."""
