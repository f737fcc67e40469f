"""The pose model: every stretch has a figure, bones keep their length, the
figure rests on the floor, and a bad poses file is refused with a message
naming the entry and field."""

import json
import math
from pathlib import Path

import pytest

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.pose import (
    BONES,
    HEAD_RADIUS,
    LIMB_RADIUS,
    PoseError,
    bone_length,
    default_poses_path,
    load_poses,
    parse_poses,
    pose_bounds,
    scene,
    solve,
    visible_fraction,
)

CATALOG = load_catalog()
LIBRARY = load_poses(catalog=CATALOG)
STEPS = 8  # frames checked along each path, besides the keyframes


def _frames(pose):
    return list(pose.frames) + [pose.frame_at(i / STEPS) for i in range(STEPS + 1)]


def test_every_catalog_stretch_has_a_pose():
    missing = [sid for sid in CATALOG.stretches if sid not in LIBRARY]
    assert not missing, f"stretches without a pose in poses.json: {missing}"


def test_every_pose_names_a_catalog_stretch():
    assert set(LIBRARY.poses) <= set(CATALOG.stretches)


@pytest.mark.parametrize("sid", list(CATALOG.stretches))
def test_no_frame_stretches_a_bone(sid):
    pose = LIBRARY.get(sid)
    for frame in _frames(pose):
        fig = solve(frame, pose.view)
        for start, end, bone in fig.bones:
            if (start in ("pelvis", "neck_base") and end.endswith("root_l")) or end.endswith("root_r"):
                continue  # front-view hip and shoulder offsets, not bones
            seen = bone_length(fig, start, end)
            want = BONES[bone] * visible_fraction(frame, end)
            assert seen == pytest.approx(want, abs=1e-9), (sid, bone, end)
            assert seen <= BONES[bone] + 1e-9, (sid, bone, "longer than the bone")


@pytest.mark.parametrize("sid", [s for s in CATALOG.stretches if LIBRARY.get(s).view != "top"])
def test_figure_rests_on_the_floor_and_never_goes_through_it(sid):
    pose = LIBRARY.get(sid)
    for frame in _frames(pose):
        sc = scene(pose, frame)
        lowest = min(
            [min(s.y1, s.y2) - min(s.radius, LIMB_RADIUS) for s in sc.segments if s.layer != "prop"]
            + [d.y - d.radius for d in sc.discs]
        )
        # never through the floor, and resting on it (not floating)
        assert lowest >= -1e-9, sid
        assert lowest <= 0.015, f"{sid}: the figure floats {lowest:.3f} above the floor"


@pytest.mark.parametrize("sid", list(CATALOG.stretches))
def test_start_and_end_differ_so_the_figure_shows_a_movement(sid):
    pose = LIBRARY.get(sid)
    start, end = pose.start, pose.end
    assert len(pose.frames) >= 2, sid
    moved = max(abs(start.angles[k] - end.angles[k]) for k in start.angles)
    moved = max(moved, abs(start.x - end.x) * 100)
    assert moved >= 5, f"{sid}: start and end positions look the same"


def test_moving_stretches_cycle():
    for sid in ("cat-cow", "ankle-pumps", "sciatic-nerve-glide", "heel-slides", "bridge"):
        assert LIBRARY.get(sid).moves, sid


def test_cat_cow_rounds_then_arches_the_spine():
    pose = LIBRARY.get("cat-cow")

    def curve(frame):
        fig = solve(frame, pose.view)
        (px, py), (cx, cy), (nx, ny) = fig.joints["pelvis"], fig.joints["chest"], fig.joints["neck_base"]
        # height of the mid back above the line from pelvis to neck base
        t = (cx - px) / (nx - px)
        return cy - (py + t * (ny - py))

    assert curve(pose.start) > 0.02  # cat: rounded up
    assert curve(pose.end) < -0.005  # cow: sagging down


def test_frame_at_interpolates_between_keyframes():
    pose = LIBRARY.get("ankle-pumps")
    a, b = pose.start.angles["foot_l"], pose.end.angles["foot_l"]
    assert pose.frame_at(0.5).angles["foot_l"] == pytest.approx((a + b) / 2)
    assert pose.frame_at(-1).angles == pose.start.angles
    assert pose.frame_at(2).angles == pose.end.angles


def test_bounds_hold_every_frame():
    pose = LIBRARY.get("cat-cow")
    x0, y0, x1, y1 = pose_bounds(pose)
    for i in range(11):
        bx0, by0, bx1, by1 = scene(pose, pose.frame_at(i / 10)).bounds()
        assert x0 <= bx0 + 1e-9 and y0 <= by0 + 1e-9 and bx1 <= x1 + 1e-9 and by1 <= y1 + 1e-9


def test_shipped_file_is_the_one_in_the_package_build():
    assert default_poses_path().name == "poses.json"
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert '"poses.json" = "stretchtui/poses.json"' in pyproject


# ------------------------------------------------------------------ errors
def _data():
    return json.loads(default_poses_path().read_text(encoding="utf-8"))


def test_unknown_bone_is_named():
    data = _data()
    data["poses"]["cat-cow"]["frames"][1]["angles"]["tail"] = 10
    with pytest.raises(PoseError, match=r"poses\.cat-cow\.frames\[1\]\.angles\.tail: unknown bone"):
        parse_poses(data)


def test_angle_must_be_a_number():
    data = _data()
    data["poses"]["bridge"]["frames"][0]["angles"] = {"thigh_l": "45"}
    with pytest.raises(PoseError, match=r"poses\.bridge\.frames\[0\]\.angles\.thigh_l: must be a number"):
        parse_poses(data)


def test_first_frame_needs_a_posture_and_postures_must_exist():
    data = _data()
    del data["poses"]["sphinx"]["frames"][0]["posture"]
    with pytest.raises(PoseError, match=r"poses\.sphinx\.frames\[0\]: the first frame must name a posture"):
        parse_poses(data)
    data = _data()
    data["poses"]["sphinx"]["frames"][0]["posture"] = "handstand"
    with pytest.raises(PoseError, match=r"unknown posture 'handstand'"):
        parse_poses(data)


def test_foreshortening_cannot_lengthen_a_bone():
    data = _data()
    data["poses"]["sphinx"]["frames"][0]["foreshorten"] = {"thigh_l": 1.5}
    with pytest.raises(PoseError, match=r"foreshorten\.thigh_l: 1\.5 is outside"):
        parse_poses(data)


def test_pose_for_a_stretch_not_in_the_catalog_is_refused():
    data = _data()
    data["poses"]["moonwalk"] = data["poses"]["sphinx"]
    with pytest.raises(PoseError, match=r"poses\.moonwalk: is not a stretch in the catalog"):
        parse_poses(data, CATALOG.stretches)


def test_load_errors_name_the_file(tmp_path):
    bad = tmp_path / "poses.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(PoseError, match=r"poses\.json: not valid JSON"):
        load_poses(bad)
    with pytest.raises(PoseError, match="cannot read"):
        load_poses(tmp_path / "missing.json")


def test_a_posture_must_set_every_bone():
    data = _data()
    del data["postures"]["standing"]["shin_l"]
    with pytest.raises(PoseError, match=r"postures\.standing: must set every bone; missing shin_l"):
        parse_poses(data)


def test_head_sits_on_the_neck():
    pose = LIBRARY.get("neck-side-tilt")
    fig = solve(pose.end, pose.view)
    nx, ny = fig.joints["neck_top"]
    assert math.hypot(fig.head[0] - nx, fig.head[1] - ny) == pytest.approx(HEAD_RADIUS)


# ------------------------------------------------------------------ motion
from stretchtui.core.domain.pose import GET_READY_MOVE, step_figure  # noqa: E402


def test_get_ready_moves_a_held_stretch_into_position_then_stops():
    t0, moving0, _ = step_figure("get-ready", False, 0.0, 5)
    mid, moving_mid, _ = step_figure("get-ready", False, GET_READY_MOVE / 2, 5)
    end, moving_end, wake = step_figure("get-ready", False, GET_READY_MOVE + 0.1, 5)
    assert t0 == 0.0 and moving0
    assert 0.2 < mid < 0.8 and moving_mid
    assert end == 1.0 and not moving_end and wake is None


def test_holds_rests_and_switches_are_still():
    for kind, want in (("hold", 1.0), ("rest", 0.0), ("switch", 0.0)):
        for elapsed in (0, 3, 9.9):
            t, moving, wake = step_figure(kind, True, elapsed, 10)
            assert (t, moving, wake) == (want, False, None), kind


def test_a_moving_stretch_goes_to_the_end_and_back_each_rep():
    samples = [step_figure("rep", True, e, 10) for e in (0, 2.5, 5, 7.5, 9.99)]
    ts = [s[0] for s in samples]
    assert ts[0] == pytest.approx(0) and ts[2] == pytest.approx(1) and ts[4] == pytest.approx(0, abs=1e-3)
    assert ts[1] == pytest.approx(0.5) and ts[3] == pytest.approx(0.5)
    assert all(s[1] for s in samples)


def test_a_held_rep_moves_in_holds_still_and_moves_out():
    assert step_figure("rep", False, 1, 10)[1]  # moving in
    t, moving, wake = step_figure("rep", False, 4, 10)
    assert (t, moving) == (1.0, False) and wake == pytest.approx(3.5)  # still, moves again in 3.5 s
    assert step_figure("rep", False, 9, 10)[1]  # moving out


def test_keep_moving_cycles_about_every_few_seconds():
    ts = [step_figure("move", True, e, 60)[0] for e in range(0, 60)]
    tops = sum(1 for i in range(1, len(ts) - 1) if ts[i] >= ts[i - 1] and ts[i] > ts[i + 1])
    assert 10 <= tops <= 20


def test_pose_lookup_survives_another_catalog_and_a_broken_file(tmp_path, monkeypatch):
    from dataclasses import replace as dc_replace

    from stretchtui.core.domain import pose as pose_mod

    smaller = dc_replace(CATALOG, stretches={"sphinx": CATALOG.stretches["sphinx"]})
    assert pose_mod.pose_for("sphinx", smaller) is not None
    bad = tmp_path / "poses.json"
    bad.write_text('{"version": 1, "postures": {}, "poses": {"x": 1}}', encoding="utf-8")
    monkeypatch.setattr(pose_mod, "default_poses_path", lambda: bad)
    assert pose_mod.pose_for("sphinx") is None


def test_the_poses_a_new_user_misread_now_show_what_the_steps_say():
    """Issue 26: Child's Pose rests on the mat; knee hugs hold the knees; pelvic tilt's frames differ;
    cow face's hands meet."""
    from stretchtui.core.domain.pose import HEAD_RADIUS, LIMB_RADIUS, load_poses, solve

    lib = load_poses(None)

    def end(pid):
        pose = lib.get(pid)
        return solve(pose.end, pose.view)

    child = end("childs-pose")
    lows = {k: y - LIMB_RADIUS for k, (_x, y) in child.joints.items()}
    assert abs(child.head[1] - HEAD_RADIUS) < 0.03, "the head rests on the mat"
    assert lows["thigh_l"] < 0.03 and lows["shin_l"] < 0.03, "the knees and shins too, not floating"
    for pid in ("knee-to-chest", "double-knee-to-chest"):
        fig = end(pid)
        knee, ankle, wrist = fig.joints["thigh_l"], fig.joints["shin_l"], fig.joints["forearm_l"]
        assert ankle[0] > wrist[0] > knee[0] - 0.02, (pid, "the hands hold the shin below the knee")
        assert wrist[1] < knee[1] + 0.05, (pid, "not raised above the knee")
    tilt = lib.get("pelvic-tilt")
    assert tilt.start.angles["low_back"] != tilt.end.angles["low_back"]
    assert abs(solve(tilt.start).joints["waist"][1] - solve(tilt.end).joints["waist"][1]) > 0.01, "the arch shows"
    cow = end("cow-face")
    (lx, ly), (rx, ry) = cow.joints["hand_l"], cow.joints["hand_r"]
    assert abs(lx - rx) < 0.05 and abs(ly - ry) < 0.05, "the hands meet behind the back"
