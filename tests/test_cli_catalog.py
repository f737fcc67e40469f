"""`stretchtui catalog` as a user runs it."""

import json

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog

CAT = load_catalog()


def test_table_lists_every_stretch_with_dosage_and_fits_80_columns(capsys):
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "REGIONS", "DOSAGE"]
    assert max(len(line) for line in lines) <= 80
    for sid in CAT.stretches:
        assert any(line.startswith(sid + " ") for line in lines), sid
    k2c = next(line for line in lines if line.startswith("knee-to-chest "))
    assert "3 × 20 s each side" in k2c and "Knee to Chest" in k2c
    assert "(avoid!)" in next(line for line in lines if line.startswith("toe-touch "))


def test_region_filter(capsys):
    assert main(["catalog", "--region", "neck"]) == 0
    out = capsys.readouterr().out
    ids = [line.split()[0] for line in out.splitlines()[1:] if line and line.split()[0] in CAT.stretches]
    assert set(ids) == {s.id for s in CAT.by_region("neck")}
    assert "prone-press-up" not in out


def test_safe_for_json_leaves_out_cautioned_stretches(capsys):
    assert main(["catalog", "--safe-for", "spinal-stenosis", "osteoporosis", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = {d["id"] for d in data}
    assert ids == {s.id for s in CAT.safe_for(["spinal-stenosis", "osteoporosis"])}
    assert "prone-press-up" not in ids and "knee-to-chest" not in ids and "sit-up" not in ids
    assert "shoulder-blade-squeeze" in ids
    for d in data:
        assert not {c["condition"] for c in d["cautions"]} & {"spinal-stenosis", "osteoporosis"}
        assert d["dosage"]["hold"]["min"] <= d["dosage"]["hold"]["default"] <= d["dosage"]["hold"]["max"]


def test_json_lists_everything_with_full_entries(capsys):
    assert main(["catalog", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == list(CAT.stretches)
    press = next(d for d in data if d["id"] == "prone-press-up")
    assert press["alternative"] == "knee-to-chest"
    assert any(c["condition"] == "spinal-stenosis" and c["level"] == "avoid" for c in press["cautions"])


def test_unknown_condition_is_exit_2_naming_the_valid_ones(capsys):
    assert main(["catalog", "--safe-for", "gout"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stretchtui: ") and "'gout'" in err
    assert "spinal-stenosis" in err and "sciatica" in err
    assert "Traceback" not in err


def test_json_gives_the_breathing_of_moving_stretches(capsys):
    assert main(["catalog", "--json"]) == 0
    by_id = {s["id"]: s for s in json.loads(capsys.readouterr().out)}
    assert by_id["cat-cow"]["breathing"] == {"first": "in", "in": "arch", "out": "round"}
    assert by_id["knee-to-chest"]["breathing"] is None
