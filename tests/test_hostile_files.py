"""Files that are not what they seem (issue 27, F12): a FIFO, a link to
/dev/zero and a link to another JSON file in the place of every data file.

Every command that reads the data folder must answer promptly (a FIFO must
not hang it, /dev/zero must not be read until memory runs out), exit with a
message naming the file (never a traceback, never 70), and change nothing:
the link's target is never written and a ``.bak`` link is never restored
into ``library.json``. An alarm turns a hang into a failure instead of a
stuck CI.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.models import Routine, RoutineItem
from stretchtui.core.storage.store import open_store

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

NAMES = ["library.json", "sessions-2026.json", "sessions-2030.json", "layout.json", "library.json.bak",
         "sessions-2026.json.bak", "schedule.json", "store.lock"]
KINDS = ["fifo", "zero", "other-json"]
COMMANDS = [("due",), ("history",), ("history", "--json"), ("routines",), ("profile",), ("summary",),
            ("schedule", "show"), ("schedule", "set", "--days", "mon", "--time", "08:00")]


class Hung(Exception):
    pass


@pytest.fixture
def alarm():
    def ring(*_):
        raise Hung()

    old = signal.signal(signal.SIGALRM, ring)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("pristine") / "data"
    s = open_store(data)
    s.save_routine(Routine("Morning", (RoutineItem("cat-cow"),)))
    s.append_session({"routine": "Morning", "started": "2026-03-02T08:00:00+00:00", "status": "completed"})
    s.append_session({"routine": "Morning", "started": "2026-03-03T08:00:00+00:00", "status": "completed"})
    s.close()
    (data / "schedule.json").write_text(json.dumps(
        {"stretchtui": "schedule", "version": 1, "days": ["mon"], "times": ["08:00"], "routine": None}))
    os.chmod(data / "schedule.json", 0o600)
    return data


def plant(data: Path, name: str, kind: str, other: Path) -> None:
    path = data / name
    if path.exists():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path, 0o600)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(other)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", NAMES)
def test_every_reader_refuses_what_is_not_a_file(pristine, tmp_path, capsys, monkeypatch, alarm, name, kind):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(pristine, data, symlinks=True)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"routines": {"1": {"schema": 1, "name": "Planted", "items": []}}}))
    os.chmod(other, 0o600)
    before_other = other.read_bytes()
    plant(data, name, kind, other)
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(tmp_path / "no-config.toml"))
    for argv in COMMANDS:
        signal.alarm(5)
        try:
            code = main(["--data-dir", str(data), *argv])
        except Hung:
            pytest.fail(f"{' '.join(argv)} hung on {name} as a {kind}")
        finally:
            signal.alarm(0)
        out, err = capsys.readouterr()
        assert code != 70 and "Traceback" not in err, (argv, err)
        assert code in (0, 1, 2), (argv, code, err)
        if code == 2 and argv != ("due",):
            assert name.split(".bak")[0] in err or "data folder" in err, (argv, err)
        assert "Planted" not in out, (argv, out)  # the other file was never read as ours
    assert other.read_bytes() == before_other  # the link's target was never written
    assert (data / name).is_symlink() or os.path.exists(data / name)  # left for the user to see


@pytest.mark.parametrize("kind", KINDS)
def test_config_file_that_is_not_a_file(tmp_path, capsys, monkeypatch, alarm, kind):
    config = tmp_path / "config.toml"
    plant(tmp_path, "config.toml", kind, tmp_path / "real.toml")
    (tmp_path / "real.toml").write_text("[player]\n")
    monkeypatch.setenv("STRETCHTUI_CONFIG", str(config))
    signal.alarm(5)
    try:
        main(["keys"])  # reads the [keymap] table (and quotes its lines)
        assert "Traceback" not in capsys.readouterr().err
        code = main(["--data-dir", str(tmp_path / "data"), "config", "show"])
    except Hung:
        pytest.fail(f"config show or keys hung on config.toml as a {kind}")
    finally:
        signal.alarm(0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and code != 70
    if kind != "other-json":  # a link to a regular file is followed (dotfile managers link configs)
        assert "config.toml" in err + out and code == 2, (code, out, err)
