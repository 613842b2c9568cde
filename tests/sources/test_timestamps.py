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
