"""Errors a user can be shown as they are: each message names the file or
field at fault and what to do. None of them should ever surface as a
traceback."""

from __future__ import annotations


class StretchtuiError(Exception):
    """Base of every error whose message is meant for the user."""

    #: Exit status the CLI uses for this error.
    exit_code = 2


class UsageError(StretchtuiError):
    """Bad command-line arguments."""
