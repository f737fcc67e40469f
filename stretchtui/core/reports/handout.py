"""A printable handout of a routine: one self-contained HTML page.

INTERFACE:

- ``build_handout(routine, catalog, profile, *, today, poses=None) -> str``:
  the page: routine name and date, the user's conditions, for each item the
  start and end figures (inline SVG), the dose, steps, cues and the cautions
  that apply to this user, then the red flags. No external resource (no
  link, script, image URL or font), so it opens and prints offline; CSS
  ``@page`` rules keep every item whole on A4 and Letter.
- ``write_handout(text, path, *, force=False) -> Path``: atomic write that
  never overwrites without ``force``.
- ``handout_red_flags() -> tuple[(heading, items), ...]``: the red flags
  printed at the end.

Everything that comes from data (names, notes, steps, reasons) is
HTML-escaped after control characters are removed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.models import Profile, Routine, SafetyWarning
from ..domain.pose import PoseError, PoseLibrary, load_poses, pose_bounds
from ..errors import StretchtuiError
from ..storage.safe_file import WriteRefused, write_file
from ..storage.share_code import encode, handout_meta
from ..text import clean_name, clean_text
from .dose_words import dose_text
from .dose_words import plural as _plural
from .figure_render import svg

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.catalog import Catalog


class HandoutError(StretchtuiError):
    """The handout could not be written."""


def handout_red_flags(pregnant: bool = False) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The red flags printed at the end of every handout, grouped by urgency:
    ``(urgency line, signs)`` per group, from the app's one list (the groups
    the pre-session checklist asks, :func:`~stretchtui.core.domain.red_flags.checklist_groups`:
    the pregnancy signs only for a profile with pregnancy), so the handout says
    exactly what the screens say."""
    from ..domain.red_flags import checklist_groups

    return tuple((str(g.urgency), tuple(str(t) for t in g.texts)) for g in checklist_groups(pregnant))


def _item_warnings(warnings: Iterable[SafetyWarning], index: int, stretch_id: str) -> list[SafetyWarning]:
    out = []
    for w in warnings:
        if w.items:
            if index in w.items:
                out.append(w)
        elif stretch_id in w.stretch_ids:
            out.append(w)
    return out


def _e(value: str, *, multiline: bool = False) -> str:
    return escape(clean_text(value, multiline=multiline) if multiline else clean_name(value), quote=True)


_LEVEL_LABEL = {"avoid": "Avoid", "caution": "Caution", "info": "Note"}

_CSS = """
@page { margin: 11mm 12mm 12mm; }
* { box-sizing: border-box; }
html { font: 10pt/1.3 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1b1b1b; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 0 0 1mm; }
h3 { font-size: 9.5pt; margin: 2mm 0 .5mm; text-transform: uppercase; letter-spacing: .04em; color: #44546a; }
p, ul, ol { margin: 0 0 2mm; }
ul, ol { padding-left: 6mm; }
.meta { color: #44546a; }
.notice { border-left: 3px solid #44546a; padding: 1mm 3mm; font-size: 9.5pt; }
.item { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #c9ced6; padding: 3mm 0 1mm; }
.item-body { display: flex; align-items: flex-start; gap: 6mm; }
.item-text { flex: 1 1 auto; min-width: 0; }
.figures { flex: 0 0 78mm; display: flex; align-items: flex-end; gap: 2mm; margin: 1mm 0 2mm; }
.figures figure { margin: 0; text-align: center; flex: 1 1 0; min-width: 0; }
.figures svg { display: block; margin: 0 auto; width: auto; height: auto; max-width: 100%; max-height: 30mm; }
.figures figcaption { font-size: 8.5pt; line-height: 1.2; color: #44546a; }

.arrow { font-size: 13pt; color: #7d8ca3; padding-bottom: 5mm; }
.figures.wide { flex-direction: column; align-items: stretch; gap: 0; }
.figures.wide svg { max-height: 24mm; }
.figures.wide .arrow { padding: 0; text-align: center; line-height: 1; }
.dose { font-weight: 600; }
.warning { border: 1px solid #c9ced6; border-left-width: 4px; padding: 1mm 3mm; margin: 1mm 0; }
.warning.avoid { border-left-color: #b3261e; }
.warning.caution { border-left-color: #b26a00; }
.red-flags { break-inside: avoid; page-break-inside: avoid; border: 2px solid #b3261e; padding: 2mm 4mm; margin-top: 3mm; font-size: 9pt; }
.red-flags ul { margin-bottom: 1mm; }
.red-flags .groups { columns: 2; column-gap: 6mm; }
.red-flags .group { break-inside: avoid; page-break-inside: avoid; }
.red-flags .group h3 { margin-top: 0; }
.red-flags h2 { color: #b3261e; }
footer { margin-top: 4mm; font-size: 9pt; color: #44546a; }
.share .code { display: block; font-size: 7pt; word-break: break-all; color: #1b1b1b; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def build_handout(
    routine: Routine,
    catalog: Catalog,
    profile: Profile | None = None,
    *,
    today: date,
    poses: PoseLibrary | None = None,
) -> str:
    """The handout for ``routine`` as one HTML document (a string)."""
    from ..domain.rules import check_for_profile
    from ..domain.timeline import format_duration, routine_seconds

    profile = profile or Profile()
    if poses is None:
        try:
            poses = load_poses(None)
        except PoseError:
            poses = None  # still print the words; figures are a help, not a need
    warnings = check_for_profile(routine, catalog, profile)
    name = _e(routine.name) or "Routine"
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{name} - stretchtui handout</title>",
        # The routine itself, so `stretchtui import handout.html` gives it back.
        handout_meta(routine),
        f"<style>{_CSS}</style></head><body>",
        "<header>",
        f"<h1>{name}</h1>",
    ]
    meta = [f"Printed {today.isoformat()}", _plural(len(routine.items), "stretch").replace("stretchs", "stretches")]
    seconds = routine_seconds(routine, catalog, profile)
    if seconds is not None:
        meta.append(f"about {format_duration(seconds)} in all")
    out.append(f'<p class="meta">{" &middot; ".join(meta)}</p>')
    conditions = getattr(catalog, "conditions", {})
    if profile.conditions:
        names = ", ".join(_e(conditions[c].name if c in conditions else c) for c in profile.conditions)
        flare = " (in a flare)" if profile.flare else ""
        out.append(f"<p><strong>Your conditions{flare}:</strong> {names}. The cautions below are for these.</p>")
    else:
        out.append("<p><strong>Your conditions:</strong> none in your profile, so no condition-specific "
                   "cautions are shown.</p>")
    if routine.notes.strip():
        out.append(f"<p>{_e(routine.notes, multiline=True)}</p>")
    out.append('<p class="notice">A stretch should never hurt. Stop if pain spreads down an arm or a leg, '
               "or on new numbness, tingling or weakness. This sheet informs; it does not diagnose. "
               "See the red flags on the last page.</p>")
    general = [w for w in warnings if not w.items and not w.stretch_ids and w.level != "info"]
    for w in general:
        out.append(_warning_html(w))
    out.append("</header>")

    for index, item in enumerate(routine.items):
        stretch = catalog.get(item.stretch)
        out.append(f'<section class="item" id="item-{index + 1}">')
        if stretch is None:
            out.append(f"<h2>{index + 1}. {_e(item.stretch)}</h2>"
                       "<p>This stretch is not in the catalog any more; skip it.</p></section>")
            continue
        out.append(f"<h2>{index + 1}. {_e(stretch.name)}</h2>")
        if stretch.summary:
            out.append(f"<p>{_e(stretch.summary)}</p>")
        pose = poses.get(stretch.id) if poses is not None else None
        out.append('<div class="item-body">')
        if pose is not None:
            bounds = pose_bounds(pose)
            start_cap = _e(pose.start.label or "Start")
            if pose.view == "top":  # a lying figure drawn from above reads as squatting unless said
                start_cap += " (lying, seen from above)"
            end_cap = _e(pose.end.label or "End")
            # A lying figure is wide and low: start above end, each the column's full width.
            wide = (bounds[2] - bounds[0]) > 1.6 * (bounds[3] - bounds[1])
            if wide:
                arrow = "&#8645;" if pose.moves else "&#8595;"
            else:
                arrow = "&#8644;" if pose.moves else "&#8594;"
            out.append(
                f'<div class="figures{" wide" if wide else ""}">'
                f'<figure>{svg(pose, pose.start, width=220, bounds=bounds, title=f"{stretch.name}: start")}'
                f"<figcaption>Start: {start_cap}</figcaption></figure>"
                f'<div class="arrow" aria-hidden="true">{arrow}</div>'
                f'<figure>{svg(pose, pose.end, width=220, bounds=bounds, title=f"{stretch.name}: end")}'
                f"<figcaption>{'Then' if pose.moves else 'End'}: {end_cap}</figcaption></figure>"
                "</div>"
            )
        out.append('<div class="item-text">')
        out.append(f'<p class="dose">{escape(dose_text(item, stretch))}</p>')
        out.append("<h3>Steps</h3><ol>" + "".join(f"<li>{_e(s)}</li>" for s in stretch.steps) + "</ol>")
        if stretch.cues:
            out.append("<h3>Cues</h3><ul>" + "".join(f"<li>{_e(c)}</li>" for c in stretch.cues) + "</ul>")
        mine = [w for w in _item_warnings(warnings, index, stretch.id) if w.level != "info"]
        if mine:
            out.append("<h3>For you</h3>")
            out.extend(_warning_html(w) for w in mine)
        out.append("</div></div></section>")  # .item-text, .item-body

    out.append('<section class="red-flags"><h2>Red flags: stop and seek care</h2>')
    out.append('<div class="groups">')
    for heading, items in handout_red_flags("pregnancy" in profile.conditions):
        out.append('<div class="group">'
                   f"<h3>{escape(heading)}</h3><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul></div>")
    out.append("</div>")
    out.append("<p>stretchtui cannot tell what is causing your symptoms; a clinician can.</p></section>")
    out.append("<footer>Made with stretchtui. General information for the conditions you chose; "
               "follow your clinician's advice where it differs.")
    out.append('<p class="share">To use this routine in stretchtui: <code>stretchtui import</code> this file, '
               f'or <code>stretchtui import --code</code> with: <code class="code">{encode(routine)}</code></p>')
    out.append("</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _warning_html(w: SafetyWarning) -> str:
    label = _LEVEL_LABEL.get(w.level, "Note")
    return (f'<div class="warning {escape(w.level)}"><strong>{label}:</strong> {_e(w.message)}'
            f"<br>{_e(w.reason)}</div>")


def write_handout(text: str, path: str | os.PathLike, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` by the one safe writer (:func:`.safe_file.write_file`).

    Never overwrites unless ``force``, never replaces a link, FIFO or device
    (``--force`` included), and creates the file 0600 (less with a stricter
    umask): a handout or summary lists the user's conditions.
    """
    try:
        return write_file(path, text.encode("utf-8"), force=force, private=True, example="routine.html")
    except WriteRefused as exc:
        raise HandoutError(str(exc)) from None
