"""An articulated stick figure for showing how a stretch is done.

INTERFACE (stable; the renderers, the handout and the UI rely on it):

- ``load_poses(path=None, catalog=None) -> PoseLibrary``: reads and validates
  ``poses.json`` (shipped beside ``catalog.json``); raises ``PoseError``
  naming the file, the entry and the field.
- ``PoseLibrary.get(stretch_id) -> Pose | None``.
- ``Pose``: ``view`` ("side" or "front"), ``props``, ``motion`` ("hold" or
  "cycle"), ``frames`` (tuple of ``Frame``; the first is the start position,
  the last the end position, any between are the path).
- ``Pose.frame_at(t) -> Frame``: the pose ``t`` (0..1) along the path,
  angles interpolated linearly.
- ``solve(frame, view) -> Figure``: forward kinematics: joint positions from
  the bone angles and the fixed bone lengths in :data:`BONES`, set down so the
  lowest point rests on the floor (y = 0).
- ``scene(pose, frame) -> Scene``: the figure and its props as drawing
  primitives (thick segments and discs) in model units, y up; what every
  renderer draws.
- ``pose_bounds(pose) -> (x0, y0, x1, y1)``: the box holding every frame, so a
  figure does not jump about while it moves.

The model is one unit tall standing. Angles are the direction each bone
points on the page, in degrees: 0 = right, 90 = up, 180 = left, -90 = down.
In side view the figure's ``_l`` limbs are the near ones (drawn in front).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StretchtuiError
from ..validate import Invalid as _Invalid
from ..validate import check_keys as _keys
from ..validate import fail as _fail
from ..validate import shipped_file


class PoseError(StretchtuiError):
    """``poses.json`` could not be loaded; the message says where and why."""


#: Bone lengths, in figure heights (a standing figure is one unit tall).
BONES: dict[str, float] = {
    "low_back": 0.10,
    "mid_back": 0.11,
    "upper_back": 0.10,
    "neck": 0.055,
    "upper_arm": 0.17,
    "forearm": 0.15,
    "hand": 0.065,
    "thigh": 0.245,
    "shin": 0.25,
    "foot": 0.10,
}
HEAD_RADIUS = 0.065
#: Side view: the nose reaches this many head radii from the head's centre.
NOSE = 1.25
NOSE_RADIUS = 0.024 * 0.55
#: Front/top view: a thigh shown at most this fraction of its length gets a round knee.
KNEE_FORESHORTEN = 0.6
#: Front view: a head turned at least this far (degrees) shows its nose in profile.
PROFILE_TURN = 55
#: Half the thickness of a limb, in figure heights (renderers draw limbs this thick).
LIMB_RADIUS = 0.024
TRUNK_RADIUS = 0.036
#: In front view the hips and shoulders sit this far either side of the spine.
HIP_HALF_WIDTH = 0.055
SHOULDER_HALF_WIDTH = 0.10

TRUNK = ("low_back", "mid_back", "upper_back", "neck")
LIMBS = {
    "arm": ("upper_arm", "forearm", "hand"),
    "leg": ("thigh", "shin", "foot"),
}
#: Every angle a frame may set.
ANGLES: tuple[str, ...] = (
    *TRUNK,
    "head",
    "turn",
    *(f"{bone}_{side}" for chain in LIMBS.values() for side in ("l", "r") for bone in chain),
)
#: "top" looks down on a figure lying on a mat (twists seen from above).
VIEWS = ("side", "front", "top")
#: Angles a posture may leave out, with their default.
OPTIONAL_ANGLES = {"turn": 0.0}
#: Bones a frame may foreshorten (pointing toward the viewer).
FORESHORTEN = tuple(BONES)  # the neck too: shoulders lifted toward the ears
MOTIONS = ("hold", "cycle")
PROPS = ("floor", "mat", "chair", "wall", "doorway")
_PROP_KEYS = {
    "floor": (),
    "mat": (),
    "chair": ("back",),
    "wall": ("x",),
    "doorway": ("x",),
}


@dataclass(frozen=True)
class Prop:
    kind: str
    x: float = 0.0
    #: chair: height of the backrest above the seat (0 = a stool).
    back: float = 0.3


@dataclass(frozen=True)
class Frame:
    angles: dict[str, float]
    #: Horizontal position of the pelvis.
    x: float = 0.0
    label: str = ""
    #: bone name (e.g. "thigh_l") -> the visible fraction of its length (0..1]
    #: when it points toward or away from the viewer.
    foreshorten: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Pose:
    stretch: str
    view: str
    props: tuple[Prop, ...]
    motion: str
    frames: tuple[Frame, ...]

    @property
    def start(self) -> Frame:
        return self.frames[0]

    @property
    def end(self) -> Frame:
        return self.frames[-1]

    @property
    def moves(self) -> bool:
        return self.motion == "cycle"

    def frame_at(self, t: float) -> Frame:
        """The frame ``t`` of the way along the path (0 = start, 1 = end)."""
        t = min(1.0, max(0.0, t))
        if len(self.frames) == 1:
            return self.frames[0]
        pos = t * (len(self.frames) - 1)
        i = min(int(pos), len(self.frames) - 2)
        f = pos - i
        a, b = self.frames[i], self.frames[i + 1]
        angles = {k: a.angles[k] + (b.angles[k] - a.angles[k]) * f for k in ANGLES}
        short = {
            k: a.foreshorten.get(k, 1.0) + (b.foreshorten.get(k, 1.0) - a.foreshorten.get(k, 1.0)) * f
            for k in {*a.foreshorten, *b.foreshorten}
        }
        return Frame(angles, a.x + (b.x - a.x) * f, foreshorten=short)


@dataclass(frozen=True)
class Figure:
    """Joint positions (x, y) in model units, y up, after setting down on the floor."""

    joints: dict[str, tuple[float, float]]
    #: (parent joint, child joint, bone name) for every bone drawn.
    bones: tuple[tuple[str, str, str], ...]
    head: tuple[float, float]
    view: str
    face: float  # direction the face looks, degrees
    turn: float = 0.0  # front/top view: how far the head is turned (degrees)

    def lowest(self) -> float:
        ys = [y - LIMB_RADIUS for _x, y in self.joints.values()]
        ys.append(self.head[1] - HEAD_RADIUS)
        return min(ys)


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float
    radius: float
    layer: str  # "far", "near", "face" (drawn on the head) or "prop"
    #: Drawn with a thin gap around it (the near arm, so it shows over the trunk).
    halo: bool = False


@dataclass(frozen=True)
class Disc:
    x: float
    y: float
    radius: float
    layer: str
    filled: bool = True


@dataclass(frozen=True)
class Scene:
    segments: tuple[Segment, ...]
    discs: tuple[Disc, ...]

    def bounds(self) -> tuple[float, float, float, float]:
        xs: list[float] = []
        ys: list[float] = []
        for s in self.segments:
            xs += [s.x1 - s.radius, s.x2 - s.radius, s.x1 + s.radius, s.x2 + s.radius]
            ys += [s.y1 - s.radius, s.y2 - s.radius, s.y1 + s.radius, s.y2 + s.radius]
        for d in self.discs:
            xs += [d.x - d.radius, d.x + d.radius]
            ys += [d.y - d.radius, d.y + d.radius]
        return min(xs), min(ys), max(xs), max(ys)


def _dir(angle: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return math.cos(rad), math.sin(rad)


def solve(frame: Frame, view: str = "side") -> Figure:
    """Forward kinematics: place every joint from the angles and :data:`BONES`."""
    a = frame.angles
    joints: dict[str, tuple[float, float]] = {}
    bones: list[tuple[str, str, str]] = []

    def step(start: str, end: str, bone: str, key: str) -> None:
        x, y = joints[start]
        dx, dy = _dir(a[key])
        length = BONES[bone] * frame.foreshorten.get(key, 1.0)
        joints[end] = (x + dx * length, y + dy * length)
        bones.append((start, end, bone))

    joints["pelvis"] = (frame.x, 0.0)
    step("pelvis", "waist", "low_back", "low_back")
    step("waist", "chest", "mid_back", "mid_back")
    step("chest", "neck_base", "upper_back", "upper_back")
    step("neck_base", "neck_top", "neck", "neck")
    hx, hy = _dir(a["head"])
    nx, ny = joints["neck_top"]
    head = (nx + hx * HEAD_RADIUS, ny + hy * HEAD_RADIUS)

    front = view in ("front", "top")
    for side, sign in (("l", -1), ("r", 1)):
        # Figure's left is on the viewer's right in front view (facing us).
        for chain, root, width, along in (
            ("leg", "pelvis", HIP_HALF_WIDTH, a["low_back"]),
            ("arm", "neck_base", SHOULDER_HALF_WIDTH, a["upper_back"]),
        ):
            base = f"{chain}_root_{side}"
            rx, ry = joints[root]
            if front:
                ox, oy = _dir(along + 90 * sign)
                joints[base] = (rx + ox * width, ry + oy * width)
                if chain == "arm":
                    bones.append((root, base, "upper_back"))  # the shoulder line
                else:
                    bones.append((root, base, "low_back"))  # the pelvis
            else:
                joints[base] = (rx, ry)
            prev = base
            for bone in LIMBS[chain]:
                name = f"{bone}_{side}"
                step(prev, name, bone, name)
                prev = name

    lows = [min(y for _x, y in joints.values()) - LIMB_RADIUS, head[1] - HEAD_RADIUS]
    if view == "side":  # the nose (see scene) must not go through the floor either
        lows.append(head[1] + _dir(a["head"] - 90)[1] * NOSE * HEAD_RADIUS - NOSE_RADIUS)
    drop = min(lows)
    joints = {k: (x, y - drop) for k, (x, y) in joints.items()}
    head = (head[0], head[1] - drop)
    return Figure(joints, tuple(bones), head, view, a["head"] - 90, a.get("turn", 0.0))


#: The angle key of the bone ending at each trunk joint (limb joints share their key).
JOINT_KEY = {"waist": "low_back", "chest": "mid_back", "neck_base": "upper_back", "neck_top": "neck"}


def visible_fraction(frame: Frame, joint: str) -> float:
    """How much of the bone ending at ``joint`` shows (1 unless foreshortened)."""
    return frame.foreshorten.get(JOINT_KEY.get(joint, joint), 1.0)


def bone_length(figure: Figure, start: str, end: str) -> float:
    (x1, y1), (x2, y2) = figure.joints[start], figure.joints[end]
    return math.hypot(x2 - x1, y2 - y1)


def scene(pose: Pose, frame: Frame | None = None) -> Scene:
    """The figure in ``frame`` (default: the end position) and its props."""
    frame = frame if frame is not None else pose.end
    fig = solve(frame, pose.view)
    segs: list[Segment] = []
    discs: list[Disc] = []
    j = fig.joints
    trunk_bones = {"low_back", "mid_back", "upper_back"}
    for start, end, bone in fig.bones:
        side = end.rsplit("_", 1)[-1] if "_" in end else ""
        if pose.view == "side":
            layer = "far" if side == "r" and bone not in trunk_bones else "near"
        else:
            layer = "near"
        radius = TRUNK_RADIUS if bone in trunk_bones and side not in ("l", "r") else LIMB_RADIUS
        if bone in ("hand", "foot"):
            radius = LIMB_RADIUS * 0.8
        (x1, y1), (x2, y2) = j[start], j[end]
        halo = pose.view == "side" and side == "l" and bone in LIMBS["arm"]
        segs.append(Segment(x1, y1, x2, y2, radius, layer, halo))
    # Far limbs first so near ones are drawn over them.
    segs.sort(key=lambda s: 0 if s.layer == "far" else 1)
    hx, hy = fig.head
    discs.append(Disc(hx, hy, HEAD_RADIUS, "near"))
    if pose.view != "side":
        # A thigh pointing at the viewer (bent knees seen from above or in
        # front) is short on the page: a round knee shows it is a bend, not
        # a short straight leg.
        for side in ("l", "r"):
            if frame.foreshorten.get(f"thigh_{side}", 1.0) <= KNEE_FORESHORTEN:
                kx, ky = j[f"thigh_{side}"]
                discs.append(Disc(kx, ky, LIMB_RADIUS * 1.7, "near"))
    if pose.view == "side":
        fx, fy = _dir(fig.face)
        segs.append(Segment(hx + fx * HEAD_RADIUS * 0.6, hy + fy * HEAD_RADIUS * 0.6,
                            hx + fx * HEAD_RADIUS * NOSE, hy + fy * HEAD_RADIUS * NOSE,
                            NOSE_RADIUS, "near"))
    elif abs(fig.turn) >= PROFILE_TURN:
        # Turned well to one side (looking over the shoulder): the nose shows
        # in profile, past the head's outline, as in side view.
        rx, ry = _dir(fig.face if fig.turn > 0 else fig.face + 180)
        segs.append(Segment(hx + rx * HEAD_RADIUS * 0.6, hy + ry * HEAD_RADIUS * 0.6,
                            hx + rx * HEAD_RADIUS * NOSE, hy + ry * HEAD_RADIUS * NOSE,
                            NOSE_RADIUS, "near"))
    else:
        # Facing us: a nose on the face, off centre as the head turns.
        ux, uy = _dir(fig.face + 90)  # up the face
        rx, ry = _dir(fig.face)  # across the face, toward the figure's left
        off = math.sin(math.radians(fig.turn)) * HEAD_RADIUS * 1.05
        cx, cy = hx + rx * off, hy + ry * off
        segs.append(Segment(cx + ux * HEAD_RADIUS * 0.1, cy + uy * HEAD_RADIUS * 0.1,
                            cx - ux * HEAD_RADIUS * 0.45, cy - uy * HEAD_RADIUS * 0.45,
                            LIMB_RADIUS * 0.45, "face"))
    segs[0:0] = _props(pose, fig)
    return Scene(tuple(segs), tuple(discs))


_PROP_R = 0.008


def _props(pose: Pose, fig: Figure) -> list[Segment]:
    out: list[Segment] = []
    px, py = fig.joints["pelvis"]
    for prop in pose.props:
        if prop.kind == "chair":
            seat = py - TRUNK_RADIUS - _PROP_R
            back_side = -1.0 if pose.view == "side" else 0.0
            x0, x1 = px - 0.13, px + 0.13
            if pose.view == "side":
                x0, x1 = px - 0.06, px + 0.17
            out.append(Segment(x0, seat, x1, seat, _PROP_R * 1.5, "prop"))
            for lx in (x0 + 0.01, x1 - 0.01):
                out.append(Segment(lx, seat, lx, 0.0, _PROP_R, "prop"))
            if back_side and prop.back > 0:
                bx = x0 - 0.0
                out.append(Segment(bx, seat, bx - 0.02, seat + prop.back, _PROP_R * 1.5, "prop"))
        elif prop.kind == "wall":
            out.append(Segment(prop.x, 0.0, prop.x, 1.05, _PROP_R * 1.5, "prop"))
        elif prop.kind == "doorway":
            if pose.view == "front":
                for x in (-prop.x, prop.x):
                    out.append(Segment(x, 0.0, x, 1.1, _PROP_R * 2, "prop"))
                out.append(Segment(-prop.x, 1.1, prop.x, 1.1, _PROP_R * 2, "prop"))
            else:
                out.append(Segment(prop.x, 0.0, prop.x, 1.1, _PROP_R * 2.5, "prop"))
    # The floor (a mat is a thicker strip under the figure).
    xs = [x for x, _y in fig.joints.values()] + [fig.head[0]]
    lo, hi = min(xs) - 0.12, max(xs) + 0.12
    if pose.view == "top":
        # Seen from above: the mat is a rectangle around the figure.
        ys = [y for _x, y in fig.joints.values()] + [fig.head[1] + HEAD_RADIUS]
        y0, y1 = min(ys) - 0.06, max(ys) + 0.06
        x0, x1 = min(-0.45, lo), max(0.45, hi)
        for a, b, c, d in ((x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)):
            out.append(Segment(a, b, c, d, _PROP_R, "prop"))
        return out
    if any(p.kind == "mat" for p in pose.props):
        out.append(Segment(lo, -_PROP_R * 2, hi, -_PROP_R * 2, _PROP_R * 2, "prop"))
    else:
        out.append(Segment(lo, -_PROP_R, hi, -_PROP_R, _PROP_R, "prop"))
    return out


#: pose_bounds results by (id(pose), steps), with the pose kept so its id is not reused.
_BOUNDS: dict[tuple[int, int], tuple[Pose, tuple[float, float, float, float]]] = {}


def pose_bounds(pose: Pose, steps: int = 12) -> tuple[float, float, float, float]:
    """The box holding every frame of ``pose`` (and the path between); worked out once per pose."""
    kept = _BOUNDS.get((id(pose), steps))
    if kept is not None and kept[0] is pose:
        return kept[1]
    bounds = _pose_bounds(pose, steps)
    if len(_BOUNDS) >= 512:
        _BOUNDS.clear()
    _BOUNDS[(id(pose), steps)] = (pose, bounds)
    return bounds


def _pose_bounds(pose: Pose, steps: int) -> tuple[float, float, float, float]:
    boxes = [scene(pose, pose.frame_at(i / steps)).bounds() for i in range(steps + 1)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


# ----------------------------------------------------------------- loading


@dataclass(frozen=True)
class PoseLibrary:
    postures: dict[str, dict[str, float]]
    poses: dict[str, Pose] = field(default_factory=dict)

    def get(self, stretch_id: str) -> Pose | None:
        return self.poses.get(stretch_id)

    def __contains__(self, stretch_id: object) -> bool:
        return stretch_id in self.poses


def default_poses_path() -> Path:
    """Where ``poses.json`` is: inside the package (wheel) or at the repo root."""
    return shipped_file("poses.json")


def _number(value: object, where: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(where, f"must be a number, not {type(value).__name__}")
    assert isinstance(value, (int, float))
    if not lo <= value <= hi:
        _fail(where, f"{value} is outside {lo:g}..{hi:g}")
    return float(value)


def _angles(obj: object, where: str) -> dict[str, float]:
    if not isinstance(obj, dict):
        _fail(where, "must be an object of bone angles")
    assert isinstance(obj, dict)
    out = {}
    for key, value in obj.items():
        if key not in ANGLES:
            _fail(f"{where}.{key}", f"unknown bone (known: {', '.join(ANGLES)})")
        out[key] = _number(value, f"{where}.{key}", -360, 360)
    return out


def _prop(obj: object, where: str) -> Prop:
    if isinstance(obj, str):
        obj = {"type": obj}
    d = _keys(obj, where, ("type",), ("x", "back"))
    kind = d["type"]
    if kind not in PROPS:
        _fail(f"{where}.type", f"unknown prop {kind!r} (known: {', '.join(PROPS)})")
    for key in d:
        if key != "type" and key not in _PROP_KEYS[kind]:
            _fail(f"{where}.{key}", f"a {kind} has no {key!r}")
    return Prop(kind, _number(d.get("x", 0.0), f"{where}.x", -3, 3),
                _number(d.get("back", 0.3), f"{where}.back", 0, 1))


def parse_poses(data: object, stretch_ids: Iterable[str] | None = None) -> PoseLibrary:
    """Validate parsed JSON and build a :class:`PoseLibrary`.

    With ``stretch_ids``, a pose for a stretch not in the catalog is an error.
    """
    try:
        return _parse(data, None if stretch_ids is None else set(stretch_ids))
    except _Invalid as exc:
        raise PoseError(str(exc)) from None


def _parse(data: object, known: set | None) -> PoseLibrary:
    top = _keys(data, "poses file", ("version", "postures", "poses"), ("about",))
    if top["version"] != 1:
        _fail("version", f"must be 1, not {top['version']!r}")
    postures_in = top["postures"]
    if not isinstance(postures_in, dict):
        _fail("postures", "must be an object")
    postures: dict[str, dict[str, float]] = {}
    for name, body in postures_in.items():
        angles = _angles(body, f"postures.{name}")
        for k, v in OPTIONAL_ANGLES.items():
            angles.setdefault(k, v)
        missing = [k for k in ANGLES if k not in angles]
        if missing:
            _fail(f"postures.{name}", f"must set every bone; missing {', '.join(missing)}")
        postures[name] = angles
    poses_in = top["poses"]
    if not isinstance(poses_in, dict):
        _fail("poses", "must be an object keyed by stretch id")
    poses: dict[str, Pose] = {}
    for sid, body in poses_in.items():
        where = f"poses.{sid}"
        if known is not None and sid not in known:
            _fail(where, "is not a stretch in the catalog")
        d = _keys(body, where, ("frames",), ("view", "props", "motion"))
        view = d.get("view", "side")
        if view not in VIEWS:
            _fail(f"{where}.view", f"must be one of {', '.join(VIEWS)}, not {view!r}")
        motion = d.get("motion", "hold")
        if motion not in MOTIONS:
            _fail(f"{where}.motion", f"must be one of {', '.join(MOTIONS)}, not {motion!r}")
        props_in = d.get("props", [])
        if not isinstance(props_in, list):
            _fail(f"{where}.props", "must be a list")
        props = tuple(_prop(p, f"{where}.props[{i}]") for i, p in enumerate(props_in))
        frames_in = d["frames"]
        if not isinstance(frames_in, list) or len(frames_in) < 1:
            _fail(f"{where}.frames", "must be a non-empty list (start first, end last)")
        if motion == "cycle" and len(frames_in) < 2:
            _fail(f"{where}.frames", "a moving (cycle) pose needs at least a start and an end frame")
        frames: list[Frame] = []
        prev: Frame | None = None
        for i, fr in enumerate(frames_in):
            fw = f"{where}.frames[{i}]"
            fd = _keys(fr, fw, (), ("posture", "angles", "x", "label", "foreshorten"))
            if "posture" in fd:
                if fd["posture"] not in postures:
                    _fail(f"{fw}.posture", f"unknown posture {fd['posture']!r} (known: {', '.join(postures)})")
                angles = dict(postures[fd["posture"]])
            elif prev is not None:
                angles = dict(prev.angles)
            else:
                _fail(fw, "the first frame must name a posture")
            angles.update(_angles(fd.get("angles", {}), f"{fw}.angles"))
            x = _number(fd.get("x", prev.x if prev else 0.0), f"{fw}.x", -3, 3)
            label = fd.get("label", "")
            if not isinstance(label, str):
                _fail(f"{fw}.label", "must be text")
            short_in = fd.get("foreshorten", {})
            if not isinstance(short_in, dict):
                _fail(f"{fw}.foreshorten", "must be an object of bone -> visible fraction")
            short = dict(prev.foreshorten) if prev is not None and "posture" not in fd else {}
            for bone, value in short_in.items():
                if bone not in ANGLES or (bone not in FORESHORTEN and bone.rsplit("_", 1)[0] not in FORESHORTEN):
                    _fail(f"{fw}.foreshorten.{bone}", "not a bone that can be foreshortened")
                short[bone] = _number(value, f"{fw}.foreshorten.{bone}", 0.05, 1)
            prev = Frame(angles, x, label, short)
            frames.append(prev)
        poses[sid] = Pose(sid, view, props, motion, tuple(frames))
    return PoseLibrary(postures, poses)


def _no_duplicates(pairs: list) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


_CACHE: dict = {}


def load_poses(path: Path | None = None, catalog=None) -> PoseLibrary:
    """Load and validate ``poses.json`` (default: the shipped one).

    With ``catalog``, every pose must be for a stretch in it. Errors are a
    :class:`PoseError` starting with the file and naming the entry and field.
    """
    path = Path(path) if path else default_poses_path()
    ids = tuple(catalog.stretches) if catalog is not None else None
    key = (str(path), ids)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise PoseError(f"{path}: cannot read the poses ({exc.strerror or exc})") from None
    cached = _CACHE.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=_no_duplicates)
    except OSError as exc:
        raise PoseError(f"{path}: cannot read the poses ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise PoseError(f"{path}: not valid JSON ({exc})") from None
    try:
        library = parse_poses(data, ids)
    except PoseError as exc:
        raise PoseError(f"{path}: {exc}") from None
    _CACHE[key] = (stamp, library)
    return library


def pose_for(stretch_id: str, catalog=None) -> Pose | None:
    """The pose of ``stretch_id`` from the shipped file, or ``None`` (also when
    the file is missing or broken: a figure is never worth a crash).

    ``catalog`` is accepted for symmetry but not used to validate: a pose for
    a stretch another catalog lacks is harmless here (the tests hold the
    shipped files to each other)."""
    try:
        return load_poses(None).get(stretch_id)
    except PoseError:
        return None


# ----------------------------------------------------------------- motion
#: Seconds the figure takes to move into position during get-ready.
GET_READY_MOVE = 3.0
#: A duration step (keep moving) cycles about this often.
CYCLE_SECONDS = 4.0


def _ease(p: float) -> float:
    p = min(1.0, max(0.0, p))
    return p * p * (3 - 2 * p)


def step_figure(kind: str, moves: bool, elapsed: float, duration: float) -> tuple[float, bool, float | None]:
    """Where a stretch's figure is during a player step.

    Returns ``(t, moving, wake_in)``: ``t`` along the pose's path (0 = start,
    1 = end), whether it is moving now (so frames are needed), and when still,
    the seconds until it moves again (``None``: not in this step).

    - get-ready: a held stretch moves from the start into the position over
      the first :data:`GET_READY_MOVE` seconds, then stays; a moving stretch
      waits at its start.
    - hold: still, in the position.
    - rep: a moving stretch goes to the end and back once per rep; a held one
      moves in over the first quarter, holds, and comes back in the last.
    - move (keep moving): back and forth about every :data:`CYCLE_SECONDS`.
    - rest, switch: still, at the start.
    """
    elapsed = max(0.0, elapsed)
    if kind == "get-ready":
        if moves:
            return 0.0, False, None
        span = min(GET_READY_MOVE, duration * 0.6)
        if span <= 0 or elapsed >= span:
            return 1.0, False, None
        return _ease(elapsed / span), True, None
    if kind == "hold":
        return 1.0, False, None
    if kind == "rep" and duration > 0:
        p = elapsed / duration
        if p >= 1:
            return 0.0, False, None
        if moves:
            return (1 - math.cos(2 * math.pi * p)) / 2, True, None
        if p < 0.25:
            return _ease(p / 0.25), True, None
        if p < 0.75:
            return 1.0, False, (0.75 - p) * duration
        return 1 - _ease((p - 0.75) / 0.25), True, None
    if kind == "move" and duration > 0:
        if elapsed >= duration:
            return 0.0, False, None
        period = duration / max(1, round(duration / CYCLE_SECONDS))
        return (1 - math.cos(2 * math.pi * elapsed / period)) / 2, True, None
    return 0.0, False, None
