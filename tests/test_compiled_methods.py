"""Dataclass methods compiled once and kept between runs (core/compiled_methods.py): the classes
behave as without it, and a cache file that cannot be trusted is not used."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from stretchtui.core import compiled_methods


@pytest.fixture
def cache(tmp_path: Path):
    path = tmp_path / "cache" / compiled_methods.FILE_NAME
    compiled_methods._installed = None
    compiled_methods.install(path)
    yield path
    compiled_methods.uninstall()
    compiled_methods._installed = None


def _make() -> type:
    @dataclasses.dataclass(frozen=True)
    class Dose:
        hold: int
        reps: int = 3
        sides: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    return Dose


def _behaves(cls: type) -> None:
    a, b = cls(20), cls(20)
    assert a == b and hash(a) == hash(b) and a != cls(30)
    assert repr(a).endswith("Dose(hold=20, reps=3, sides=())")
    assert dataclasses.replace(a, reps=5).reps == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.hold = 1
    assert [f.name for f in dataclasses.fields(cls)] == ["hold", "reps", "sides"]


def test_methods_compiled_by_an_earlier_run_are_used_and_behave_the_same(cache):
    _behaves(_make())  # compiled now, and added
    assert compiled_methods.save() and cache.is_file()
    assert os.stat(cache).st_mode & 0o077 == 0
    compiled_methods._installed = None
    compiled_methods.install(cache)  # the next run
    methods = compiled_methods._installed
    assert methods is not None and methods.codes  # read back
    _behaves(_make())
    assert methods.new == {}  # nothing compiled again
    assert compiled_methods.save() is False  # nothing to add


def test_without_it_dataclasses_compile_as_usual(cache):
    compiled_methods.uninstall()
    assert not hasattr(dataclasses, "exec")
    _behaves(_make())


def _spoil(path: Path, how: str) -> None:
    if how == "damaged":
        path.write_bytes(path.read_bytes()[:-40])
    elif how == "other python":
        first, _, rest = path.read_bytes().partition(b"\n")
        path.write_bytes(first.replace(b"cpython", b"otherpython") + b"\n" + rest)
    elif how == "group writable":
        path.chmod(0o664)
    elif how == "not a table":
        first, _, _rest = path.read_bytes().partition(b"\n")
        import marshal

        path.write_bytes(first + b"\n" + marshal.dumps(["not", "a", "table"]))


@pytest.mark.parametrize("how", ["damaged", "other python", "group writable", "not a table"])
def test_a_file_it_cannot_trust_is_not_used(cache, how):
    _make()
    compiled_methods.save()
    _spoil(cache, how)
    compiled_methods._installed = None
    compiled_methods.install(cache)
    methods = compiled_methods._installed
    assert methods is not None and methods.codes == {}
    _behaves(_make())  # compiled as usual
    assert compiled_methods.save() and cache.stat().st_mode & 0o077 == 0  # and replaced by a whole one


def test_the_command_line_installs_it_when_it_starts_the_app(tmp_path, monkeypatch):
    from stretchtui.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr("sys.stdout.isatty", lambda: False, raising=False)
    compiled_methods._installed = None
    try:
        main(["--data-dir", str(tmp_path / "data")])  # no terminal: a message, no app
        assert compiled_methods._installed is not None
        assert compiled_methods._installed.path == tmp_path / "stretchtui" / compiled_methods.FILE_NAME
    finally:
        compiled_methods.uninstall()
        compiled_methods._installed = None
        import gc

        gc.enable()


def test_a_full_disk_leaves_no_file_and_no_error(cache, monkeypatch):
    import errno

    from stretchtui.core.storage import cache_file

    real_open = os.open

    def full(path, flags, mode=0o777, *args, **kwargs):
        fd = real_open(path, flags, mode, *args, **kwargs)
        if ".tmp-" in str(path):
            os.close(fd)
            raise OSError(errno.ENOSPC, "No space left on device")
        return fd

    _make()
    monkeypatch.setattr(cache_file.os, "open", full)
    assert compiled_methods.save() is False  # quietly: it only saves time
    monkeypatch.undo()
    assert not cache.exists()
    assert [p.name for p in cache.parent.iterdir() if ".tmp-" in p.name] == []  # no temporary file left
