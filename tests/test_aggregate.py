"""Aggregation: matches become one finding per (source, container, field, category)."""
from __future__ import annotations

from datetime import datetime, timezone

from pdscan.aggregate import Aggregator, key_before, merge
from pdscan.models import Block


def test_key_before_finds_logfmt_and_json_keys():
    text = 'ts=1 user=alice ip=10.0.0.1 msg="x"\n{"phone": "13812345678"}'
    assert key_before(text, text.index("10.0.0.1")) == "ip"
    assert key_before(text, text.index("alice")) == "user"
    assert key_before(text, text.index("13812345678")) == "phone"
    assert key_before("just 10.0.0.1 here", 5) == ""


def test_findings_per_field_with_masked_examples_and_first_location(engine):
    block = Block(source="logs/", container="logs/app.log", field="", keyed_fields=True, first_line=10,
                  text="a ip=203.0.113.5\nb ip=203.0.113.6 phone=13812345678\nc ip=203.0.113.5", examined=3,
                  oldest=datetime(2023, 1, 1, tzinfo=timezone.utc), newest=datetime(2026, 1, 1, tzinfo=timezone.utc))
    aggregator = Aggregator()
    aggregator.add(block, engine.scan(block.text))
    findings = {f.category: f for f in aggregator.findings()}
    ip = findings["ip_address"]
    assert (ip.field, ip.count, ip.examined) == ("ip", 3, 3)
    assert ip.examples == ("203.0.*.*",)
    assert (ip.location.path, ip.location.line) == ("logs/app.log", 10)
    assert findings["phone"].location.line == 11
    assert findings["phone"].examples == ("138****5678",)
    assert ip.oldest.year == 2023 and ip.newest.year == 2026
    assert ip.evidence == "value"


def test_show_values_and_digests(engine):
    block = Block(source="s", container="t", field="email", text="bob@example.com\nbob@example.com", examined=2)
    aggregator = Aggregator(show_values=True, digest=lambda category, kind, value: f"{category}:{kind}:{len(value)}")
    aggregator.add(block, engine.scan(block.text, field=block.field))
    (finding,) = aggregator.findings()
    assert finding.examples == ("bob@example.com",)
    assert finding.evidence == "both" and finding.share == 1.0
    assert finding.value_digests == frozenset({"email:email:15"})


def test_column_blocks_use_row_keys(engine):
    block = Block(source="sqlite:///x.db", container="users", field="phone", table="users",
                  text="\n+86 138 1234 5678", examined=1, row_keys=("id=1", "id=2"))
    aggregator = Aggregator()
    aggregator.add(block, engine.scan(block.text, field=block.field))
    (finding,) = aggregator.findings()
    assert str(finding.location) == "users.phone [id=2]"


def test_merge_adds_counts_of_the_same_key(engine):
    block = Block(source="s", container="c", field="email", text="a@example.com", examined=1)
    first, second = Aggregator(), Aggregator()
    first.add(block, engine.scan(block.text, field="email"))
    second.add(block, engine.scan(block.text, field="email"))
    (merged,) = merge(first.findings() + second.findings())
    assert (merged.count, merged.examined) == (2, 2)


def test_key_before_reads_only_values_after_a_separator():
    text = 'a ip = "10.0.0.1"\n10.0.0.2 x<10.0.0.3\n k:\t10.0.0.4'
    assert key_before(text, text.index("10.0.0.1")) == "ip"
    assert key_before(text, text.index("10.0.0.2")) == ""  # at a line's start: nothing before it
    assert key_before(text, text.index("10.0.0.3")) == ""
    assert key_before(text, text.index("10.0.0.4")) == "k"
    assert key_before(text, 0) == ""


def test_record_times_and_block_times_make_one_oldest_and_newest(engine):
    from pdscan.sources.timestamps import Clock, LineTimes

    clock = Clock(datetime(2026, 12, 1, tzinfo=timezone.utc))
    text = "2026-11-24T09:00:00Z ip=203.0.113.5\nno time ip=203.0.113.6\n2026-11-20T09:00:00Z ip=203.0.113.7"
    day = datetime(2026, 11, 22, tzinfo=timezone.utc)
    block = Block(source="s", container="c", field="", keyed_fields=True, text=text, examined=3,
                  oldest=day, newest=day, times=LineTimes(clock))
    aggregator = Aggregator()
    aggregator.add(block, engine.scan(text))
    (finding,) = aggregator.findings()
    # The second line continues the first's record; the block's time counts for no record here.
    assert (finding.oldest, finding.newest) == (datetime(2026, 11, 20, 9, tzinfo=timezone.utc),
                                                datetime(2026, 11, 24, 9, tzinfo=timezone.utc))
    first, last = datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 11, 30, tzinfo=timezone.utc)
    untimed = Block(source="s", container="c", field="", keyed_fields=True, text="ip=203.0.113.8", examined=1,
                    oldest=first, newest=last, times=LineTimes(clock))
    aggregator.add(untimed, engine.scan(untimed.text))
    (finding,) = aggregator.findings()
    assert (finding.oldest, finding.newest) == (first, last)


def test_key_before_reads_backwards_what_the_forward_pattern_finds():
    # The forward pattern key_before used to search the window with (a key may start any line): the
    # backward match must agree.
    import random
    import re

    forward = re.compile(r"""(?:^|[\s,;&?{(\[|])["']?([A-Za-z_][\w.\-]{0,63})["']?\s*[=:]\s*["'<]?\Z""", re.MULTILINE)

    def searched(text, start):
        found = forward.search(text, max(text.rfind("\n", 0, start) + 1, start - 80), start)
        return found.group(1) if found else ""

    rng = random.Random(3)
    alphabet = list("ab_Z09.-=: \t\"'<,;&?{([|\n}x") + ["é", "\u2028", "\x85", "٣"]
    keys = 0
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        text = "k" * rng.choice((0, 0, 60, 64, 70)) + " " * rng.choice((0, 0, 3, 90)) + text
        text += rng.choice(["=", ": ", '="', " = '", "=<", ":\t", ""])
        for start in (len(text), rng.randint(0, len(text))):
            expected = searched(text + "value", start)
            assert key_before(text + "value", start) == expected, (text, start)
            keys += bool(expected)
    assert keys > 300


def test_a_key_at_the_start_of_any_line_of_a_block_names_the_field():
    """`email=...` starting the second line of a block is the same field as on the first: a finding
    must not split in two ("" and "email") by where a block happens to begin."""
    text = "email=alice@example.com action=login\nemail=bob@example.com action=login\n  phone: +86 138 1234 5678"
    assert key_before(text, text.index("alice")) == "email"
    assert key_before(text, text.index("bob")) == "email"
    assert key_before(text, text.index("+86")) == "phone"
    # Where the window cuts a line, the cut may have cut a key: only a key after a separator counts.
    long_line = "x" * 100 + " user=" + "carol"
    assert key_before(long_line, long_line.index("carol")) == "user"
    cut = "y" * 75 + "name=" + "dave"
    assert key_before(cut, cut.index("dave")) == ""
