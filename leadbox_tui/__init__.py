"""Leadbox: a keyboard-driven leads inbox for the terminal."""

__version__ = "0.1.0"
