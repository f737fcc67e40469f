"""Remappable keys: every binding has an id, [keymap] overrides keys in the app, conflicts are reported."""

from __future__ import annotations

import json
import re

from stretchtui.cli import main
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.config import load_config
from stretchtui.core.storage.store import open_store
from stretchtui.ui.app import StretchApp, make_app
from stretchtui.ui.keymap import prepare, registry
from stretchtui.ui.screens.help import HelpScreen
from stretchtui.ui.screens.player import PlayerScreen

ROUTINE = Routine("Short", (RoutineItem("pelvic-tilt"), RoutineItem("knee-to-chest")))
ID_RE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")


def _settings(tmp_path, text):
    path = tmp_path / "config.toml"
    path.write_text(text)
    return load_config(path)


def _player_app(data_dir, catalog, clock, settings):
    app = make_app(open_store(data_dir), catalog, clock, show_notice=False, settings=settings, play=ROUTINE)
    app.player_options = {"checklist": False, "cue_sink": lambda s: None, "tick_interval": 3600}
    return app


def _player(app) -> PlayerScreen:
    return next(s for s in app.screen_stack if isinstance(s, PlayerScreen))


def _notes(app) -> list[str]:
    # The full text of every message (a long one's toast shows only its first line; ctrl+l shows this).
    return [message for _time, _severity, _title, message in app.message_log]


# ------------------------------------------------------------------ ids
def test_every_binding_has_a_unique_screen_dot_action_id():
    from textual.binding import Binding

    from stretchtui.ui.keymap import _classes

    missing: list[str] = []
    seen: dict[str, str] = {}
    for cls in _classes(StretchApp):
        for binding in cls.__dict__["BINDINGS"]:
            binding = binding if isinstance(binding, Binding) else Binding(*binding)
            if not binding.id:
                missing.append(f"{cls.__name__}: {binding.key} -> {binding.action}")
                continue
            assert ID_RE.match(binding.id), binding.id
            assert seen.setdefault(binding.id, cls.__name__) == cls.__name__, f"{binding.id} used twice"
    assert missing == []
    ids = {e.id for e in registry(StretchApp)}
    assert {"player.pause", "builder.save", "catalog.search", "library.play", "app.quit"} <= ids


# ------------------------------------------------------------------ prepare
def test_pause_and_resume_move_together_and_other_shared_keys_survive():
    prepared = prepare({"player.pause": "p"}, registry(StretchApp))
    assert prepared.keymap["player.pause"] == "p" and prepared.keymap["player.resume"] == "p"
    assert prepared.problems == []


def test_conflicts_and_unknown_ids_are_reported_not_dropped():
    prepared = prepare({"player.stop": "s", "player.pase": "z", "app.help": "p"}, registry(StretchApp))
    messages = [m for _id, m in prepared.problems]
    assert "keymap: no binding has the id 'player.pase' (did you mean player.pause" in messages[0]
    assert any(m.startswith("keymap: player.stop = s takes s from player.skip (Skip); it keeps right") for m in messages)
    assert any("on the library screen p is library.play (Play), so app.help (Help) does not work there" in m
               for m in messages)
    effective = {bid: keys for (_scope, bid), keys in prepared.effective.items()}
    assert effective["player.skip"] == ("right",) and effective["player.stop"] == ("s",)


# ------------------------------------------------------------------ in the app
async def test_a_remapped_pause_key_pauses_and_resumes(data_dir, real_catalog, fake_clock, tmp_path):
    settings = _settings(tmp_path, '[keymap]\n"player.pause" = "p"\n')
    app = _player_app(data_dir, real_catalog, fake_clock, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        player = _player(app)
        await pilot.press("space")  # the old key does nothing now
        assert not player.engine.paused
        await pilot.press("p")
        assert player.engine.paused
        await pilot.press("p")
        assert not player.engine.paused
        assert _notes(app) == []


async def test_keymap_conflicts_are_told_in_the_app(data_dir, real_catalog, fake_clock, tmp_path):
    settings = _settings(tmp_path, '# keys\n[keymap]\n"player.stop" = "s"\n')
    app = _player_app(data_dir, real_catalog, fake_clock, settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = _notes(app)
        assert notes == [f"config {settings.path}, line 3: keymap: player.stop = s takes s from player.skip "
                         "(Skip); it keeps right"]
        player = _player(app)
        index = player.engine.index
        await pilot.press("right")  # skip still works on its other key
        assert player.engine.index == index + 1


async def test_help_screen_shows_the_effective_keys(data_dir, real_catalog, fake_clock, tmp_path):
    settings = _settings(tmp_path, '[keymap]\n"library.export" = "ctrl+e"\n')
    app = make_app(open_store(data_dir), real_catalog, fake_clock, show_notice=False, settings=settings)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from stretchtui.ui.screens.help import collect_key_sections

        rows = dict(row for _title, section in collect_key_sections(app) for row in section
                    if row[1].startswith("Export") and "routine file" not in row[1])
        from textual.binding import Binding

        assert list(rows) == [app.get_key_display(Binding("ctrl+e", "x"))]  # not the default "e"


# ------------------------------------------------------------------ stretchtui keys
def test_keys_json_lists_every_binding_with_effective_keys(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"player.pause" = "p"\n"nope.x" = "z"\n')
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(path))
    assert main(["keys", "--json"]) == 0
    out, err = capsys.readouterr()
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(rows) == {e.id for e in registry(StretchApp)}
    assert rows["player.pause"] == {"id": "player.pause", "keys": ["p"], "default": ["space"], "description": "Pause"}
    assert rows["player.resume"]["keys"] == ["p"]
    assert rows["builder.save"]["keys"] == ["s", "ctrl+s"]
    assert err.strip() == (f"stretchtui: config {path}, line 3: keymap: no binding has the id 'nope.x' "
                           "(`stretchtui keys` lists the ids)")


def test_keys_text_marks_what_the_keymap_changed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(tmp_path / "missing.toml"))
    assert main(["keys"]) == 0
    out, _ = capsys.readouterr()
    line = next(line for line in out.splitlines() if line.startswith("player.pause "))
    assert line.split() == ["player.pause", "space", "Pause"]
    assert "changed by [keymap]" not in out


async def test_the_footer_shows_and_presses_a_remapped_key(data_dir, real_catalog, fake_clock, tmp_path):
    from stretchtui.ui.widgets.app_modebar import ModeFooter

    settings = _settings(tmp_path, '[keymap]\n"catalog.add" = "plus"\n')
    store = open_store(data_dir)
    try:
        app = make_app(store, real_catalog, fake_clock, show_notice=False, settings=settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            footer = app.screen.query_one(ModeFooter)
            add = next(item for item in footer.items() if item.description == "Add")
            assert (add.key, add.key_display) == ("plus", "+")
            await pilot.click(ModeFooter, offset=(add.x + 1, 0))  # the click presses the key the user has
            await pilot.pause()
            assert app.builder_is_dirty()
    finally:
        store.close()
