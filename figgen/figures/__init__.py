"""Figure logic shared by recipes: the computations and drawings behind the text's figures."""
