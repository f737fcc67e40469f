"""Shared fixtures for the UI tests.

``make_test_app(**options)`` builds the real app the way the CLI does
(``make_app``) over a store in a temporary data directory, the real catalog
and a ``FakeClock``. Options (all keyword-only, all optional):

- ``show_notice`` (default ``False``: skip the first-run notice),
- ``play`` / ``exit_after_play`` (passed to ``make_app``),
- ``data_dir`` (default ``tmp_path / "data"``; call again with the same
  directory to get a new app instance over the same data),
- ``clock`` (default: the test's ``fake_clock``), ``catalog``.

Every store opened is closed when the test ends. The store is ``app.store``,
the data directory ``app.store.data_dir``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from stretchtui.core.catalog import Catalog, load_catalog
from stretchtui.core.clock import FakeClock


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    """The shipped catalog, loaded once per test session (it is immutable)."""
    return load_catalog()


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock that only moves with ``fake_clock.advance(seconds)``."""
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The data directory ``make_test_app`` uses by default."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def make_test_app(data_dir: Path, real_catalog: Catalog, fake_clock: FakeClock) -> Callable[..., Any]:
    """Factory: ``make_test_app(show_notice=False, play=None, exit_after_play=False, data_dir=None, clock=None, catalog=None)``."""
    from stretchtui.core.store import open_store
    from stretchtui.ui.app import make_app

    stores: list[Any] = []

    def factory(
        *,
        show_notice: bool | None = False,
        play: Any = None,
        exit_after_play: bool = False,
        data_dir: Path | str | None = None,
        clock: Any = None,
        catalog: Catalog | None = None,
    ):
        store = open_store(data_dir if data_dir is not None else _default_dir)
        stores.append(store)
        return make_app(
            store,
            catalog or real_catalog,
            clock or fake_clock,
            show_notice=show_notice,
            play=play,
            exit_after_play=exit_after_play,
        )

    _default_dir = data_dir
    yield factory
    for store in stores:
        try:
            store.close()
        except Exception:
            pass


async def _screen_text(pilot: Any) -> str:
    """The text drawn for the active screen, one line per row, once it has settled."""
    app = pilot.app
    await pilot.pause()
    await pilot._wait_for_screen()
    screen = app.screen
    screen._refresh_layout(screen.size)
    strips = screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


@pytest.fixture
def screen_text() -> Callable[[Any], Any]:
    """``await screen_text(pilot)``: the plain text on the active screen (after it settles)."""
    return _screen_text
