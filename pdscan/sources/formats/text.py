"""Plain text and logs: free text cut into blocks, whose ``key=value`` pairs the aggregator attributes
to their keys; a record's time comes from a timestamp near the start of its line."""
from __future__ import annotations

from typing import Iterable, Iterator

from pdscan.models import Block
from pdscan.sources.formats.blocks import TextBlocks
from pdscan.sources.formats.reading import Reading
from pdscan.sources.timestamps import Clock


def text_blocks(lines: Iterable[str], reading: Reading, clock: Clock) -> Iterator[Block]:
    text = TextBlocks(reading, clock)
    add = text.add
    for line in lines:
        block = add(reading.line_no, line)
        if block is not None:
            yield block
    block = text.flush()
    if block is not None:
        yield block
