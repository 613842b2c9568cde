"""Record times from log lines and time fields."""
from __future__ import annotations

from datetime import datetime, timezone

from pdscan.sources.timestamps import TIMESTAMP, Clock, is_time_field


def test_syslog_time_takes_this_year_or_the_last():
    clock = Clock(datetime(2026, 1, 10, 12, 0, tzinfo=timezone.utc))
    seconds = clock.seconds(TIMESTAMP.search("Jan  9 23:59:58 host sshd[1]: x"))
    assert datetime.fromtimestamp(seconds, timezone.utc) == datetime(2026, 1, 9, 23, 59, 58, tzinfo=timezone.utc)
    seconds = clock.seconds(TIMESTAMP.search("Dec 31 23:00:00 host x"))
    assert datetime.fromtimestamp(seconds, timezone.utc).year == 2025


def test_time_field_values_dates_and_epochs():
    clock = Clock(datetime(2026, 12, 1, tzinfo=timezone.utc))
    day = datetime(2026, 11, 24, tzinfo=timezone.utc).timestamp()
    assert clock.value_seconds("2026-11-24T00:00:00Z") == day and clock.value_seconds("2026-11-24") == day
    assert clock.value_seconds(str(int(day) * 1000)) == day and clock.value_seconds("42") is None
    assert is_time_field("$.events[].@timestamp") and not is_time_field("$.user.email")


def test_dated_times_from_the_cached_day_are_exact_and_refuse_what_datetime_refuses():
    clock = Clock(datetime(2026, 12, 1, tzinfo=timezone.utc))

    def at(text):
        seconds = clock.seconds(TIMESTAMP.search(text))
        return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc)

    assert at("2026-11-24T09:12:07+08:00 x") == datetime(2026, 11, 24, 1, 12, 7, tzinfo=timezone.utc)
    assert at("2026-11-24 23:59:59,5 x") == datetime(2026, 11, 24, 23, 59, 59, tzinfo=timezone.utc)  # same day
    assert at("[24/Nov/2026:00:00:00 -0700]") == datetime(2026, 11, 24, 7, tzinfo=timezone.utc)
    assert at("2026-11-24T24:00:00Z") is None and at("2026-11-24T10:60:00Z") is None
    assert at("2026-02-29T10:00:00Z") is None and at("2024-02-29T10:00:00Z") is not None
    assert at("[24/Foo/2026:00:00:00 +0000]") is None and at("0000-01-01T00:00:00Z") is None


def test_line_times_agree_with_a_plain_walk_up_in_any_order_of_lookups():
    import random

    from pdscan.sources.timestamps import TIMESTAMP_WINDOW, LineTimes

    clock = Clock(datetime(2026, 12, 1, tzinfo=timezone.utc))

    def walked(text, offset):  # a record's time, read the plain way: up to 16 lines up, whole lines
        start = text.rfind("\n", 0, offset) + 1
        for _ in range(16):
            end = text.find("\n", start)
            found = TIMESTAMP.search(text, start, min(len(text) if end < 0 else end, start + TIMESTAMP_WINDOW))
            if found is not None:
                seconds = clock.seconds(found)
                return None if seconds is None else (seconds, seconds)
            if start == 0:
                return None
            start = text.rfind("\n", 0, start - 1) + 1
        return None

    rng = random.Random(5)
    pieces = ["2026-11-24T09:12:0%d " % n for n in range(10)]
    pieces += ["[24/Nov/2026:10:00:00 +0100] ", "Nov 24 09:12:00 ", "x" * 200, "a b ", "\n", "\n", "\n",
               "2026-02-30 10:00:00"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        times = LineTimes(clock)
        offsets = [rng.randint(0, len(text)) for _ in range(20)]
        offsets += sorted(offsets) + [o + 1 for o in offsets if o < len(text)]
        for offset in offsets:
            assert times.seconds_at(text, offset, 0) == walked(text, offset), (text, offset)
