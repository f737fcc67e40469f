"""The one strict JSON reader: every file stretchtui reads goes through :func:`loads`.

Python's ``json`` accepts what a careful reader must not: a key twice (which
one wins depends on the reader, so two programs can see different data),
``NaN`` and ``Infinity`` (not JSON; written back they make files other tools
refuse), integers with thousands of digits, and nesting deep enough to
exhaust the stack (a ``RecursionError``, which is not a ``ValueError``). Here
each of them is a :class:`StrictJSONError` whose message says what is wrong
and where, so every caller can name the file and the fix.

Size is limited before parsing, by whoever reads the bytes
(:func:`.safe_file.read_data_file` and friends).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

#: Deepest nesting accepted (stretchtui's own files nest 5 levels at most).
MAX_DEPTH = 64


class StrictJSONError(ValueError):
    """The text is not strict JSON; ``problem`` says why (and where, when known).

    ``kind`` is one of ``"encoding"``, ``"syntax"`` (with ``line``, ``column``
    and the parser's ``detail``), ``"constant"`` (``detail``: NaN, Infinity),
    ``"duplicate"`` (``detail``: the key), ``"depth"`` and ``"number"``, so a
    reader can word its own message.
    """

    def __init__(self, problem: str, *, kind: str = "syntax", detail: str = "", line: int | None = None,
                 column: int | None = None) -> None:
        where = f" at line {line} column {column}" if line is not None else ""
        super().__init__(f"{problem}{where}")
        self.problem = problem
        self.kind = kind
        self.detail = detail
        self.line = line
        self.column = column


class _Constant(ValueError):
    pass


def _constant(name: str) -> Any:
    raise _Constant(name)


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise StrictJSONError(f"the key {key!r} appears more than once in one object",
                                      kind="duplicate", detail=key)
            seen.add(key)
    return obj


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
#: Longer texts are not scanned for depth (too slow in Python); the parser's
#: own recursion guard still turns runaway nesting into a :class:`StrictJSONError`.
SCAN_LIMIT = 1 << 20


def _depth(text: str) -> int:
    """How deep brackets outside strings nest (a scan before parsing)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)).translate(_OPEN_CLOSE)
    return max(accumulate(1 if c == "{" else -1 for c in brackets), default=0)


_OPEN_CLOSE = str.maketrans("[]", "{}")


def loads(data: str | bytes, *, duplicates: bool = True, max_depth: int | None = MAX_DEPTH,
          hook: Any = None) -> Any:
    """Parse ``data`` (UTF-8 bytes, a leading BOM allowed, or text) strictly.

    Refused, as :class:`StrictJSONError`: invalid UTF-8 or JSON, ``NaN`` /
    ``Infinity``, integers too long to convert, nesting deeper than
    ``max_depth`` (checked on texts up to :data:`SCAN_LIMIT`; beyond, and with
    None, only what the stack allows), and, unless
    ``duplicates`` is false, a key twice in one object. ``hook`` replaces the
    duplicate check with the caller's own ``object_pairs_hook`` (a reader
    that reports every duplicate with its path).
    """
    if isinstance(data, (bytes, bytearray)):
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StrictJSONError(f"not UTF-8 text (bad byte at offset {exc.start})", kind="encoding",
                                  detail=str(exc.start)) from None
    else:
        text = data
    text = text.removeprefix("\ufeff")
    if max_depth is not None and len(text) <= SCAN_LIMIT and _depth(text) > max_depth:
        raise StrictJSONError(f"nested more than {max_depth} levels deep", kind="depth")
    pairs = hook if hook is not None else (_unique if duplicates else None)
    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=_constant, strict=False)
    except _Constant as exc:
        raise StrictJSONError(f"{exc} is not a number JSON allows", kind="constant", detail=str(exc)) from None
    except json.JSONDecodeError as exc:
        raise StrictJSONError(f"not valid JSON ({exc.msg})", detail=exc.msg, line=exc.lineno,
                              column=exc.colno) from None
    except RecursionError:
        raise StrictJSONError("nested too deeply", kind="depth") from None
    except StrictJSONError:
        raise
    except ValueError as exc:  # an integer with thousands of digits
        raise StrictJSONError(f"not a usable JSON document ({str(exc)[:80]})", kind="number",
                              detail=str(exc)) from None
