"""Cleaning untrusted text on its way into the program.

Names and notes come from routine files other people share and from what
users type. Before they are stored or shown they lose every control
character (C0 except newline and tab, DEL, C1) and every bidi override or
isolate, so nothing can move the cursor, retitle the terminal, write the
clipboard (OSC 52) or reorder what the user reads.
"""

from __future__ import annotations

import re
import unicodedata

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
_CONTROL_LINE_RE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Return ``value`` without control, escape or bidi-override characters.

    With ``multiline=False`` newlines and tabs become single spaces too (for
    names). Text is NFC-normalised; nothing else is changed, so markup-like
    text such as ``[bold]`` is kept literally (the UI never parses it).
    """
    value = unicodedata.normalize("NFC", value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL_RE.sub("", value)
    value = re.sub(r"[\t\r\n]+", " ", value)
    return _CONTROL_LINE_RE.sub("", value).strip()


def clean_name(value: str) -> str:
    """A single-line name: cleaned, whitespace collapsed, stripped."""
    return re.sub(r"\s+", " ", clean_text(value, multiline=False)).strip()
