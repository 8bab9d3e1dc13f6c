"""Whole screens: the inbox and the help."""
