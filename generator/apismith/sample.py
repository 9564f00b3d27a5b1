"""A small value that a JSON Schema accepts: what the mock answers when a response is
documented without an example.

Objects get their required members, arrays their minimum number of items, strings a
value of their format, numbers their lower bound; ``allOf`` parts merge, and the first
``anyOf``/``oneOf`` form is taken. The caller validates the result, since a schema can
ask for more than this tries (patterns, ``not``).
"""

from __future__ import annotations

from typing import Any

_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "uri-reference": "/",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
}
_MAX_DEPTH = 32


def sample(bundle: dict[str, Any]) -> Any:
    """A value for a schema bundle (``$ref``s into its ``$defs``)."""
    return _Sampler(bundle).value(bundle, 0)


class _Sampler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def value(self, schema: Any, depth: int) -> Any:
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return None
        if "$ref" in schema:
            return self.value(self._resolve(schema["$ref"]), depth + 1)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for keyword in ("oneOf", "anyOf"):
            if schema.get(keyword):
                return self.value(schema[keyword][0], depth + 1)
        kinds = schema.get("type")
        kind = next((k for k in kinds if k != "null"), "null") if isinstance(kinds, list) else kinds
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else None
        return self._of_kind(kind, schema, depth)

    def _of_kind(self, kind: Any, schema: dict[str, Any], depth: int) -> Any:
        if kind == "object":
            properties = schema.get("properties", {})
            return {
                name: self.value(properties.get(name, {}), depth + 1)
                for name in schema.get("required", [])
            }
        if kind == "array":
            return [self.value(schema.get("items", {}), depth + 1)] * int(schema.get("minItems", 0))
        if kind == "string":
            text = _FORMATS.get(schema.get("format", ""), "string")
            return text.ljust(int(schema.get("minLength", 0)), "x")
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
            low = low + 1 if "exclusiveMinimum" in schema and "minimum" not in schema else low
            return int(low) if kind == "integer" else low
        if kind == "boolean":
            return False
        return None

    def _all_of(self, schema: dict[str, Any], depth: int) -> Any:
        merged: Any = None
        for part in [{k: v for k, v in schema.items() if k != "allOf"}, *schema["allOf"]]:
            value = self.value(part, depth + 1)
            if isinstance(value, dict) and isinstance(merged, dict):
                merged.update(value)
            elif value is not None or merged is None:
                merged = value
        return merged

    def _resolve(self, ref: str) -> Any:
        node: Any = self.root
        for token in ref.lstrip("#").split("/")[1:]:
            node = (
                node.get(token.replace("~1", "/").replace("~0", "~"), {})
                if isinstance(node, dict)
                else {}
            )
        return node
