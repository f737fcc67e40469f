"""The app's modes (its five main screens), in display order.

Kept apart from :mod:`.app` so the mode bar, the command palette and the app
can all read it without importing each other.
"""

from __future__ import annotations

#: Modes in display order: (mode, key, footer label, description).
MODE_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("catalog", "1", "Catalog", "Browse and search the stretches"),
    ("builder", "2", "Builder", "Build a routine"),
    ("library", "3", "Library", "Saved and starter routines"),
    ("profile", "4", "Profile", "Your conditions and player settings"),
    ("history", "5", "History", "Past sessions"),
)
