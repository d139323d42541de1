"""The grammar people use, one small module per group of commands; each command's docstring is its help."""
