"""Where each JSON pointer of a loaded document stands in its source text.

YAML documents record every node's position while they are composed. JSON documents
are parsed by orjson for speed and located lazily: one scan of the text finds all the
pointers a batch of diagnostics asks for, skipping the subtrees none of them is in.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from apismith.diagnostics import escape_pointer_token, split_pointer

Position = tuple[int, int]
"""1-based line and column."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")


class SourceMap:
    """Maps JSON pointers to positions; a pointer not in the source maps to its nearest
    ancestor that is (a missing key is reported where its parent object starts)."""

    def locate_many(self, pointers: Iterable[str]) -> dict[str, Position]:
        raise NotImplementedError

    def locate(self, pointer: str) -> Position:
        return self.locate_many([pointer])[pointer]


class RecordedSourceMap(SourceMap):
    """Positions recorded for every node while the document was built."""

    def __init__(self, positions: Mapping[str, Position]) -> None:
        self._positions = positions

    def locate_many(self, pointers: Iterable[str]) -> dict[str, Position]:
        return {p: self._nearest(p) for p in pointers}

    def _nearest(self, pointer: str) -> Position:
        while True:
            found = self._positions.get(pointer)
            if found is not None:
                return found
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]


class JsonSourceMap(SourceMap):
    """Positions found on demand in JSON text, itself read on first use."""

    def __init__(self, read_text: Callable[[], str]) -> None:
        self._read_text = read_text
        self._cache: dict[str, Position] = {"": (1, 1)}

    @functools.cached_property
    def _text(self) -> str:
        return self._read_text()

    def locate_many(self, pointers: Iterable[str]) -> dict[str, Position]:
        wanted = list(pointers)
        missing = [p for p in wanted if p not in self._cache]
        if missing:
            self._scan(missing)
        return {p: self._cache[p] for p in wanted}

    def _scan(self, pointers: list[str]) -> None:
        trie: dict[str, Any] = {}
        for pointer in pointers:
            node = trie
            for token in split_pointer(pointer):
                node = node.setdefault(token, {})
        offsets: dict[str, int] = {}
        # malformed text: keep what was found before the fault
        with contextlib.suppress(ValueError, IndexError):
            _JsonWalker(self._text, offsets).walk(_skip_ws(self._text, 0), "", trie)
        self._cache.update(self._positions(offsets))
        for pointer in pointers:
            if pointer not in self._cache:
                self._cache[pointer] = self._nearest_found(pointer)

    def _nearest_found(self, pointer: str) -> Position:
        while pointer and pointer not in self._cache:
            pointer = pointer.rsplit("/", 1)[0]
        return self._cache.get(pointer, (1, 1))

    def _positions(self, offsets: dict[str, int]) -> dict[str, Position]:
        """Line and column of many offsets in one pass over the text (newlines are
        counted at C speed between consecutive offsets)."""
        text = self._text
        found: dict[str, Position] = {}
        line, line_start, previous = 1, 0, 0
        for pointer, offset in sorted(offsets.items(), key=lambda item: item[1]):
            newlines = text.count("\n", previous, offset)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", previous, offset) + 1
            previous = offset
            found[pointer] = (line, offset - line_start + 1)
        return found


def _skip_ws(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


class _JsonWalker:
    """Descends only into the members a pointer trie names; skips the rest at C speed."""

    def __init__(self, text: str, offsets: dict[str, int]) -> None:
        self.text = text
        self.offsets = offsets
        self.scan_value = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        self.scan_string = json.decoder.scanstring  # type: ignore[attr-defined]

    def skip(self, index: int) -> int:
        return int(self.scan_value(self.text, index)[1])

    def walk(self, index: int, pointer: str, trie: dict[str, Any]) -> int:
        if not trie:
            return self.skip(index)
        text = self.text
        opener = text[index]
        if opener not in "{[":
            return self.skip(index)
        closer = "}" if opener == "{" else "]"
        index = _skip_ws(text, index + 1)
        position = 0
        while text[index] != closer:
            if opener == "{":
                key_offset = index
                key, index = self.scan_string(text, index + 1)
                index = _skip_ws(text, index)
                index = _skip_ws(text, index + 1)  # the colon
                token = str(key)
            else:
                key_offset = index
                token = str(position)
                position += 1
            child = trie.get(token)
            if child is None:
                index = self.skip(index)
            else:
                child_pointer = pointer + "/" + escape_pointer_token(token)
                self.offsets[child_pointer] = key_offset
                index = self.walk(index, child_pointer, child)
            index = _skip_ws(text, index)
            if text[index] == ",":
                index = _skip_ws(text, index + 1)
        return index + 1
