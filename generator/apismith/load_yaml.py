"""Read a YAML spec safely into plain data plus a source map.

Nodes are composed by libyaml and turned into data here, so no tag can construct an
object, duplicate keys are reported, alias expansion and nesting are bounded, and
scalars follow the YAML 1.2 core schema that OpenAPI documents assume (``yes`` and
``2024-01-01`` stay strings).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from apismith.diagnostics import Diagnostic, Severity, escape_pointer_token
from apismith.load import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    TOO_DEEP,
    Document,
    Loaded,
    LoadError,
    display_path,
    load_error,
)
from apismith.sourcemap import Position, RecordedSourceMap

_COLLECTION_TAGS = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")


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


def load_yaml(path: Path, text: str) -> Loaded:
    try:
        root = yaml.compose(text, Loader=_CoreSchemaLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = (mark.line + 1, mark.column + 1) if mark else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise LoadError([load_error(path, "load/syntax", message, position)]) from None
    except yaml.YAMLError as error:
        raise LoadError([load_error(path, "load/syntax", str(error))]) from None
    except RecursionError:
        raise LoadError([load_error(path, TOO_DEEP, "nesting is too deep to read")]) from None
    if root is None:
        raise LoadError([load_error(path, "load/empty", "the document is empty")])
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
