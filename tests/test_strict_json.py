"""The one strict JSON reader (core/storage/strict_json.py) and the one safe file reader/writer."""

from __future__ import annotations

import os

import pytest

from stretchtui.core.storage import safe_file
from stretchtui.core.storage.strict_json import StrictJSONError, loads


@pytest.mark.parametrize("text, kind", [
    ('{"a": 1, "a": 2}', "duplicate"), ("[NaN]", "constant"), ('{"x": -Infinity}', "constant"),
    ("[" * 65 + "]" * 65, "depth"), ("[" * 100_000 + "]" * 100_000, "depth"), ("1" + "0" * 5000, "number"),
    (b"\xff{}", "encoding"), ('{"a": }', "syntax"),
])
def test_refused(text, kind):
    with pytest.raises(StrictJSONError) as info:
        loads(text)
    assert info.value.kind == kind


def test_accepted():
    assert loads(b'\xef\xbb\xbf{"a": [1, 2.5, "x\\u0001"]}') == {"a": [1, 2.5, "x\x01"]}
    assert loads('{"a": 1, "a": 2}', duplicates=False) == {"a": 2}
    assert loads("[" * 64 + "]" * 64) is not None


def test_the_reader_refuses_links_fifos_devices_and_size(tmp_path):
    regular = tmp_path / "f.json"
    regular.write_bytes(b"{}")
    assert safe_file.read_data_file(regular) == b"{}"
    assert safe_file.read_data_file(tmp_path / "missing") is None
    link = tmp_path / "link"
    link.symlink_to(regular)
    with pytest.raises(safe_file.UnsafeFile, match="symbolic link"):
        safe_file.read_data_file(link)
    assert safe_file.read_data_file(link, follow_links=True) == b"{}"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(safe_file.UnsafeFile, match="pipe"):
        safe_file.read_data_file(fifo)
    with pytest.raises(safe_file.UnsafeFile, match="device"):
        safe_file.read_data_file("/dev/zero", follow_links=True)
    with pytest.raises(safe_file.UnsafeFile, match="too large"):
        safe_file.read_data_file(regular, 1)


def test_the_writer_keeps_a_file_without_force_and_links_into_place(tmp_path):
    target = tmp_path / "out.txt"
    safe_file.write_file(target, b"one", private=False)
    with pytest.raises(safe_file.WriteRefused, match="already exists"):
        safe_file.write_file(target, b"two")
    safe_file.write_file(target, b"two", force=True)
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left
