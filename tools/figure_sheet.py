"""Write the README's figure pictures: ``python tools/figure_sheet.py``.

- ``screenshots/figures.svg`` (and ``.png`` when ``rsvg-convert`` is
  installed): a few stretches, start and end, drawn from ``poses.json``.
- ``--all DIR``: one SVG (and PNG) per stretch with every keyframe, for
  checking the poses by eye after editing ``poses.json``.
- ``--handout FILE.png``: the first page of a starter routine's handout,
  printed by headless Chromium and rasterised by ``pdftoppm`` (both must be
  installed; nothing is written otherwise).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from datetime import date
from html import escape
from pathlib import Path

if not __package__:  # run as `python tools/NAME.py`: import this checkout's package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.pose import PoseLibrary, load_poses, pose_bounds
from stretchtui.core.reports.figure_render import svg

README_FIGURES = ("cat-cow", "sphinx", "hamstring-stretch", "neck-side-tilt", "lower-trunk-rotation", "doorway-stretch")


def sheet(poses: PoseLibrary, ids: Iterable[str], names: dict, *, width: int = 210, every_frame: bool = False) -> str:
    """One SVG with a row per stretch: its name, then its keyframes with their labels."""
    parts: list[str] = []
    y = 0
    widest = 0
    for sid in ids:
        pose = poses.get(sid)
        if pose is None:
            continue
        bounds = pose_bounds(pose)
        frames = list(pose.frames) if every_frame else [pose.start, pose.end]
        parts.append(f'<text x="6" y="{y + 16}" font-family="sans-serif" font-size="14" '
                     f'font-weight="bold" fill="#1d3557">{escape(names.get(sid, sid))}</text>')
        x, row = 0, 0
        for frame in frames:
            pic = svg(pose, frame, width=width, bounds=bounds)
            match = re.search(r'height="(\d+)"', pic)
            height = int(match.group(1)) if match else width
            parts.append(pic.replace("<svg ", f'<svg x="{x}" y="{y + 24}" ', 1))
            parts.append(f'<text x="{x + width / 2}" y="{y + 24 + height + 14}" text-anchor="middle" '
                         f'font-family="sans-serif" font-size="11" fill="#44546a">{escape(frame.label)}</text>')
            x += width + 16
            row = max(row, height)
        widest = max(widest, x)
        y += row + 50
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{widest}" height="{y}" viewBox="0 0 {widest} {y}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(parts)}</svg>\n')


def _png(path: Path) -> Path | None:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        return None
    out = path.with_suffix(".png")
    subprocess.run([converter, "-o", str(out), str(path)], check=True)
    return out


def handout_png(out: Path, routine_name: str = "Sciatica relief", conditions: tuple = ("sciatica",)) -> Path:
    """Print a starter routine's handout with headless Chromium; the first page as PNG."""
    from stretchtui.core.domain.models import Profile
    from stretchtui.core.reports.handout import build_handout

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    pdftoppm = shutil.which("pdftoppm")
    if chromium is None or pdftoppm is None:
        raise SystemExit("needs chromium and pdftoppm (poppler-utils)")
    catalog = load_catalog()
    routine = next(r for r in catalog.starters if r.name == routine_name)
    text = build_handout(routine, catalog, Profile(conditions=conditions), today=date.today())
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "handout.html"
        page.write_text(text, encoding="utf-8")
        pdf = Path(tmp) / "handout.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True)
        subprocess.run([pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(out.with_suffix(""))], check=True)
    return out


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/figure_sheet.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots") / "figures.svg")
    parser.add_argument("--all", type=Path, metavar="DIR", help="one picture per stretch, every keyframe")
    parser.add_argument("--handout", type=Path, metavar="FILE.png", help="first page of a printed handout")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    poses = load_poses(None, catalog)
    names = {s.id: s.name for s in catalog.stretches.values()}
    if args.handout:
        print(handout_png(args.handout))
        return 0
    if args.all:
        args.all.mkdir(parents=True, exist_ok=True)
        for sid in catalog.stretches:
            path = args.all / f"{sid}.svg"
            path.write_text(sheet(poses, [sid], names, every_frame=True), encoding="utf-8")
            print(_png(path) or path)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(sheet(poses, README_FIGURES, names), encoding="utf-8")
    print(_png(args.out) or args.out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
