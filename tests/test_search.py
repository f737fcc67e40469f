"""One ranking for finding a stretch (`catalog --search` and the app's / search):
a word of the name first, then aliases, then the conditions a stretch helps,
then a typing slip away."""

from __future__ import annotations

import json

import pytest

from stretchtui.cli import main
from stretchtui.core.domain.catalog import load_catalog
from stretchtui.core.domain.search import entry, slips, tier

CAT = load_catalog()


def names(text: str, region: str | None = None) -> list[str]:
    return [s.name for s in CAT.search(text, region)]


def test_a_word_of_the_name_comes_first():
    assert names("chin")[0] == "Chin Tuck"
    assert "Cat-Cow" not in names("chin"), "'arching' is no match for 'chin'"
    assert names("cobra")[0] == "Cobra Stretch"


@pytest.mark.parametrize("complaint, condition", [("sciatica", "sciatica"), ("stenosis", "spinal-stenosis"),
                                                  ("radiculopathy", "cervical-radiculopathy")])
def test_the_condition_a_stretch_helps_finds_it(complaint, condition):
    found = CAT.search(complaint)
    assert found, f"{complaint!r} finds nothing"
    helped = [s for s in found if condition in s.helps]
    # (the 'or all(s in found ...)' this had was always true: helped is taken from found)
    assert helped, f"{complaint!r} finds no stretch that helps {condition}"


def test_a_typing_slip_is_forgiven_but_short_words_must_be_exact():
    assert any("Hamstring" in n for n in names("hamstirng"))
    assert any("Hamstring" in n for n in names("hamstrng"))
    assert set(names("nekc")) == set(names("neck")), "four letters: one slip (a swap)"
    assert names("cbr") == [], "three letters: no slips"
    assert names("xyzzyplugh") == []


def test_name_matches_rank_above_alias_and_condition_matches():
    item = entry("Chin Tuck", "chin-tuck", ["cervical retraction"], ["Cervical radiculopathy"])
    assert tier("chin", item) == 0 and tier("tuck", item) == 0
    assert tier("uck", item) == 1
    assert tier("retraction", item) == 2
    assert tier("radiculopathy", item) == 3
    assert tier("retractoin", item) == 4
    assert tier("arching", item) == 5


def test_every_word_must_match_and_regions_still_filter():
    assert names("horizontal back twist") == ["Supine Twist"]
    assert names("piriformis", region="neck") == []


def test_slips_counts_swaps_as_one():
    assert slips("hamstirng", "hamstring", 2) == 1
    assert slips("abc", "abd", 1) == 1
    assert slips("abcdef", "uvwxyz", 2) == 3, "stops at the limit + 1"


def test_catalog_search_on_the_command_line_uses_the_same_ranking(capsys):
    assert main(["catalog", "--search", "chin", "--json"]) == 0
    ids = [s["id"] for s in json.loads(capsys.readouterr().out)]
    assert ids == [s.id for s in CAT.search("chin")] and ids[0] == "chin-tuck"
    assert main(["catalog", "--search", "stenosis"]) == 0
    out = capsys.readouterr().out
    assert "best match first" in out and "No stretches match" not in out


def test_the_table_names_regions_as_region_takes_them(capsys):
    assert main(["catalog"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    regions = {row.split()[-4 if "each side" in row else -3] for row in rows if row and not row.startswith(" ")}
    valid = {"lower-back", "upper-back", "neck", "nerves"}
    assert any(r.split("+")[0] in valid for r in regions)
    assert not {"low", "upper"} & {r.split("+")[0] for r in regions}
