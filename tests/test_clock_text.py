"""The injected clocks and the cleaning of untrusted text."""

import time
from datetime import datetime, timedelta, timezone

import pytest

from stretchtui.core.clock import FakeClock, ScaledClock
from stretchtui.core.text import clean_name, clean_text


def test_fake_clock_moves_only_when_told():
    clock = FakeClock(datetime(2026, 1, 5, 7, 30, tzinfo=timezone.utc))
    mono, now = clock.monotonic(), clock.now()
    assert (clock.monotonic(), clock.now()) == (mono, now)
    clock.advance(90)
    assert clock.monotonic() == mono + 90
    assert clock.now() == now + timedelta(seconds=90)


def test_fake_clock_needs_a_timezone():
    with pytest.raises(ValueError):
        FakeClock(datetime(2026, 1, 5))


def test_scaled_clock_speeds_session_time_but_not_the_date():
    clock = ScaledClock(50)
    m0 = clock.monotonic()
    time.sleep(0.05)
    elapsed = clock.monotonic() - m0
    assert elapsed >= 2.0  # 0.05 s of real time is at least 2.5 s of session time
    # Wall-clock stamps stay real, so demo sessions are never dated in the future.
    assert abs((clock.now() - datetime.now().astimezone()).total_seconds()) < 1


def test_scaled_clock_refuses_a_non_positive_speed():
    with pytest.raises(ValueError):
        ScaledClock(0)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Neck\x1b]0;pwned\x07 care", "Neck]0;pwned care"),
        ("clip\x1b]52;c;ZXZpbA==\x07board", "clip]52;c;ZXZpbA==board"),
        ("csi\x9b2J", "csi2J"),
        ("right\u202eto\u2066left", "righttoleft"),
        ("del\x7f", "del"),
        ("[bold]x[/] [@click=app.quit]q[/]", "[bold]x[/] [@click=app.quit]q[/]"),
    ],
)
def test_clean_name_strips_controls_and_keeps_markup_literally(raw, expected):
    assert clean_name(raw) == expected


def test_clean_text_keeps_newlines_and_tabs_in_notes():
    assert clean_text("line one\r\n\tline two\x00") == "line one\n\tline two"


def test_clean_name_folds_whitespace():
    assert clean_name("  Morning \n\t stiffness  ") == "Morning stiffness"
