"""Shared test set-up."""

from __future__ import annotations

import os
import tempfile

import pytest

# The app started in a terminal by a test (`python -m stretchtui` in a pty) keeps the CSS it
# parsed in the user's cache folder (ui/css_cache.py): a folder of the test run's, not the home's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="stretchtui-test-cache-")


@pytest.fixture(autouse=True)
def _stretchtui_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hints print as `stretchtui COMMAND`, as for a user with stretchtui on PATH.

    The CLI writes the commands it prints as they can be run on the machine
    (core/invocation.py: the venv script's full path when `stretchtui` is not
    on PATH, as in CI). The tests of that rewriting (tests/test_invocation.py)
    pass the prefix themselves or run the script in a subprocess; every other
    test reads the hints as a user with stretchtui on PATH sees them.
    """
    monkeypatch.setattr("stretchtui.core.invocation.command_prefix", lambda: "stretchtui")
