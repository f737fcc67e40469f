"""What `suggest` and `check` tell the reference users of issue 12 (and a user with cervical
radiculopathy) after some sessions: what a physiotherapist would say (clinical.md,
"Measuring progress"): no step up for what is risky for them, none in a flare or above
3/10 pain, nerve glides stay light, and after symptoms spread: leave it out, see a
clinician, nothing in its place."""

from __future__ import annotations

import json

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.models import Profile
from stretchtui.core.domain.rules import check_for_profile
from stretchtui.core.storage.store import open_store
from tests.adapt_data import session_doc

CATALOG = load_catalog()


def _starter(name):
    return next(r for r in CATALOG.starters if r.name == name)


def _items(routine):
    out = []
    for item in routine.items:
        s = CATALOG.get(item.stretch)
        out.append((s.id, s.dosage.hold.default, s.dosage.reps.default))
    return tuple(out)


DEFAULT_PROFILE = Profile()


def _seed(data_dir, routine, days, *, profile=DEFAULT_PROFILE, pain=(2, 2), response="same", spreading=None):
    store = open_store(data_dir)
    try:
        store.set_profile(profile)
        for day in days:
            doc = session_doc(day, routine=routine.name, items=_items(routine), pain=pain, response=response)
            if spreading and day == days[-1]:
                for item in doc["items"]:
                    if item["stretch"] == spreading:
                        item["response"] = "spreading"
            store.append_session(doc)
    finally:
        store.close()


def _suggest(capsys, data_dir, routine) -> dict[str, dict]:
    assert main(["suggest", routine.name, "--json", "--data-dir", str(data_dir)]) == 0
    return {i["stretch"]: i for i in json.loads(capsys.readouterr().out)["items"]}


def _risky(profile):
    from stretchtui.core.domain.rules import warnings_for_stretch, worst_level

    return {s.id for s in CATALOG.stretches.values()
            if worst_level(warnings_for_stretch(s, profile.conditions, flare=profile.flare)) in ("caution", "avoid")}


def _set_flare(data_dir, on: bool):
    store = open_store(data_dir)
    try:
        store.set_profile(Profile(conditions=store.get_profile().conditions, flare=on))
    finally:
        store.close()


def test_seventy_year_old_with_osteoporosis_and_stenosis(tmp_path, capsys):
    profile = Profile(conditions=("osteoporosis", "spinal-stenosis"))
    morning = _starter("Morning stiffness")
    _seed(tmp_path, morning, range(3), profile=profile)
    plan = _suggest(capsys, tmp_path, morning)
    # knee to chest is an avoid for fragile vertebrae: never stepped up, though it suits the canal
    assert plan["knee-to-chest"]["action"] == "hold" and "is best avoided" in plan["knee-to-chest"]["why"]
    for sid in _risky(profile) & set(plan):
        assert plan[sid]["action"] != "progress", sid
    assert plan["ankle-pumps"]["action"] == "progress"  # what is safe for them may go up
    # the routine made for them progresses where it is safe, never past their cautions
    bones = _starter("Bone-friendly posture")
    _seed(tmp_path / "b", bones, range(3), profile=profile)
    plan = _suggest(capsys, tmp_path / "b", bones)
    assert any(i["action"] == "progress" for i in plan.values())
    # with pain at 6/10, nothing goes up
    _seed(tmp_path / "p", bones, range(3), profile=profile, pain=(6, 6))
    assert {i["action"] for i in _suggest(capsys, tmp_path / "p", bones).values()} == {"hold"}


def test_thirty_five_year_old_in_a_flare_of_disc_herniation_with_sciatica(tmp_path, capsys):
    profile = Profile(conditions=("disc-herniation", "sciatica"), flare=True)
    gentle = _starter("Flare: gentle relief")
    _seed(tmp_path, gentle, range(3), profile=profile)
    plan = _suggest(capsys, tmp_path, gentle)
    assert {i["action"] for i in plan.values()} == {"hold"}
    # the flare ends: the sessions played in it do not count, counting restarts
    _set_flare(tmp_path, False)
    plan = _suggest(capsys, tmp_path, gentle)
    assert plan["sphinx"]["action"] == "hold" and "counting restarts after a flare" in plan["sphinx"]["why"]
    store = open_store(tmp_path)
    try:
        for day in (4, 5, 6):
            store.append_session(session_doc(day, routine=gentle.name, items=_items(gentle), pain=(2, 2)))
    finally:
        store.close()
    plan = _suggest(capsys, tmp_path, gentle)
    assert plan["sphinx"]["action"] == "progress"  # extension suits the disc, when it centralizes
    assert plan["seated-nerve-slider"]["action"] == "hold"  # a nerve glide: no extra repetitions
    assert "no extra repetitions" in plan["seated-nerve-slider"]["why"]
    # check says the press-up family helps them only if it centralizes
    assert main(["check", gentle.name, "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Sphinx Pose helps disc herniation and sciatica only if your symptoms centralize (item 4)" in out


def test_after_spreading_the_sciatica_user_is_told_to_leave_it_out_and_see_a_clinician(tmp_path, capsys):
    profile = Profile(conditions=("disc-herniation", "sciatica"))
    relief = _starter("Sciatica relief")
    _seed(tmp_path, relief, range(4), profile=profile, spreading="seated-nerve-slider")
    plan = _suggest(capsys, tmp_path, relief)
    slider = plan["seated-nerve-slider"]
    assert slider["action"] == "drop" and "see a clinician" in slider["why"]
    assert not any(s.name in slider["why"] for s in CATALOG.stretches.values() if s.id != "seated-nerve-slider")
    assert main(["check", relief.name, "--json", "--data-dir", str(tmp_path)]) == 1
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    mine = [w for w in warnings if w["stretch"] == "seated-nerve-slider"]
    assert [(w["level"], w["rule"]) for w in mine] == [("avoid", "symptoms")]
    assert all(w["alternative"] != "seated-nerve-slider" for w in warnings)
    assert all(w["alternative"] is None for w in mine)


def test_pregnant_user_at_twenty_weeks(tmp_path, capsys):
    profile = Profile(conditions=("pregnancy",))
    morning = _starter("Morning stiffness")
    _seed(tmp_path, morning, range(3), profile=profile)
    plan = _suggest(capsys, tmp_path, morning)
    # everything on the back is a position caution: the holds stay short, nothing steps up
    on_back = {s for s in plan if CATALOG.get(s).position == "supine"}
    assert on_back and all(plan[s]["action"] == "hold" for s in on_back)
    assert all(plan[s]["action"] != "progress" for s in _risky(profile) & set(plan))


def test_cervical_radiculopathy(tmp_path, capsys):
    profile = Profile(conditions=("cervical-radiculopathy",))
    desk = _starter("Desk neck and upper back")
    _seed(tmp_path, desk, range(3), profile=profile)
    plan = _suggest(capsys, tmp_path, desk)
    assert plan["chin-tuck"]["action"] == "progress"  # indicated [22,26]
    for sid in _risky(profile) & set(plan):
        assert plan[sid]["action"] != "progress", sid
    # symptoms spread down the arm after the trapezius stretch: out, a clinician, no look-alike
    _seed(tmp_path / "s", desk, range(4), profile=profile, spreading="upper-trapezius-stretch")
    plan = _suggest(capsys, tmp_path / "s", desk)
    trap = plan["upper-trapezius-stretch"]
    assert trap["action"] == "drop" and "see a clinician" in trap["why"]
    assert "neck" not in trap["why"].lower().replace("neck and upper back", "")
    store = open_store(tmp_path / "s", create=False)
    try:
        ws = check_for_profile(desk, CATALOG, store.get_profile())
    finally:
        store.close()
    [mark] = [w for w in ws if w.rule == "symptoms"]
    assert mark.level == "avoid" and mark.alternative is None and "2026-03-05" in mark.message
    assert all(w.alternative != "upper-trapezius-stretch" for w in ws)
