"""Record times: timestamps near the start of log lines and in time fields, turned into epoch seconds.

A timestamp without a zone is taken as UTC. Syslog times carry no year: the ``Clock`` gives them the
year of its ``now`` (the file's modification time when it has one), or the year before.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

TIMESTAMP_WINDOW = 160  # a log line's timestamp comes first or after a short prefix (client IP, level)
TIMESTAMP_FIELDS = frozenset({"ts", "time", "timestamp", "@timestamp", "@t", "datetime", "date", "event_time",
                              "eventtime", "logged_at", "created_at", "created", "received_at"})
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
# Groups 0-6: ISO 8601 (2026-11-24T09:12:00Z, 2026-11-24 09:12:00,123); 7-13: Apache/nginx
# [24/Nov/2026:09:12:00 +0000]; 14-18: syslog (Nov 24 09:12:00, no year).
# The lookahead only skips positions where no branch can start (a digit, "[", a month's capital): a
# faster search, the same matches and groups.
TIMESTAMP = re.compile(
    r"(?=[\d\[A-Z])(?:(?<!\d)(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,]\d+)?(?: ?(Z|[+-]\d\d:?\d\d)\b)?"
    r"|\[(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\]"
    r"|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)\b)")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_INVALID = float("-inf")
_UNREAD = object()
_NO_TIMESTAMP = object()
_EARLIEST_EPOCH = 946_684_800  # 2000-01-01: smaller numbers in a time field are no epoch times


class Clock:
    """Turns timestamp matches into epoch seconds without strptime.

    Dated timestamps (ISO 8601, Apache) cache the start of their day per zone: a log repeats a few
    days on millions of lines, in any order, and the hour, minute and second are then plain
    arithmetic. Syslog times have no year and cache their minute: that of ``now`` (the file's
    modification time when it has one), or the year before when the date would come after ``now``.
    """

    def __init__(self, now: datetime):
        self._now = now
        self._days: dict[tuple, float] = {}
        self._minutes: dict[tuple, float] = {}

    def seconds(self, found: re.Match) -> float | None:
        g = found.groups()
        if g[0] is not None:
            key, hour, minute, second = (g[0], g[1], g[2], g[6]), g[3], g[4], g[5]
        elif g[7] is not None:
            key, hour, minute, second = (g[9], g[8], g[7], g[13]), g[10], g[11], g[12]
        else:
            return self._syslog_seconds(g)
        day = self._days.get(key)
        if day is None:
            if len(self._days) > 4096:
                self._days.clear()
            day = self._days[key] = self._day(*key)
        hours, minutes = int(hour), int(minute)
        # What datetime() would refuse: the whole timestamp is then no time (as an invalid date is).
        if day == _INVALID or hours > 23 or minutes > 59:
            return None
        return day + (hours * 3600 + minutes * 60 + int(second))

    def _day(self, year, month, day, zone) -> float:
        """The epoch seconds of the day's midnight in ``zone``; exact integers, as datetime gives them."""
        try:
            month_number = int(month) if month.isdigit() else _MONTHS[month]
            moment = datetime(int(year), month_number, int(day), tzinfo=timezone.utc)
        except (KeyError, ValueError):
            return _INVALID
        return moment.timestamp() - _zone_offset(zone)

    def _syslog_seconds(self, g: tuple) -> float | None:
        key = (None, g[14], g[15], g[16], g[17], None)
        minute = self._minutes.get(key)
        if minute is None:
            if len(self._minutes) > 4096:
                self._minutes.clear()
            minute = self._minutes[key] = self._minute(*key)
        return None if minute == _INVALID else minute + int(g[18])

    def _minute(self, year, month, day, hour, minute, zone) -> float:
        try:
            month_number = int(month) if month.isdigit() else _MONTHS[month]
            moment = datetime(int(year) if year else self._now.year, month_number, int(day), int(hour), int(minute),
                              tzinfo=timezone.utc)
            if year is None and moment > self._now + timedelta(days=1):
                moment = moment.replace(year=moment.year - 1)
        except (KeyError, ValueError):
            return _INVALID
        return moment.timestamp() - _zone_offset(zone)

    def value_seconds(self, text: str) -> float | None:
        """The time in a time field's value: a timestamp, a date, or epoch seconds/milliseconds."""
        found = TIMESTAMP.search(text, 0, 64)
        if found is not None:
            return self.seconds(found)
        date = _DATE.match(text)
        if date is not None:
            try:
                return datetime(*map(int, date.groups()), tzinfo=timezone.utc).timestamp()
            except ValueError:
                return None
        try:
            number = float(text)
        except ValueError:
            return None
        latest = self._now.timestamp() + 10 * 365 * 86400
        for scale in (1, 1e3, 1e6, 1e9):
            if _EARLIEST_EPOCH <= number / scale <= latest:
                return number / scale
        return None


def _zone_offset(zone: str | None) -> int:
    if not zone or zone == "Z":
        return 0
    digits = zone[1:].replace(":", "")
    offset = int(digits[:2]) * 3600 + int(digits[2:]) * 60
    return -offset if zone[0] == "-" else offset


class Span:
    """The oldest and newest time seen in a block."""

    __slots__ = ("low", "high")

    def __init__(self):
        self.low: float | None = None
        self.high: float | None = None

    def add(self, seconds: float | None) -> None:
        if seconds is None:
            return
        if self.low is None or seconds < self.low:
            self.low = seconds
        if self.high is None or seconds > self.high:
            self.high = seconds

    def bounds(self, fallback: datetime | None) -> tuple[datetime | None, datetime | None]:
        if self.low is None or self.high is None:
            return fallback, fallback
        return datetime.fromtimestamp(self.low, timezone.utc), datetime.fromtimestamp(self.high, timezone.utc)


def is_time_field(name: str) -> bool:
    """``ts``, ``$.ts``, ``$.events[].@timestamp``, ``created_at``: a field whose values are record times."""
    last = name.rsplit(".", 1)[-1].replace("[]", "").strip().lower()
    return last in TIMESTAMP_FIELDS


class LineTimes:
    """The record time of a line of free text, parsed only for the lines that hold a match.

    A line's time is the timestamp near its start, or that of the closest line above it that has one
    (a stack trace or a wrapped message continues its record), within ``_RECORD_LINES`` lines of the
    block; None when there is none. A finding's oldest and newest come from the records it was found
    in, so they do not depend on how the file was cut into blocks or byte ranges."""

    __slots__ = ("_clock", "_cache", "_line", "_own")
    _RECORD_LINES = 16

    def __init__(self, clock: Clock):
        self._clock = clock
        self._cache: dict[int, tuple[float, float] | None] = {}
        # The line looked up last, (start, end, its time): the next matches are mostly on it, and
        # finding a long line's start again for each of them would read the line again each time.
        self._line: tuple[int, int, tuple[float, float] | None] = (0, -1, None)
        self._own: dict[int, object] = {}  # line start -> its own timestamp's seconds, or _NO_TIMESTAMP

    def at(self, text: str, offset: int, line: int) -> tuple[datetime, datetime] | None:
        """The (oldest, newest) time of the record holding ``offset`` of ``text`` (its ``line``)."""
        return _moments(self.seconds_at(text, offset, line))

    def seconds_at(self, text: str, offset: int, line: int) -> tuple[float, float] | None:
        """``at`` in epoch seconds: the aggregator compares numbers and makes datetimes once per finding."""
        start, end, found = self._line
        if start <= offset <= end:
            return found
        line_start = text.rfind("\n", 0, offset) + 1
        found = self._cache.get(line_start, _UNREAD)
        if found is _UNREAD:
            seconds = self._record_seconds(text, line_start)
            found = self._cache[line_start] = None if seconds is None else (seconds, seconds)
        end = text.find("\n", offset)
        self._line = (line_start, end if end >= 0 else len(text), found)
        return found

    def _record_seconds(self, text: str, line_start: int) -> float | None:
        own_times = self._own
        for _ in range(self._RECORD_LINES):
            # Each line searched once: in a log whose lines have no time the format knows, every
            # line with a match would otherwise search the same lines above it again.
            own = own_times.get(line_start, _UNREAD)
            if own is _UNREAD:
                window_end = line_start + TIMESTAMP_WINDOW
                line_end = text.find("\n", line_start, window_end)  # within the window: a long line is not read
                found = TIMESTAMP.search(text, line_start, line_end if line_end >= 0 else min(len(text), window_end))
                own = own_times[line_start] = _NO_TIMESTAMP if found is None else self._clock.seconds(found)
            if own is not _NO_TIMESTAMP:
                return own
            if line_start == 0:
                return None
            line_start = text.rfind("\n", 0, line_start - 1) + 1
        return None


def _moments(seconds: tuple[float, float] | None) -> tuple[datetime, datetime] | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds[0], timezone.utc), datetime.fromtimestamp(seconds[1], timezone.utc)


class RowTimes:
    """The record times of the rows of one run of records (JSON lines, CSV, Parquet), from their time
    fields, parsed only for the rows that hold a match; shared by the run's column blocks."""

    __slots__ = ("_clock", "values", "_cache")

    def __init__(self, clock: Clock):
        self._clock = clock
        self.values: dict[int, list[str]] = {}  # row number -> its time fields' values
        self._cache: dict[int, tuple[float, float] | None] = {}

    def of(self, row: int) -> tuple[datetime, datetime] | None:
        return _moments(self.seconds_of(row))

    def seconds_of(self, row: int) -> tuple[float, float] | None:
        if row in self._cache:
            return self._cache[row]
        span = Span()
        for value in self.values.get(row, ()):
            span.add(self._clock.value_seconds(value))
        found = self._cache[row] = (span.low, span.high) if span.low is not None else None
        return found


class ColumnTimes:
    """A column block's view of its run's ``RowTimes``: line i of the block is row ``numbers[i - 1]``."""

    __slots__ = ("_rows", "_numbers")

    def __init__(self, rows: RowTimes, numbers: list[int]):
        self._rows, self._numbers = rows, numbers

    def at(self, text: str, offset: int, line: int) -> tuple[datetime, datetime] | None:
        return _moments(self.seconds_at(text, offset, line))

    def seconds_at(self, text: str, offset: int, line: int) -> tuple[float, float] | None:
        return self._rows.seconds_of(self._numbers[line - 1]) if 0 < line <= len(self._numbers) else None
