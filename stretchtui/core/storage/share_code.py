"""Share codes: a routine as one line of URL-safe text, and back.

Over SSH the easiest channel between two people is text: a line pasted into
a chat or a mail. ``stretchtui share NAME`` prints one; ``stretchtui import
--code CODE`` (and the app's import dialog) takes it back through the same
strict checks as a routine file. The printable handout carries the same code,
so ``stretchtui import handout.html`` gives the routine back.

Format, version 1::

    stretchtui.1.<payload>.<check>

``payload`` is the routine file's JSON (:func:`.routine_file.routine_to_dict`,
compact), compressed with zlib and written in unpadded base64url; ``check``
is the first 6 bytes of SHA-256 over ``stretchtui.1.<payload>``, also
base64url (8 characters). Every character is a letter, a digit, ``-``,
``_`` or ``.``, so a code survives URLs, chats and terminals; white space
inside it (a mail program's line breaks) is ignored when it is read.

The checksum catches a code cut short or mistyped (damaged); it is no
signature. Whatever decodes still goes through every check of a routine
file, so an altered code can at worst be a valid routine, as a file can.
A code that would inflate beyond a routine file's size limit is refused
without inflating it further.

Pure; no UI imports.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from typing import TYPE_CHECKING

from ..domain.models import Routine
from ..errors import StretchtuiError
from .routine_file import MAX_BYTES, parse_routine_text, routine_to_dict

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.catalog import Catalog

#: The first part of every code.
PREFIX = "stretchtui"
#: The format this version writes (and the highest it reads).
CODE_VERSION = 1
#: Longest code text read (a routine file's limit, compressed, fits many times over).
MAX_CODE_CHARS = 256 * 1024

_B64URL = re.compile(r"[A-Za-z0-9_-]+")
#: A code as it appears inside other text (a handout's page, a message).
CODE_IN_TEXT = re.compile(r"\bstretchtui\.\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{8}\b", re.IGNORECASE)
#: Where a handout keeps its routine.
HANDOUT_META = "stretchtui-routine"
_META = re.compile(
    rb'<meta\s+name="' + HANDOUT_META.encode() + rb'"\s+content="([A-Za-z0-9._-]{1,262144})"\s*/?>',
    re.IGNORECASE,
)

_FIX = "Copy the whole line again from the person who shared it (it starts with 'stretchtui.')."


class ShareCodeError(StretchtuiError):
    """A share code that cannot be read; the message is one line."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check(head: str) -> str:
    return _b64(hashlib.sha256(head.encode("ascii")).digest()[:6])


def encode(routine: Routine) -> str:
    """The share code of ``routine`` (one line, no white space)."""
    data = json.dumps(routine_to_dict(routine), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head = f"{PREFIX}.{CODE_VERSION}.{_b64(zlib.compress(data, 9))}"
    return f"{head}.{_check(head)}"


def looks_like_code(text: str) -> bool:
    """True when ``text`` (as typed or pasted) is meant as a share code, not a path."""
    return text.strip().strip("'\"<>").casefold().startswith(PREFIX + ".")


def _fail(problem: str, fix: str = _FIX) -> ShareCodeError:
    return ShareCodeError(f"share code: {problem}. {fix}")


def _inflate(payload: bytes) -> bytes:
    """The JSON bytes of ``payload``, never more than :data:`MAX_BYTES`."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(payload, MAX_BYTES + 1)
    except zlib.error:
        raise _fail("it is damaged (it does not unpack)") from None
    if len(data) > MAX_BYTES or inflater.unconsumed_tail:
        raise _fail(
            f"the routine in it is larger than a routine file may be ({MAX_BYTES // (1024 * 1024)} MiB)",
            "This is not a routine someone shared.",
        )
    if not inflater.eof:
        raise _fail("it is cut short")
    return data


def decode(text: str, catalog: Catalog, *, source: str = "share code") -> Routine:
    """The routine in the share code ``text``, checked like a routine file.

    Raises :class:`ShareCodeError` (one line: what is wrong, what to do) for
    anything that is not a whole, intact code, and the routine file's own
    error (naming ``source`` and the field) for a code whose routine is bad.
    """
    code = "".join(text.split()).strip("'\"<>")
    if len(code) > MAX_CODE_CHARS:
        raise _fail(f"it is too long ({len(code)} characters)", "This is not a routine someone shared.")
    parts = code.split(".")
    if len(parts) < 2 or parts[0].casefold() != PREFIX:
        raise _fail("it does not start with 'stretchtui.'")
    if not parts[1].isdigit():
        raise _fail("it has no format number after 'stretchtui.'")
    if int(parts[1]) > CODE_VERSION:
        raise _fail(
            f"it was made by a newer stretchtui (format {int(parts[1])}; this one reads {CODE_VERSION})",
            "Update stretchtui, then import it again.",
        )
    if int(parts[1]) < 1 or len(parts) != 4 or not all(_B64URL.fullmatch(p) for p in parts[2:]):
        raise _fail("it is damaged (its parts are not as a share code's)")
    head = f"{PREFIX}.{int(parts[1])}.{parts[2]}"
    if parts[3] != _check(head):
        raise _fail("it is damaged or was changed (its check does not match)")
    try:
        payload = _unb64(parts[2])
    except ValueError:
        raise _fail("it is damaged (not base64url)") from None
    return parse_routine_text(_inflate(payload), catalog, source=source)


def code_in_html(data: bytes) -> str | None:
    """The share code a stretchtui handout carries, or None."""
    found = _META.search(data)
    return found.group(1).decode("ascii") if found else None


def handout_meta(routine: Routine) -> str:
    """The ``<meta>`` element that carries ``routine`` in a handout."""
    return f'<meta name="{HANDOUT_META}" content="{encode(routine)}" />'
