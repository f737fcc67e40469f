"""Honest catalog text: no runs copied from the seed articles, sources by
title, a note wherever the catalog departs from a seed."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from stretchtui.core.domain.catalog import (
    CatalogError,
    default_catalog_path,
    load_catalog,
    parse_catalog,
)
from tests.seed_copy import FINGERPRINTS, RUN, load_fingerprints, runs, seed_fingerprints

CAT = load_catalog()
RAW = json.loads(default_catalog_path().read_text("utf-8"))

#: Keys whose values are not prose: ids, vocabularies, ASCII figures, and the
#: sources table (its titles are the seeds' own titles, quoted on purpose).
_NOT_PROSE = {"id", "regions", "movements", "position", "mode", "sides", "source", "sources", "figure",
              "helps", "condition", "level", "alternative", "glide", "stretch", "target", "version"}


def _texts(node, where="catalog"):
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _texts(item, f"{where}[{i}]")
    elif isinstance(node, dict):
        label = f"{where} ({node['id']})" if isinstance(node.get("id"), str) else where
        for key, value in node.items():
            if key not in _NOT_PROSE:
                yield from _texts(value, f"{label}.{key}")


def copied_runs(data, fingerprints) -> list[str]:
    return [f"{where}: {words!r}" for where, text in _texts(data) for d, words in runs(text) if d in fingerprints]


def test_no_catalog_text_shares_a_run_of_eight_words_with_a_seed():
    fingerprints = load_fingerprints()
    assert len(fingerprints) > 1000  # the fingerprint file is really there
    found = copied_runs(RAW, fingerprints)
    assert not found, "reword these (copied from a seed):\n" + "\n".join(found)


def test_the_copy_check_catches_a_copied_sentence_whatever_the_case_and_punctuation():
    # One of the phrases the catalog used to copy, with different case and punctuation.
    data = copy.deepcopy(RAW)
    data["stretches"][0]["steps"][0] = "LIE on your back, with knees bent -- and feet flat on the floor!"
    found = copied_runs(data, load_fingerprints())
    assert found and "stretches[0] (ankle-pumps).steps[0]" in found[0]
    # Seven shared words are fine; the eighth makes a copied run.
    assert RUN == 8
    assert copied_runs({"note": "on your back with knees bent and"}, load_fingerprints()) == []
    assert copied_runs({"note": "lie on your back with knees bent and"}, load_fingerprints())


@pytest.mark.skipif(not os.environ.get("STRETCHTUI_SEEDS"), reason="set STRETCHTUI_SEEDS to the seed articles' folder")
def test_the_fingerprint_file_matches_the_seed_articles():
    assert seed_fingerprints(Path(os.environ["STRETCHTUI_SEEDS"])) == load_fingerprints(), (
        f"regenerate {FINGERPRINTS.name}: python tests/seed_copy.py SEEDS_DIR > tests/data/{FINGERPRINTS.name}"
    )


# ---------------------------------------------------------------- sources


def _with(mutate):
    data = copy.deepcopy(RAW)
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda d: d["stretches"][0].__setitem__("source", ["seed-999"]),
         "stretches[0] (ankle-pumps): source[0]: unknown source 'seed-999' (did you mean"),
        (lambda d: d["sources"][0].pop("title"), "sources[0] (seed-000): missing required key 'title'"),
        (lambda d: d["sources"].append(dict(d["sources"][0])), "is listed twice"),
        (lambda d: d["sources"][5].__setitem__("url", "www.example.com"), ".url: must be an http(s) address"),
        (lambda d: d["sources"][0].__setitem__("publisher", ""), "sources[0] (seed-000).publisher: must not be empty"),
    ],
)
def test_the_sources_table_is_validated_on_load(mutate, message):
    with pytest.raises(CatalogError) as err:
        parse_catalog(_with(mutate))
    assert message in str(err.value)


def test_details_pane_shows_sources_by_title_and_the_note():
    from stretchtui.ui.widgets.stretch_detail import render_stretch

    text = render_stretch(CAT.get("cat-cow"), (), CAT).plain
    assert "Best Stretches To Help Back Pain" in text and ".txt" not in text and "seed-001" not in text
    assert "Note on the sources" in text and "Breathing:" in text
    text = render_stretch(CAT.get("seated-nerve-slider"), (), CAT).plain
    assert "Peak Physio: Mobility: sciatic nerve slider" in text
    assert "https://www.peak-physio.com.au/exercises/mobility-sciatic-nerve-slider/" in text


def test_catalog_json_gives_readable_sources_and_the_note(capsys):
    from stretchtui.cli import main

    assert main(["catalog", "--json"]) == 0
    entries = {e["id"]: e for e in json.loads(capsys.readouterr().out)}
    knee = entries["knee-to-chest"]
    assert knee["source"] == [s["id"] for s in knee["sources"]]
    assert {s["title"] for s in knee["sources"]} >= {"Lower Back Pain Stretches: How They Can Help"}
    assert all(set(s) == {"id", "publisher", "title", "url"} for s in knee["sources"])
    assert "60-90 s" in knee["note"]
    assert not any(".txt" in json.dumps(e["sources"]) for e in entries.values())


# ---------------------------------------------------------------- doses against the seeds

#: What each seed says about the dose of a stretch it covers: (seed, hold range
#: in seconds, reps range), from reading the articles. ``None``: not stated.
Span = tuple[int, int]
SEED_DOSES: dict[str, list[tuple[str, Span, Span | None]]] = {
    "prone-press-up": [("seed-000", (10, 30), (10, 10))],
    "cobra": [("seed-001", (10, 10), (5, 5))],
    "sphinx": [("seed-001", (20, 30), (2, 3))],
    "knee-to-chest": [("seed-000", (15, 30), (2, 3)), ("seed-001", (15, 30), (2, 4)), ("seed-002", (30, 60), None),
                      ("seed-004", (10, 90), (3, 5))],
    "double-knee-to-chest": [("seed-000", (15, 30), (2, 3))],
    "prayer-stretch": [("seed-000", (10, 30), (2, 3)), ("seed-001", (20, 30), (2, 3))],
    "childs-pose": [("seed-001", (20, 20), (3, 3)), ("seed-002", (20, 60), None)],
    "spinal-rocks": [("seed-001", (60, 120), None)],
    "hamstring-stretch": [("seed-004", (10, 90), (3, 5))],
    "hip-drop": [("seed-001", (20, 30), (2, 3))],
    "lower-trunk-rotation": [("seed-001", (5, 10), (2, 3))],
    "supine-twist": [("seed-001", (20, 30), None)],
    "seated-spinal-twist": [("seed-002", (20, 60), None)],
    "reverse-russian-twist": [("seed-001", None, (10, 15))],
    "seated-piriformis": [("seed-001", (20, 20), (3, 3))],
    "supine-piriformis": [("seed-002", (30, 60), None)],
    "cow-face": [("seed-001", (30, 60), None)],
    "bridge": [("seed-001", None, (8, 12))],
    "pelvic-tilt": [("seed-001", None, (8, 12)), ("seed-002", (3, 10), None)],
    "sciatic-nerve-glide": [("seed-000", None, (10, 10))],
    "ankle-pumps": [("seed-004", None, (10, 10))],
    "heel-slides": [("seed-004", None, (10, 10))],
    "abdominal-contraction": [("seed-004", (5, 5), (10, 10))],
}

#: Seeds whose general hold advice (60-90 s) a held stretch citing them must allow or explain.
GENERAL_HOLDS = {"seed-004": (60, 90)}


@pytest.mark.parametrize("sid", sorted(SEED_DOSES))
def test_dose_ranges_cover_what_the_seeds_give(sid):
    stretch = CAT.get(sid)
    for seed, hold, reps in SEED_DOSES[sid]:
        assert seed in stretch.source, (sid, seed)
        if hold:
            assert stretch.dosage.hold.min <= hold[0] and hold[1] <= stretch.dosage.hold.max, (sid, seed, hold)
        if reps:
            assert stretch.dosage.reps.min <= reps[0] and reps[1] <= stretch.dosage.reps.max, (sid, seed, reps)


def test_held_stretches_citing_general_hold_advice_allow_it_or_say_why_not():
    for stretch in CAT.stretches.values():
        for seed, (_lo, hi) in GENERAL_HOLDS.items():
            if seed not in stretch.source or stretch.is_warmup:
                continue
            allowed = stretch.dosage.mode == "hold" and stretch.dosage.hold.max >= hi
            assert allowed or "60-90 s" in stretch.note, stretch.id


def test_cat_cow_explains_its_breathing():
    note = CAT.get("cat-cow").note
    assert "Breathing" in note and "out as you round" in note
    assert any("out as you round" in cue for cue in CAT.get("cat-cow").cues)


def test_details_pane_lists_wrap_under_their_text_not_at_column_one():
    """Steps, cues and sources wrap with a hanging indent to the pane's width ("long text wraps with an indent")."""
    from stretchtui.core.text import hang
    from stretchtui.ui.widgets.stretch_detail import render_stretch

    assert hang("1. ", "Lie on your back with the legs out straight and relax", 24) == (
        "1. Lie on your back with\n   the legs out straight\n   and relax")
    width = 40
    lines = render_stretch(CAT.get("knee-to-chest"), (), CAT, figure_width=width, width=width).plain.splitlines()
    steps = lines[lines.index("Steps") + 1:]
    steps = steps[: steps.index("")]
    assert len(steps) > len(CAT.get("knee-to-chest").steps)  # some step is long enough to wrap at 40
    for line in steps:
        assert len(line) <= width
        assert line[:1].isdigit() or line.startswith("   ")  # a continuation sits under the text
