"""The one way sources write values as text: line breaks folded, JSON flattened to key paths."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from pdscan.sources.values import MAX_JSON_DEPTH, json_leaves, one_line, value_text


def test_one_line_folds_every_line_break():
    assert one_line("a\r\nb\u2028c\x85d") == "a  b c d"
    assert one_line("plain") == "plain"


def test_json_leaves_paths_rows_and_left_out_values():
    document = {"user": {"phone": "+44 20 7946 0958", "ok": True, "none": None},
                "tags": ["x", 2.5], "sheet": [["id", "email"], [1, "a@example.org"]], "grid": [[1, 2]]}
    assert json_leaves(document) == [("$.user.phone", "+44 20 7946 0958"), ("$.tags[]", "x"), ("$.tags[]", "2.5"),
                                     ("$.sheet[].id", "1"), ("$.sheet[].email", "a@example.org"),
                                     ("$.grid[][1]", "1"), ("$.grid[][2]", "2")]


def test_json_leaves_stop_at_the_depth_limit_with_the_rest_as_one_text():
    deep: object = "x"
    for _ in range(MAX_JSON_DEPTH + 2):
        deep = {"k": deep}
    (path, text), = json_leaves(deep)
    assert path == "$" + ".k" * MAX_JSON_DEPTH and json.loads(text) == {"k": {"k": "x"}}


def test_scalars_in_json_are_written_as_column_values_are():
    nested = {"when": datetime(2024, 1, 2, 3, 4, 5), "amount": Decimal("1E+3"), "raw": b"ok", "bad": b"\xff"}
    assert json_leaves(nested) == [("$.when", value_text(nested["when"])), ("$.amount", "1000"), ("$.raw", "ok")]


def test_object_keys_that_look_like_personal_data_become_a_star():
    from pdscan.sources.values import could_be_personal

    document = {"users": {"a.person@example.net": {"phone": "+86 138 1234 5678"}, "550e8400-e29b-41d4-a716-446655440000":
                          {"ip": "10.0.0.1"}, "+1 415 555 0134": {"name": "x"}}, "2024": {"user_id": "u1"}}
    assert [path for path, _ in json_leaves(document)] == ["$.users.*.phone", "$.users.*.ip", "$.users.*.name",
                                                           "$.2024.user_id"]
    assert not any(map(could_be_personal, ["user_id", "CustomerId", "404", "ALFKI", "created_at", "line1"]))
    assert all(map(could_be_personal, ["123456", "10.0.0.1", "2024-01-01", "deadbeefdeadbeef"]))
