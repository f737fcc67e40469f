"""Textual's stylesheet, parsing each CSS source once per theme.

Textual parses the whole stylesheet again in a fresh ``Stylesheet`` whenever
a screen with its own CSS is first shown (``reparse``), and its parse cache
holds 64 sources while this app has about 80 (Textual's widgets' default
CSS, the app's, each screen's). It also refreshes the CSS the first time
each mode's screen is shown, setting the theme's variables again, which
empties the cache even when they are unchanged. So the catalog's first frame
came after five parses of every source, and every dialog and mode shown for
the first time parsed them all again (about 12 ms each, the first-run notice
included). Here the fresh stylesheet is handed the cache, which is big
enough for every source, and setting the same variables again keeps it; the
parsed rules are the same (the cache is keyed by the CSS text and its place,
and new variables still empty it).

With a :class:`~.css_cache.DiskRules` (``disk``; the command line gives one,
tests do not), a source not parsed yet in this run is read back from the
rules a former run parsed, and what is parsed is kept for the next run.
"""

from __future__ import annotations

from typing import Any

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

from .css_cache import DiskRules, source_key, variables_digest

#: Sources whose parsed rules are kept (Textual keeps 64).
PARSE_CACHE_SIZE = 1024


class ReusingStylesheet(Stylesheet):
    """A ``Stylesheet`` whose ``reparse`` reuses the rules of sources parsed before."""

    def __init__(self, *, variables: dict[str, str] | None = None, disk: DiskRules | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(PARSE_CACHE_SIZE)
        #: Rules parsed by former runs (None: parse everything).
        self.disk = disk
        self._variables_key: bytes | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:  # the same theme again: the rules parsed with it still hold
            super().set_variables(variables)
            self._variables_key = None

    def _parse_rules(self, css: str, read_from: Any, is_default_rules: bool = False, tie_breaker: int = 0,
                     scope: str = "") -> list[Any]:
        disk = self.disk
        memo = (css, read_from, is_default_rules, tie_breaker, scope)  # Textual's key for _parse_cache
        if disk is None or memo in self._parse_cache:
            return super()._parse_rules(*memo)
        if self._variables_key is None:
            self._variables_key = variables_digest(self._variables)
        key = source_key(self._variables_key, *memo)
        rules = disk.get(key)
        if rules is not None:
            self._parse_cache[memo] = rules
            return rules
        rules = super()._parse_rules(*memo)
        if not any(rule.errors for rule in rules):
            disk.put(key, rules)
        return rules

    def reparse(self) -> None:
        # Textual's reparse (textual/css/stylesheet.py), with the parse cache handed over.
        stylesheet = ReusingStylesheet(variables=self._variables, disk=self.disk)
        stylesheet._parse_cache = self._parse_cache
        stylesheet._variables_key = self._variables_key
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(css, read_from=read_from, is_default_css=is_defaults,
                                  tie_breaker=tie_breaker, scope=scope)
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        self._rules = stylesheet.rules
        self._rules_map = None
        self.source = stylesheet.source
        self._require_parse = False
