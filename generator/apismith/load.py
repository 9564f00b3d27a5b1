"""Read a spec file (YAML or JSON) into plain data plus a source map.

JSON is parsed by orjson, its nesting checked after; YAML is read by
:mod:`apismith.load_yaml`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from apismith.diagnostics import Diagnostic, DiagnosticError, Severity, escape_pointer_token
from apismith.sourcemap import JsonSourceMap, Position, SourceMap

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_EXPANDED_NODES = 5_000_000
MAX_DEPTH = 256
TOO_DEEP = "load/too-deep"
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Document:
    """A loaded spec file: its data and where each pointer stands in its text."""

    path: Path
    data: Any
    source: SourceMap = field(repr=False)
    raw: bytes | None = field(default=None, repr=False)
    """A JSON file's bytes, as they were parsed (YAML documents keep none)."""

    @functools.cached_property
    def path_key(self) -> str:
        """The path as keys of places in the document hold it (``str(path)``, once)."""
        return str(self.path)

    @functools.cached_property
    def file(self) -> str:
        """The path as diagnostics show it; computed once (it resolves the path)."""
        return display_path(self.path)

    def locate(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Fill in line and column for diagnostics about this file."""
        mine = [d.pointer for d in diagnostics if d.file == self.file and d.line is None]
        if not mine:
            return diagnostics
        positions = self.source.locate_many(mine)
        return [
            d.located(*positions[d.pointer]) if d.file == self.file and d.line is None else d
            for d in diagnostics
        ]


@dataclass(frozen=True)
class Loaded:
    document: Document
    diagnostics: tuple[Diagnostic, ...] = ()


class LoadError(DiagnosticError):
    """The input could not be read as a document at all (the CLI exits 2)."""


def display_path(path: Path) -> str:
    """Paths in diagnostics are relative to the working folder when they are inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_bytes(path: Path) -> bytes:
    """The file at ``path`` as bytes; ``LoadError`` when it cannot be read or is too big."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LoadError(
            [load_error(path, "load/unreadable", error.strerror or str(error))]
        ) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        message = f"document is {len(raw)} bytes; the limit is {MAX_DOCUMENT_BYTES}"
        raise LoadError([load_error(path, "load/too-large", message)])
    return raw


def load_document(path: Path, *, check_depth: bool = True, raw: bytes | None = None) -> Loaded:
    """The document at ``path`` (parsed from ``raw`` when the caller has read it with
    ``read_bytes``). Without ``check_depth`` a JSON document's nesting is left for the
    caller to check with ``depth_problem`` (YAML is bounded as it is read)."""
    if raw is None:
        raw = read_bytes(path)
    if _is_json(path):
        return _load_json(path, raw, check_depth)
    from apismith.load_yaml import load_yaml  # imported on first use: JSON needs no YAML

    return load_yaml(path, _decoded(path, raw))


def _is_json(path: Path) -> bool:
    """Read as JSON (orjson, depth checked after) rather than YAML (bounded as read)."""
    return path.suffix.lower() == ".json"


def _decoded(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError([load_error(path, "load/encoding", f"not UTF-8: {error}")]) from None


def load_error(path: Path, rule: str, message: str, position: Position | None = None) -> Diagnostic:
    line, column = position if position else (None, None)
    return Diagnostic(rule, message, display_path(path), "", Severity.ERROR, line, column)


def _load_json(path: Path, raw: bytes, check_depth: bool) -> Loaded:
    """orjson checks the encoding as it parses, so the text is decoded only when a
    diagnostic needs a line number."""
    try:
        data = orjson.loads(raw.removeprefix(_UTF8_BOM))
    except orjson.JSONDecodeError as error:
        _decoded(path, raw)  # an encoding error is reported as one
        rule = TOO_DEEP if "depth" in error.msg else "load/syntax"
        raise LoadError([load_error(path, rule, error.msg, (error.lineno, error.colno))]) from None
    document = Document(path, data, JsonSourceMap(lambda: _decoded(path, raw)), raw)
    problem = depth_problem(document) if check_depth else None
    if problem is not None:
        raise LoadError([problem])
    return Loaded(document)


def depth_problem(document: Document) -> Diagnostic | None:
    """``load/too-deep`` at the first value nested deeper than ``MAX_DEPTH``, or None.
    A YAML document was bounded as it was read."""
    if not _is_json(document.path):
        return None
    too_deep = _too_deep(document.data)
    if too_deep is None:
        return None
    message = f"nesting deeper than {MAX_DEPTH}"
    return load_error(document.path, TOO_DEEP, message, document.source.locate(too_deep))


def _too_deep(data: Any) -> str | None:
    """The pointer of the first value nested deeper than ``MAX_DEPTH`` (as YAML is bounded),
    found without recursion. Depths are measured first; a pointer is spelled only for a
    document that is too deep."""
    if _written_by_orjson(data) or _depth(data) <= MAX_DEPTH:
        return None
    pending: list[tuple[Any, str, int]] = [(data, "", 0)]
    while pending:
        value, pointer, depth = pending.pop()
        if depth > MAX_DEPTH:
            return pointer
        items = value.items() if isinstance(value, dict) else enumerate(value)
        pending.extend(
            (v, f"{pointer}/{escape_pointer_token(k)}", depth + 1)
            for k, v in items
            if isinstance(v, (dict, list))
        )
    return None


def _written_by_orjson(data: Any) -> bool:
    """Whether orjson writes ``data``. It refuses containers nested 254 deep or more
    (as ``_depth`` counts), within ``MAX_DEPTH``: a test holds it to that. Writing is C,
    some eight times faster than ``_depth``; a document it does not write (too deep for
    it, or holding what it never writes, such as a huge integer) is measured."""
    try:
        orjson.dumps(data)
    except orjson.JSONEncodeError:
        return False
    return True


def _depth(data: Any) -> int:
    """How deep containers nest (a scalar document is 0)."""
    deepest = 0
    level = [data] if type(data) is dict or type(data) is list else []
    while level:
        deepest += 1
        following: list[Any] = []
        extend = following.extend
        for value in level:
            children = value.values() if type(value) is dict else value
            extend([c for c in children if type(c) is dict or type(c) is list])
        level = following
    return deepest - 1 if deepest else 0
