"""The catalog's ``field_names`` patterns under a linear-time engine (RE2, from ``google-re2``).

Field names come from the scanned data (a CSV header, a JSON key, a column), so a pattern with
catastrophic backtracking (``(a+)+b``) in a custom catalog would hang Python's ``re`` on a
30-character header. RE2 runs every pattern in time linear in the name's length.

The catalog keeps Python's syntax and meaning; this module translates:

- ``\\w`` and ``\\d`` are Unicode in Python (``姓名`` is a word) and ASCII in RE2: they become
  ``[\\p{L}\\p{N}_]`` and ``\\p{Nd}``;
- a negative lookahead at the start, ``(?!X)Y`` ("Y, unless it starts with X"), which RE2 lacks,
  becomes two patterns: the name must not start with a match of X and must match Y whole;
- any other look-around or a back-reference is refused (``ValueError``), and the catalog loader
  turns that into a ``CatalogError`` naming the file and the entry.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from pdscan.printable import without_surrogates

_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"


@dataclass(frozen=True)
class Translated:
    include: str  # RE2 syntax, matched whole
    exclude: str | None = None  # RE2 syntax: a name starting with a match of it is not matched


def _tokens(pattern: str) -> Iterator[tuple[int, str, bool]]:
    """The pattern's tokens as (index, token, inside a character class): an escape (``\\x``), a class's
    opening (``[``, or ``[]`` whose ``]`` is a literal) or one character. The closing ``]`` of a
    class is inside it, its opening is not."""
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            yield i, pattern[i:i + 2], in_class
            i += 2
        elif in_class:
            yield i, char, True
            in_class = char != "]"
            i += 1
        elif char == "[":
            token = "[]" if pattern[i + 1:i + 2] == "]" else "["
            yield i, token, False
            in_class = True
            i += len(token)
        else:
            yield i, char, False
            i += 1


def _closing(pattern: str) -> int:
    """Index of the ``)`` closing the group that opens the pattern."""
    depth = 0
    for i, token, in_class in _tokens(pattern):
        if in_class:
            continue
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced parenthesis")


def _to_re2(pattern: str) -> str:
    """Python's Unicode ``\\w``/``\\W``/``\\d`` in RE2's spelling; look-arounds and back-references refused."""
    out = []
    for i, token, in_class in _tokens(pattern):
        if len(token) == 2 and token[0] == "\\":
            escape = token[1]
            if escape == "w":
                out.append(_WORD if in_class else f"[{_WORD}]")
            elif escape == "W":
                if in_class:
                    raise ValueError(r"\W inside a character class is not supported")
                out.append(f"[^{_WORD}]")
            elif escape == "d":
                out.append(_DIGIT)
            elif escape.isdigit() and escape != "0":
                raise ValueError("back-references are not supported")
            else:
                out.append(token)
            continue
        if token == "(" and not in_class:
            if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
                raise ValueError("look-ahead and look-behind are not supported (except a leading (?!...))")
            if pattern.startswith("(?P=", i):
                raise ValueError("back-references are not supported")
        out.append(token)
    return "".join(out)


def translate(pattern: str) -> Translated:
    """The RE2 form of one ``field_names`` pattern; ``ValueError`` saying why it has none."""
    if pattern.startswith("(?!"):
        end = _closing(pattern)
        return Translated(include=_to_re2(pattern[end + 1:]), exclude=_to_re2(pattern[3:end]))
    return Translated(include=_to_re2(pattern))


def check(pattern: str) -> None:
    """``ValueError`` when RE2 cannot run the pattern (what ``translate`` refuses, or RE2's own error)."""
    import re2

    translated = translate(pattern)
    for source in (translated.include, translated.exclude):
        if source is not None:
            try:
                re2.compile(source)
            except re2.error as exc:
                raise ValueError(f"not supported by RE2: {exc}") from None


class CategoryPatterns:
    """One category's patterns: the plain ones as one alternation, each ``(?!X)Y`` on its own."""

    def __init__(self, patterns: tuple[str, ...]):
        import re2

        plain, excluding = [], []
        for pattern in patterns:
            translated = translate(pattern)
            if translated.exclude is None:
                plain.append(translated.include)
            else:
                excluding.append((re2.compile(f"(?i:{translated.exclude})"),
                                  re2.compile(f"(?i:{translated.include})")))
        self._plain = re2.compile("(?i:" + "|".join(f"(?:{p})" for p in plain) + ")") if plain else None
        self._excluding = tuple(excluding)

    def fullmatch(self, name: str) -> bool:
        name = without_surrogates(name)  # RE2 reads UTF-8; a lone surrogate has none
        if self._plain is not None and self._plain.fullmatch(name):
            return True
        return any(exclude.match(name) is None and include.fullmatch(name) for exclude, include in self._excluding)
