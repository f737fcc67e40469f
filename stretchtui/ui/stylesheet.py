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
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

#: Sources whose parsed rules are kept (Textual keeps 64).
PARSE_CACHE_SIZE = 1024


class ReusingStylesheet(Stylesheet):
    """A ``Stylesheet`` whose ``reparse`` reuses the rules of sources parsed before."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(PARSE_CACHE_SIZE)

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:  # the same theme again: the rules parsed with it still hold
            super().set_variables(variables)

    def reparse(self) -> None:
        # Textual's reparse (textual/css/stylesheet.py), with the parse cache handed over.
        stylesheet = Stylesheet(variables=self._variables)
        stylesheet._parse_cache = self._parse_cache
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
