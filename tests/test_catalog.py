"""The shipped catalog: complete, consistent, validated, searchable."""

import copy
import json

import pytest

from stretchtui.core.domain.catalog import (
    CatalogError,
    default_catalog_path,
    load_catalog,
    parse_catalog,
)
from stretchtui.core.domain.models import CONDITIONS, LIMITS, MOVEMENTS, POSITIONS, REGIONS

RAW = json.loads(default_catalog_path().read_text(encoding="utf-8"))
CAT = load_catalog()

REQUIRED_IDS = {
    "lower-back": [
        "prone-press-up", "cobra", "sphinx", "knee-to-chest", "double-knee-to-chest", "prayer-stretch",
        "childs-pose", "cat-cow", "lower-trunk-rotation", "supine-twist", "seated-spinal-twist", "pelvic-tilt",
        "bridge", "bird-dog", "downward-dog", "hip-drop", "reverse-russian-twist", "spinal-rocks",
        "hamstring-stretch", "toe-touch", "sit-up",
    ],
    "warm-up": ["ankle-pumps", "heel-slides", "abdominal-contraction"],
    "upper-back": ["doorway-stretch", "shoulder-blade-squeeze", "cow-face"],
    "neck": ["neck-side-tilt", "neck-rotation", "shoulder-rolls"],
    "nerves": ["sciatic-nerve-glide", "seated-piriformis", "supine-piriformis"],
}
ALL_REQUIRED = [sid for ids in REQUIRED_IDS.values() for sid in ids]


# ------------------------------------------------------------------ content


@pytest.mark.parametrize("sid", ALL_REQUIRED)
def test_required_stretch_exists_in_its_region(sid):
    stretch = CAT.get(sid)
    assert stretch is not None, sid
    group = next(g for g, ids in REQUIRED_IDS.items() if sid in ids)
    if group == "warm-up":
        assert stretch.is_warmup
    else:
        assert group in stretch.regions


def test_avoid_listed_are_exactly_toe_touch_and_sit_up_with_alternatives():
    listed = {s.id for s in CAT.stretches.values() if s.avoid_listed}
    assert listed == {"toe-touch", "sit-up"}
    for sid in listed:
        s = CAT.get(sid)
        assert s.caution_for("lower-back-pain").level == "avoid"
        alt = CAT.get(s.alternative)
        assert alt is not None and not alt.avoid_listed
        assert alt.caution_for("lower-back-pain") is None


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_has_at_least_five_stretches(region):
    assert len([s for s in CAT.by_region(region) if not s.is_warmup]) >= 5


def test_catalog_declares_the_full_vocabularies():
    assert tuple(CAT.regions) == REGIONS
    assert set(CAT.conditions) == set(CONDITIONS)
    assert set(CAT.movements) == set(MOVEMENTS)


def test_every_entry_has_every_field_filled():
    for s in RAW["stretches"]:
        for key in ("summary", "aliases", "cues", "helps", "cautions", "figure", "steps", "source"):
            assert key in s, (s["id"], key)
        assert s["steps"] and s["cues"] and s["source"] and s["figure"], s["id"]
        assert 0 < len(s["summary"]) <= 70, s["id"]


def test_every_caution_names_a_known_condition_with_a_reason():
    for s in CAT.stretches.values():
        for c in s.cautions:
            assert c.condition in CAT.conditions, (s.id, c.condition)
            assert c.level in ("caution", "avoid")
            assert len(c.reason.split()) >= 5 and c.reason.endswith("."), (s.id, c.condition)
        assert set(s.helps) <= set(CAT.conditions)
        # a stretch may help a condition and still need care with it (piriformis and sciatica),
        # but never helps one it is best avoided with
        assert not set(s.helps) & {c.condition for c in s.cautions if c.level == "avoid"}, s.id


def test_avoided_stretches_offer_a_safer_alternative_in_the_same_region():
    for s in CAT.stretches.values():
        avoided = [c.condition for c in s.cautions if c.level == "avoid"]
        if not avoided:
            continue
        assert s.alternative, s.id
        alt = CAT.get(s.alternative)
        assert set(alt.regions) & set(s.regions), s.id
        # The alternative is the better choice for at least one of those conditions
        # (the rules engine searches further when it is not safe for the user's set).
        safer = [c for c in avoided if alt.caution_for(c) is None or alt.caution_for(c).level != "avoid"]
        assert safer, s.id
        assert not alt.avoid_listed


def test_clinical_table_is_followed_for_lumbar_extension_and_flexion():
    # (every cell, for every stretch, is checked in test_safety.py; compound stretches there too)
    for s in CAT.stretches.values():
        if s.compound:
            continue
        if "lumbar-extension" in s.movements:
            for cond in ("spinal-stenosis", "spondylolisthesis", "recent-lumbar-surgery"):
                assert s.caution_for(cond).level == "avoid", (s.id, cond)
        if "lumbar-flexion" in s.movements:
            for cond in ("osteoporosis", "recent-lumbar-surgery"):
                assert s.caution_for(cond).level == "avoid", (s.id, cond)
        if {"lumbar-flexion", "rotation"} <= set(s.movements):
            for cond in ("osteoporosis", "disc-herniation"):
                assert s.caution_for(cond).level == "avoid", (s.id, cond)


def test_seed_facts_carry_over():
    press = CAT.get("prone-press-up")
    assert "disc-herniation" in press.helps
    assert (press.dosage.hold.default, press.dosage.hold.max, press.dosage.reps.default) == (10, 30, 10)
    k2c = CAT.get("knee-to-chest")
    assert "spinal-stenosis" in k2c.helps and k2c.dosage.sides == "each"
    assert k2c.dosage.hold.min <= 15 and k2c.dosage.hold.max >= 30 and k2c.dosage.reps.min <= 2
    assert (CAT.get("pelvic-tilt").dosage.reps.min, CAT.get("pelvic-tilt").dosage.reps.max) == (8, 12)
    rocks = CAT.get("spinal-rocks").dosage
    assert rocks.mode == "duration" and rocks.hold.min == 60 and rocks.hold.max == 120
    assert "sciatica" in CAT.get("sciatic-nerve-glide").helps
    assert "neural-glide" in CAT.get("sciatic-nerve-glide").movements
    assert {"rotation", "lumbar-flexion"} <= set(CAT.get("seated-spinal-twist").movements)
    assert "core" in CAT.get("bird-dog").movements
    assert set(CAT.get("seated-piriformis").regions) >= {"lower-back", "nerves"}


def test_dosage_defaults_lie_within_ranges_and_limits():
    for s in CAT.stretches.values():
        d = s.dosage
        for name, (lo, hi), rng in (("hold", LIMITS["hold"], d.hold), ("reps", LIMITS["reps"], d.reps)):
            assert lo <= rng.min <= rng.default <= rng.max <= hi, (s.id, name)
        assert LIMITS["rest"][0] <= d.rest <= LIMITS["rest"][1]
        assert d.sides in ("none", "each") and s.position in POSITIONS


def test_figures_are_small_plain_ascii():
    for s in CAT.stretches.values():
        assert 2 <= len(s.figure) <= 5, s.id
        for line in s.figure:
            assert len(line) <= 30 and line.isascii() and line.isprintable(), (s.id, line)


def test_names_and_aliases_do_not_collide_between_stretches():
    owner: dict[str, str] = {}
    for s in CAT.stretches.values():
        for key in {s.name.casefold(), s.id, *(a.casefold() for a in s.aliases)}:
            assert owner.setdefault(key, s.id) == s.id, f"{key!r} is used by {owner[key]} and {s.id}"


def test_sources_are_references_into_the_sources_table_with_readable_titles():
    used = set()
    for s in CAT.stretches.values():
        for ref in s.source:
            assert ref in CAT.sources, (s.id, ref)
            used.add(ref)
    assert used == set(CAT.sources), f"unused sources: {set(CAT.sources) - used}"
    for src in CAT.sources.values():
        assert src.publisher and src.title, src.id
        # A title is for people: never a file name or an address.
        assert not src.title.endswith(".txt") and "://" not in src.title, src.id
        assert src.url == "" or src.url.startswith(("http://", "https://")), src.id
        assert CAT.source_title(src.id) == f"{src.publisher}: {src.title}"


# ------------------------------------------------------------------ starter routines


def test_there_are_four_or_more_starters_each_with_a_target_and_a_warm_up():
    assert len(CAT.starters) >= 4
    for r in CAT.starters:
        assert r.starter and r.target and r.items, r.name
        assert CAT.get(r.items[0].stretch).is_warmup, r.name


@pytest.mark.parametrize("routine", CAT.starters, ids=lambda r: r.name)
def test_starter_has_no_avoid_for_its_target(routine):
    stretches = [CAT.get(i.stretch) for i in routine.items]
    assert all(stretches)
    for s, item in zip(stretches, routine.items, strict=True):
        for cond in routine.target:
            caution = s.caution_for(cond)
            assert caution is None or caution.level != "avoid", (routine.name, s.id, cond)
        assert not s.avoid_listed
        if s.dosage.sides == "each":
            assert item.sides in (None, "each")
    moves = set().union(*(set(s.movements) for s in stretches))
    if {"osteoporosis", "disc-herniation"} & set(routine.target):
        assert not {"lumbar-flexion", "rotation"} <= moves, routine.name
    if "cervical-radiculopathy" in routine.target:
        assert not {"cervical-extension", "cervical-rotation"} <= moves, routine.name


@pytest.mark.parametrize("routine", CAT.starters, ids=lambda r: r.name)
def test_starter_has_no_avoid_warning_from_the_rules_engine(routine):
    rules = pytest.importorskip("stretchtui.core.domain.rules")
    if not hasattr(rules, "check_routine"):
        pytest.skip("rules engine not there yet")
    warnings = rules.check_routine(routine, CAT, routine.target)
    assert [w for w in warnings if w.level == "avoid"] == []


# ------------------------------------------------------------------ search


def test_search_by_name_alias_and_id():
    assert [s.id for s in CAT.search("knee-pulling")] == ["knee-to-chest"]
    assert CAT.get("supine-twist") in CAT.search("horizontal back twist")
    assert CAT.get("cat-cow") in CAT.search("CAT camel")
    assert CAT.get("supine-piriformis") in CAT.search("figure-4")
    assert CAT.search("no such stretch anywhere") == []
    assert CAT.search("piriformis", region="neck") == []


def test_by_region_and_safe_for():
    neck = CAT.by_region("neck")
    assert neck and all("neck" in s.regions for s in neck)
    assert len(CAT.by_region("all")) == len(CAT.stretches) == len(CAT.by_region(None))
    safe = CAT.safe_for(["spinal-stenosis"], region="lower-back")
    ids = {s.id for s in safe}
    assert "knee-to-chest" in ids
    assert not ids & {"prone-press-up", "cobra", "sphinx", "toe-touch", "sit-up"}
    assert all(s.caution_for("spinal-stenosis") is None for s in safe)


# ------------------------------------------------------------------ validation


def broken(mutate):
    data = copy.deepcopy(RAW)
    mutate(data)
    return data


def index_of(sid):
    return next(i for i, s in enumerate(RAW["stretches"]) if s["id"] == sid)


K2C = index_of("knee-to-chest")


def stretch(data, sid="knee-to-chest"):
    return data["stretches"][index_of(sid)]


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: stretch(d)["dosage"]["hold"].update(default=95),
         [f"stretches[{K2C}] (knee-to-chest)", "dosage.hold.default", "95"]),
        (lambda d: stretch(d)["dosage"]["reps"].update(max=51), ["(knee-to-chest)", "dosage.reps.max", "1-50"]),
        (lambda d: stretch(d)["dosage"].update(sides="left"), ["(knee-to-chest)", "dosage.sides"]),
        (lambda d: stretch(d)["dosage"].update(mode="forever"), ["(knee-to-chest)", "dosage.mode", "forever"]),
        (lambda d: stretch(d)["dosage"].update(rest=True), ["(knee-to-chest)", "dosage.rest", "whole number"]),
        (lambda d: stretch(d).update(position="hanging"), ["(knee-to-chest)", "position", "hanging"]),
        (lambda d: stretch(d)["regions"].append("knees"), ["(knee-to-chest)", "regions[1]", "knees"]),
        (lambda d: stretch(d)["movements"].append("jumping"), ["(knee-to-chest)", "movements[2]", "jumping"]),
        (lambda d: stretch(d).update(colour="red"), ["(knee-to-chest)", "unknown key 'colour'"]),
        (lambda d: stretch(d).pop("steps"), ["(knee-to-chest)", "missing required key 'steps'"]),
        (lambda d: stretch(d).update(name=3), ["(knee-to-chest)", "name", "must be text"]),
        (lambda d: stretch(d)["cautions"][0].update(level="maybe"), ["(knee-to-chest)", "cautions[0].level"]),
        (lambda d: stretch(d)["cautions"][0].update(condition="gout"), ["(knee-to-chest)", "cautions[0].condition", "gout"]),
        (lambda d: stretch(d)["helps"].append("gout"), ["(knee-to-chest)", "helps", "gout"]),
        (lambda d: stretch(d).update(alternative="nope"), ["(knee-to-chest)", "alternative", "nope"]),
        (lambda d: stretch(d)["figure"].append("x" * 81), ["(knee-to-chest)", "figure[", "81 columns"]),
        (lambda d: stretch(d).update(id="Knee_To_Chest"), ["Knee_To_Chest", "kebab-case"]),
        (lambda d: stretch(d).update(breathing="out"), ["(knee-to-chest)", "breathing", "must be an object"]),
        (lambda d: stretch(d).update(breathing={"first": "in", "in": "arch"}),
         ["(knee-to-chest)", "breathing", "missing required key 'out'"]),
        (lambda d: stretch(d).update(breathing={"first": "up", "in": "arch", "out": "round"}),
         ["(knee-to-chest)", "breathing.first", "'in' or 'out'", "'up'"]),
        (lambda d: stretch(d).update(breathing={"first": "in", "in": "x" * 25, "out": "round"}),
         ["(knee-to-chest)", "breathing.in", "25 characters"]),
        (lambda d: stretch(d).update(breathing={"first": "in", "in": "arch", "out": "", "pace": 3}),
         ["(knee-to-chest)", "breathing"]),
        (lambda d: stretch(d).update(id="cobra"), [f"stretches[{K2C}] (cobra)", "duplicate id"]),
        (lambda d: d["routines"][0]["items"].append({"stretch": "knee-to-chin"}),
         ["routines[0] (Morning stiffness)", "items[", "knee-to-chin", "knee-to-chest"]),
        (lambda d: d["routines"][0]["items"][0].update(hold=601), ["routines[0]", "items[0].hold", "1-600"]),
        (lambda d: d["routines"][0]["items"][0].update(sides="both"), ["routines[0]", "items[0].sides"]),
        (lambda d: d["routines"][0].update(target=["gout"]), ["routines[0]", "target", "gout"]),
        (lambda d: d["conditions"].append({"id": "gout", "name": "Gout"}), ["conditions[10].id", "gout"]),
        (lambda d: d.update(extra=1), ["catalog", "unknown key 'extra'"]),
        (lambda d: d.update(version="1"), ["version", "must be 1"]),
    ],
)
def test_broken_catalog_errors_name_the_entry_and_field(mutate, expected):
    with pytest.raises(CatalogError) as info:
        parse_catalog(broken(mutate))
    message = str(info.value)
    for part in expected:
        assert part in message, (part, message)


def test_newer_version_is_refused_as_made_by_a_newer_stretchtui(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(broken(lambda d: d.update(version=2))), encoding="utf-8")
    with pytest.raises(CatalogError, match="made by a newer stretchtui"):
        load_catalog(path)


def test_load_errors_start_with_the_file(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(broken(lambda d: stretch(d)["dosage"]["hold"].update(min=0))), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value).startswith(f"{path}: stretches[{K2C}] (knee-to-chest): dosage.hold.min")


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"version": 1, "version": 1}', "duplicate key 'version'"),
        ('{"version": NaN}', "NaN"),
        ("{not json", "not valid JSON"),
    ],
)
def test_bad_json_is_a_catalog_error(tmp_path, text, expected):
    path = tmp_path / "catalog.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=expected):
        load_catalog(path)


def test_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "nope.json")


def test_minimal_catalog_with_optional_fields_left_out_still_loads():
    data = {
        "version": 1,
        "regions": [{"id": "neck", "name": "Neck"}],
        "conditions": [],
        "movements": [],
        "stretches": [{
            "id": "tiny", "name": "Tiny", "regions": ["neck"], "movements": ["cervical-flexion"],
            "position": "seated",
            "dosage": {"mode": "hold", "hold": {"min": 1, "default": 5, "max": 10},
                       "reps": {"min": 1, "default": 1, "max": 1}, "sides": "none", "rest": 0},
            "steps": ["Nod."], "source": ["test"],
        }],
    }
    cat = parse_catalog(data)
    assert cat.get("tiny").cautions == () and cat.starters == ()


def test_breathing_is_given_for_moving_stretches_whose_cues_name_the_breath():
    cat_cow = CAT.stretches["cat-cow"].breathing
    assert cat_cow is not None
    # "Breathe out as you round, in as you arch": start (cat, rounded) to end (cow, arched) is in
    assert (cat_cow.first, cat_cow.inhale, cat_cow.exhale) == ("in", "arch", "round")
    assert cat_cow.breath(to_end=True) == "in" and cat_cow.breath(to_end=False) == "out"
    assert CAT.stretches["bridge"].breathing.breath(to_end=True) == "out"  # breathe out as you lift
    for stretch in CAT.stretches.values():
        if stretch.breathing is not None:
            cues = " ".join(stretch.cues + stretch.steps).lower()
            assert "breathe" in cues, stretch.id
    assert CAT.stretches["knee-to-chest"].breathing is None  # optional


def test_the_shipped_catalog_is_validated_here_and_its_digest_recorded():
    # At start-up a file with the shipped catalog's bytes is built without checking every field
    # again: this test is where they are checked. After editing catalog.json, record its digest.
    import hashlib
    import json

    from stretchtui.core.domain import catalog as catalog_module

    raw = catalog_module.default_catalog_path().read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == catalog_module.SHIPPED_CATALOG_SHA256, (
        f"catalog.json changed: set SHIPPED_CATALOG_SHA256 = {digest!r} in core/domain/catalog.py")
    data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=catalog_module._no_duplicates,
                      parse_constant=catalog_module._no_constant)
    checked = catalog_module.parse_catalog(data)  # every field validated
    assert checked == catalog_module.load_catalog()  # the same catalog as the quick path builds


def test_a_copy_with_other_bytes_is_validated_in_full(tmp_path):
    from stretchtui.core.domain.catalog import CatalogError, default_catalog_path, load_catalog

    text = default_catalog_path().read_text(encoding="utf-8")
    spoiled = tmp_path / "catalog.json"
    spoiled.write_text(text.replace('"version": ', '"version": "x", "versionx": ', 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"catalog\.json"):
        load_catalog(spoiled)


def test_a_catalog_saved_with_a_byte_order_mark_loads_as_without(tmp_path):
    # Some editors save UTF-8 with a byte order mark; it is not part of the JSON.
    from stretchtui.core.domain.catalog import default_catalog_path

    path = tmp_path / "catalog.json"
    path.write_bytes(b"\xef\xbb\xbf" + default_catalog_path().read_bytes())
    assert load_catalog(path).stretches == load_catalog().stretches
