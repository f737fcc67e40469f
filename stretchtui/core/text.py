"""Cleaning untrusted text on its way into the program.

Names and notes come from routine files other people share and from what
users type. Before they are stored or shown they lose every control
character (C0 except newline and tab, DEL, C1) and every bidi override or
isolate, so nothing can move the cursor, retitle the terminal, write the
clipboard (OSC 52) or reorder what the user reads.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import unicodedata
from typing import Any

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
_CONTROL_LINE_RE = re.compile("[\x00-\x1f\x7f-\x9f" + _BIDI + "]")
#: Lone surrogates (from "\\ud800" escapes) cannot be printed or stored as UTF-8.
_SURROGATES_RE = re.compile("[\ud800-\udfff]")
_SPACES_RE = re.compile(r"\s+")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Return ``value`` without control, escape or bidi-override characters.

    With ``multiline=False`` newlines and tabs become single spaces too (for
    names). Text is NFC-normalised; nothing else is changed, so markup-like
    text such as ``[bold]`` is kept literally (the UI never parses it).
    """
    if value.isascii() and value.isprintable():  # the usual text (no control, newline or tab): nothing to remove
        return value if multiline else value.strip()
    value = unicodedata.normalize("NFC", _SURROGATES_RE.sub("", value))
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL_RE.sub("", value)
    value = re.sub(r"[\t\r\n]+", " ", value)
    return _CONTROL_LINE_RE.sub("", value).strip()


def clean_name(value: str) -> str:
    """A single-line name: cleaned, whitespace collapsed, stripped."""
    if value.isascii() and value.isprintable() and "  " not in value:  # the usual name, checked fast
        return value.strip()
    return _SPACES_RE.sub(" ", clean_text(value, multiline=False)).strip()


def display(value: object, *, multiline: bool = False) -> str:
    """The one function text from data passes through on its way to the screen.

    Names, notes, file paths and error messages that quote them are shown
    (in the TUI, on stdout and stderr) only after this: no ESC, BEL, C1 or
    bidi control can reach the terminal even when the data was stored or
    written before cleaning existed, or came from a path on the command line.
    ``multiline`` keeps newlines (notes, multi-line messages); otherwise the
    result is one line. Paths may be given as ``os.PathLike``.
    """
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = value if isinstance(value, str) else str(value)
    return clean_text(text) if multiline else clean_name(text)


_JSON_RAW_RE = re.compile("[\x7f-\x9f" + _BIDI + "\u2028\u2029]")


def json_text(value: Any, **kwargs: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **kwargs)`` safe to print: DEL, C1, bidi and line
    separators (which ``json`` leaves raw) are written as ``\\uXXXX`` escapes.

    The data is unchanged (a JSON reader gets the same strings back); only
    the terminal never receives them raw. Every JSON the CLI prints or
    writes goes through this.
    """
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_RAW_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: Letters of other scripts drawn like Latin ones (Cyrillic, Greek), mapped to the Latin letter.
_CONFUSABLE = str.maketrans(
    "аеорсухіјѕԁһӏոսԛԝАВЕКМНОРСТХІЈЅοανρτικεχυΑΒΕΖΗΙΚΜΝΟΡΤΥΧıɡ",
    "aeopcyxijsdhlnuqwABEKMHOPCTXIJSoavptikexuABEZHIKMNOPTYXig",
)


def skeleton(name: str) -> str:
    """How a name looks, for telling look-alikes apart: ``skeleton("Mоrning\u200bstiffness")``
    (a Cyrillic о, a zero-width space) equals ``skeleton("Morningstiffness")``.

    Cleaned, NFKD-decomposed (full-width and styled letters become plain),
    without invisible format characters (zero widths, joiners, soft hyphen)
    and combining marks, Cyrillic and Greek look-alike letters mapped to
    Latin, casefolded, whitespace collapsed. For comparison only, never shown.
    """
    text = unicodedata.normalize("NFKD", clean_name(name))
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn", "Me"))
    return re.sub(r"\s+", " ", text.translate(_CONFUSABLE).casefold()).strip()


def hang(prefix: str, text: str, width: int) -> str:
    """``prefix`` + ``text`` wrapped to ``width``, later lines indented under the text (a hanging indent).

    Too narrow to indent (or no width given): ``prefix`` + ``text`` as it is,
    for the widget to wrap.
    """
    if width < len(prefix) + 12:
        return prefix + text
    lines = textwrap.wrap(text, width - len(prefix)) or [""]
    return prefix + ("\n" + " " * len(prefix)).join(lines)


def hang_lines(text: str, width: int, bullets: tuple[str, ...] = ("- ", "• ")) -> str:
    """``text`` with each line that starts with a bullet wrapped under its words (other lines as they are)."""
    out = []
    for line in text.split("\n"):
        bullet = next((b for b in bullets if line.startswith(b)), None)
        out.append(hang(bullet, line[len(bullet):], width) if bullet else line)
    return "\n".join(out)
