"""Shared fixtures for the UI tests.

``make_test_app(**options)`` builds the real app the way the CLI does
(``make_app``) over a store in a temporary data directory, the real catalog
and a ``FakeClock``. Options (all keyword-only, all optional):

- ``show_notice`` (default ``False``: skip the first-run notice),
- ``play`` / ``exit_after_play`` (passed to ``make_app``),
- ``data_dir`` (default ``tmp_path / "data"``; call again with the same
  directory to get a new app instance over the same data),
- ``clock`` (default: the test's ``fake_clock``), ``catalog``,
- ``player_options`` (passed to ``make_app``: ``checklist``, ``tick_interval``, ``cue_sink``).

Every store opened is closed when the test ends. The store is ``app.store``,
the data directory ``app.store.data_dir``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from stretchtui.core.clock import FakeClock
from stretchtui.core.domain.catalog import Catalog, load_catalog


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
def make_test_app(data_dir: Path, real_catalog: Catalog, fake_clock: FakeClock) -> Iterator[Callable[..., Any]]:
    """Factory: ``make_test_app(show_notice=False, play=None, exit_after_play=False, data_dir=None, clock=None, catalog=None)``."""
    from stretchtui.core.storage.store import open_store
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
        player_options: dict | None = None,
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
            player_options=player_options,
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
def css_parses(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Where each CSS source Textual parses from now on was read from, in order (clear it to start over)."""
    from textual.css import stylesheet as textual_stylesheet

    parsed: list[Any] = []
    parse = textual_stylesheet.parse

    def counting(scope: str, css: str, read_from: Any, **kwargs: Any) -> Any:
        parsed.append(read_from)
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    return parsed


@pytest.fixture
def screen_text() -> Callable[[Any], Any]:
    """``await screen_text(pilot)``: the plain text on the active screen (after it settles)."""
    return _screen_text


# ------------------------------------------------------------------ store calls off the event loop
async def settle_store_calls(app: Any) -> None:
    """Wait until the store calls the app made in workers and on its writer thread are done and answered.

    Screens read and write the store off the event loop (``ui/background.py``);
    a test that presses a key and then looks at the screen waits for those
    calls like a user waits for the screen to update. A test holding the store
    on purpose (``SlowStore.holding``) is not waited for.
    """
    import asyncio

    for _ in range(20):
        if getattr(getattr(app, "store", None), "holding", False):
            return
        writer = getattr(app, "writer", None)
        busy = [w for w in app.workers if getattr(w, "_thread_worker", False) and not w.is_finished]
        if not busy and (writer is None or not writer.pending):
            return
        if writer is not None and writer.pending:
            await asyncio.to_thread(writer.wait)
        for worker in busy:
            try:
                await worker.wait()
            except Exception:
                pass
        await _raw_pause(app)  # let the answers (posted messages) be handled; they may start more calls


async def _raw_pause(app: Any) -> None:
    from textual._wait import wait_for_idle

    await wait_for_idle(0)


@pytest.fixture(autouse=True)
def _pause_settles_store_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pilot.pause()`` also waits for the store calls in flight (see :func:`settle_store_calls`)."""
    from textual.pilot import Pilot

    original = Pilot.pause

    async def pause(self: Any, delay: float | None = None) -> None:
        await original(self, delay)  # first the messages already queued (they may start store calls)
        await settle_store_calls(self.app)

    monkeypatch.setattr(Pilot, "pause", pause)
