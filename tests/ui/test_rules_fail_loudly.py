"""Where safety text is drawn, a failure of the rules is shown, never taken for "no warnings"."""

from __future__ import annotations

import pytest

from stretchtui.core.domain import rules
from stretchtui.ui.widgets import stretch_detail, stretch_list


@pytest.fixture
def stretch(real_catalog):
    """A stretch the rules warn about for osteoporosis (found while the rules work)."""
    for candidate in real_catalog.by_region():
        if rules.warnings_for_stretch(candidate, ("osteoporosis",), real_catalog):
            return candidate
    raise AssertionError("the catalog has no stretch with a warning for osteoporosis")


@pytest.fixture
def broken_rules(monkeypatch, stretch):
    def fail(*_args, **_kwargs):
        raise RuntimeError("rule table damaged")

    monkeypatch.setattr(rules, "warnings_for_stretch", fail)
    monkeypatch.setattr(stretch_list, "warnings_for_stretch", fail)


def test_the_detail_pane_says_the_rules_failed_instead_of_showing_no_warnings(real_catalog, stretch, broken_rules):
    text = " ".join(stretch_detail.render_stretch(stretch, ("osteoporosis",), real_catalog, width=70).plain.split())
    assert stretch_detail.RULES_FAILED in text
    assert "warnings that apply to you may be missing" in text and "rule table damaged" in text


def test_the_detail_pane_shows_the_warnings_when_the_rules_work(real_catalog, stretch):
    text = stretch_detail.render_stretch(stretch, ("osteoporosis",), real_catalog, width=70).plain
    assert "For you" in text and stretch_detail.RULES_FAILED not in text


def test_the_list_marks_the_row_as_an_error_not_as_a_guess(real_catalog, stretch, broken_rules):
    assert stretch_list.stretch_level(stretch, ("osteoporosis",), real_catalog) == "error"
    assert stretch_list.stretch_row(stretch, "error").plain.startswith("? ")
