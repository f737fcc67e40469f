"""stretchtui: guided stretching routines for back pain, in the terminal."""

__version__ = "0.1.0"
