"""Renderers: braille (terminal), SVG (handout, web, README) and ASCII
(fonts without braille). Golden files pin small renders; regenerate them
after an intended change with ``STRETCHTUI_UPDATE_GOLDEN=1`` and look at the
diff."""

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stretchtui.core.domain.pose import load_poses, scene
from stretchtui.core.reports.figure_render import ascii_rows, braille_rows, braille_text, svg

GOLDEN = Path(__file__).parent / "golden"
LIB = load_poses()


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("STRETCHTUI_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with STRETCHTUI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("sid,which", [("cat-cow", "start"), ("cat-cow", "end"), ("neck-side-tilt", "end")])
def test_braille_golden(sid, which):
    pose = LIB.get(sid)
    rows = braille_text(pose, getattr(pose, which), 24, 7)
    _golden(f"braille-{sid}-{which}.txt", "\n".join(rows) + "\n")


def test_ascii_golden():
    pose = LIB.get("cat-cow")
    rows = ascii_rows(pose, pose.start, 30, 8)
    _golden("ascii-cat-cow-start.txt", "\n".join(rows) + "\n")


def test_svg_golden():
    pose = LIB.get("bridge")
    _golden("svg-bridge-end.svg", svg(pose, pose.end, width=120) + "\n")


def test_braille_fills_the_space_given_and_only_uses_braille():
    pose = LIB.get("sphinx")
    for w, h in ((20, 6), (60, 20), (120, 40)):
        rows = braille_text(pose, pose.end, w, h, bounds=scene(pose, pose.end).bounds())
        assert len(rows) == h
        assert all(len(r) == w for r in rows)
        assert all(ch == " " or 0x2800 <= ord(ch) <= 0x28FF for r in rows for ch in r)
        used = [i for i, r in enumerate(rows) if r.strip()]
        cols = [i for r in rows for i, ch in enumerate(r) if ch != " "]
        # the figure (with its floor) spans the width or the height it was given
        assert max(cols) - min(cols) + 1 >= w - 2 or max(used) - min(used) + 1 >= h - 1


def test_braille_bigger_space_draws_more_dots():
    pose = LIB.get("cat-cow")

    def dots(w, h):
        return sum(bin(ord(ch) - 0x2800).count("1") for r in braille_text(pose, pose.start, w, h) for ch in r if ch != " ")

    assert dots(80, 24) > 3 * dots(30, 9)


def test_braille_kinds_separate_figure_far_limbs_and_props():
    pose = LIB.get("bird-dog")
    rows = braille_rows(pose, pose.end, 40, 12)
    kinds = {k for row in rows for _t, k in row}
    assert {"figure", "far", "prop", ""} <= kinds
    # the floor is the bottom row of dots and is a prop
    assert any(k == "prop" for _t, k in rows[-1])


def test_the_head_is_round_and_solid():
    pose = LIB.get("hip-drop")  # front view, upright
    rows = braille_text(pose, pose.start, 40, 24)
    top = next(r for r in rows if r.strip())
    # the top of the figure is the head: a few full cells wide, centred
    cells = top.strip()
    assert 1 <= len(cells) <= 6


def test_ascii_is_plain_printable():
    for sid in ("cat-cow", "neck-rotation", "lower-trunk-rotation"):
        pose = LIB.get(sid)
        rows = ascii_rows(pose, pose.end, 30, 10)
        assert len(rows) == 10
        assert all(len(r) <= 30 and all(" " <= ch <= "~" for ch in r) for r in rows)
        assert any("O" in r for r in rows)  # the head


def test_svg_is_well_formed_and_self_contained():
    for sid in LIB.poses:
        pose = LIB.get(sid)
        text = svg(pose, pose.start, title=f"{sid} <start> & \"end\"")
        root = ET.fromstring(text)
        assert root.tag.endswith("svg")
        assert "href" not in text and "url(" not in text
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text == f"{sid} <start> & \"end\""


def test_svg_keeps_the_same_frame_for_every_keyframe():
    pose = LIB.get("cat-cow")
    heads = {svg(pose, f).split('viewBox="')[1].split('"')[0] for f in pose.frames}
    assert len(heads) == 1


def test_mirror_draws_the_other_side():
    pose = LIB.get("neck-side-tilt")  # the head tips toward one shoulder
    plain = braille_text(pose, pose.end, 30, 12)
    flipped = braille_text(pose, pose.end, 30, 12, mirror=True)
    assert plain != flipped
    # the head's dots move to the other side of the middle
    def head_side(rows):
        top = next(r for r in rows if r.strip())
        cols = [i for i, ch in enumerate(top) if ch != " "]
        return sum(cols) / len(cols)

    assert (head_side(plain) - 15) * (head_side(flipped) - 15) < 0
    # the ASCII fallback flips too
    assert ascii_rows(pose, pose.end, 20, 10, mirror=False) != ascii_rows(pose, pose.end, 20, 10, mirror=True)
