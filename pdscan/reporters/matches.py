"""Output of ``pdscan detect``: one line (text) or one JSON object (ndjson) per match."""
from __future__ import annotations

import json

from pdscan.detection.engine import Match
from pdscan.masking import mask
from pdscan.printable import printable


def shown_value(match: Match, show_values: bool) -> str:
    """The value masked (or raw with ``show_values``), escaped as every report escapes text."""
    return printable(match.value if show_values else mask(match.kind, match.value))


def match_record(match: Match, line: int, column: int, show_values: bool) -> dict:
    """The ndjson keys are a contract: line, start, end, category, score, value (+ evidence, detector,
    reasons, weak)."""
    return {
        "line": line,
        "start": column,
        "end": column + (match.end - match.start),
        "category": match.category,
        "score": match.score,
        "value": shown_value(match, show_values),
        "evidence": match.evidence,
        "detector": match.detector,
        "reasons": list(match.reasons),
        "weak": match.weak,
    }


def render_ndjson(match: Match, line: int, column: int, show_values: bool) -> str:
    return json.dumps(match_record(match, line, column, show_values), ensure_ascii=False)


def render_text(match: Match, line: int, column: int, show_values: bool) -> str:
    record = match_record(match, line, column, show_values)
    return (f"{line}:{record['start']}-{record['end']}\t{match.category}\t{match.score:.2f}\t"
            f"{match.evidence}\t{record['value']}\t{','.join(match.reasons)}")
