"""Read a spec file (YAML or JSON) into plain data plus a source map.

YAML is read safely: nodes are composed by libyaml and turned into data here, so no
tag can construct an object, duplicate keys are reported, alias expansion and nesting
are bounded, and scalars follow the YAML 1.2 core schema that OpenAPI documents assume
(``yes`` and ``2024-01-01`` stay strings).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from apismith.diagnostics import Diagnostic, DiagnosticError, Severity, escape_pointer_token
from apismith.sourcemap import JsonSourceMap, Position, RecordedSourceMap, SourceMap

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
MAX_EXPANDED_NODES = 5_000_000
MAX_DEPTH = 256
TOO_DEEP = "load/too-deep"
_UTF8_BOM = b"\xef\xbb\xbf"
_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


@dataclass(frozen=True)
class Document:
    """A loaded spec file: its data and where each pointer stands in its text."""

    path: Path
    data: Any
    source: SourceMap = field(repr=False)
    raw: bytes | None = field(default=None, repr=False)
    """A JSON file's bytes, as they were parsed (YAML documents keep none)."""

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
            [_load_error(path, "load/unreadable", error.strerror or str(error))]
        ) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        message = f"document is {len(raw)} bytes; the limit is {MAX_DOCUMENT_BYTES}"
        raise LoadError([_load_error(path, "load/too-large", message)])
    return raw


def load_document(path: Path, *, check_depth: bool = True, raw: bytes | None = None) -> Loaded:
    """The document at ``path`` (parsed from ``raw`` when the caller has read it with
    ``read_bytes``). Without ``check_depth`` a JSON document's nesting is left for the
    caller to check with ``depth_problem`` (YAML is bounded as it is read)."""
    if raw is None:
        raw = read_bytes(path)
    if _is_json(path):
        return _load_json(path, raw, check_depth)
    return _load_yaml(path, _decoded(path, raw))


def _is_json(path: Path) -> bool:
    """Read as JSON (orjson, depth checked after) rather than YAML (bounded as read)."""
    return path.suffix.lower() == ".json"


def _decoded(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LoadError([_load_error(path, "load/encoding", f"not UTF-8: {error}")]) from None


def _load_error(
    path: Path, rule: str, message: str, position: Position | None = None
) -> Diagnostic:
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
        raise LoadError([_load_error(path, rule, error.msg, (error.lineno, error.colno))]) from None
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
    return _load_error(document.path, TOO_DEEP, message, document.source.locate(too_deep))


def _too_deep(data: Any) -> str | None:
    """The pointer of the first value nested deeper than ``MAX_DEPTH`` (as YAML is bounded),
    found without recursion. Depths are measured first; a pointer is spelled only for a
    document that is too deep."""
    if _depth(data) <= MAX_DEPTH:
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


class _CoreSchemaLoader(yaml.CSafeLoader):
    """libyaml parser whose implicit scalar types are the YAML 1.2 core schema."""


_CoreSchemaLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        list("-+0123456789"),
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]:
    _CoreSchemaLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)
# kept only so that a YAML 1.1 merge key is reported instead of read as a plain "<<" key
_CoreSchemaLoader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), ["<"])


def _load_yaml(path: Path, text: str) -> Loaded:
    try:
        root = yaml.compose(text, Loader=_CoreSchemaLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = (mark.line + 1, mark.column + 1) if mark else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise LoadError([_load_error(path, "load/syntax", message, position)]) from None
    except yaml.YAMLError as error:
        raise LoadError([_load_error(path, "load/syntax", str(error))]) from None
    except RecursionError:
        raise LoadError([_load_error(path, TOO_DEEP, "nesting is too deep to read")]) from None
    if root is None:
        raise LoadError([_load_error(path, "load/empty", "the document is empty")])
    builder = _NodeBuilder(display_path(path))
    builder.check_expansion(root)
    data = builder.build(root, "", 0)
    return Loaded(
        Document(path, data, RecordedSourceMap(builder.positions)), tuple(builder.problems)
    )


class _NodeBuilder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[str, Position] = {"": (1, 1)}
        self.problems: list[Diagnostic] = []

    def check_expansion(self, root: yaml.Node) -> None:
        """Refuse alias bombs before building anything: count the expanded size once per
        distinct node."""
        sizes: dict[int, int] = {}

        def size(node: yaml.Node, depth: int) -> int:
            known = sizes.get(id(node))
            if known is not None:
                return known
            if depth > MAX_DEPTH:
                raise LoadError([self._error(node, TOO_DEEP, f"nesting deeper than {MAX_DEPTH}")])
            sizes[id(node)] = 1  # a cycle through an alias counts once, then is refused by build
            total = 1
            if isinstance(node, yaml.MappingNode):
                total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                total += sum(size(item, depth + 1) for item in node.value)
            sizes[id(node)] = total
            if total > MAX_EXPANDED_NODES:
                raise LoadError(
                    [
                        self._error(
                            node,
                            "load/alias-expansion",
                            f"aliases expand to more than {MAX_EXPANDED_NODES} nodes",
                        )
                    ]
                )
            return total

        size(root, 0)

    def _error(self, node: yaml.Node, rule: str, message: str, pointer: str = "") -> Diagnostic:
        mark = node.start_mark
        return Diagnostic(
            rule, message, self.file, pointer, Severity.ERROR, mark.line + 1, mark.column + 1
        )

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise LoadError([self._error(node, TOO_DEEP, f"nesting deeper than {MAX_DEPTH}")])
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pointer)
        if node.tag not in _COLLECTION_TAGS:
            self._unsupported_tag(node, pointer)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                child = f"{pointer}/{index}"
                self.positions[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.build(item, child, depth + 1))
            return items
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        raise LoadError([self._error(node, "load/syntax", "unsupported YAML node")])

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    self._error(
                        key_node, "load/merge-key", "YAML merge keys (<<) are not supported"
                    )
                )
                continue
            key = self._scalar(key_node, pointer) if isinstance(key_node, yaml.ScalarNode) else None
            if isinstance(key, bool) or (key is None and isinstance(key_node, yaml.ScalarNode)):
                key = key_node.value  # `true:` or `null:` as a key means the text
            if not isinstance(key, (str, int, float)):
                self.problems.append(
                    self._error(key_node, "load/key", "mapping keys must be scalars")
                )
                continue
            key = str(key)
            child = f"{pointer}/{escape_pointer_token(key)}"
            if key in result:
                first = self.positions.get(child, (0, 0))
                message = f"duplicate key {key!r} (first defined on line {first[0]})"
                self.problems.append(self._error(key_node, "load/duplicate-key", message, child))
                continue
            self.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        value: str = node.value
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if tag == "tag:yaml.org,2002:int":
            return _parse_int(value)
        if tag == "tag:yaml.org,2002:float":
            return _parse_float(value)
        if tag in ("tag:yaml.org,2002:binary", "tag:yaml.org,2002:timestamp"):
            return value
        self._unsupported_tag(node, pointer)
        return value

    def _unsupported_tag(self, node: yaml.Node, pointer: str) -> None:
        message = f"unsupported YAML tag {node.tag!r}; the value is read as plain data"
        self.problems.append(self._error(node, "load/tag", message, pointer))


def _parse_int(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


def _parse_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(text)
