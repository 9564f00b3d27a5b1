"""A small JSON Schema (2020-12) checker for request payloads.

The generator embeds each request body's schema, so a request is checked against the
API's own rules (required members, enums, lengths, ``anyOf``/``not``/``if`` rules ...)
before any byte is sent. ``format`` is asserted for ``date-time``, ``date``, ``uuid``,
``int32`` and ``int64``, the formats the models give types to. Every failure is
reported, each with the JSON pointer of the failing value.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

Problem = tuple[str, str]
"""(JSON pointer of the failing value, message)."""

_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


def check(schema: Any, instance: Any) -> list[Problem]:
    """Every problem of ``instance`` against ``schema`` (a bundle with ``$defs``)."""
    return list(_Checker(schema).problems(schema, instance, ""))


def _escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_INTEGER_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _is_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if match is None:
        return False
    try:
        datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True


def _is_date_time(text: str) -> bool:
    date, separator, time = text[:10], text[10:11], text[11:]
    match = _TIME.fullmatch(time)
    return (
        separator in ("T", "t", " ")
        and _is_date(date)
        and match is not None
        and int(match.group(1)) < 24
        and int(match.group(2)) < 60
        and int(match.group(3)) < 61
    )


def _is_uuid(text: str) -> bool:
    return _UUID.fullmatch(text) is not None


_STRING_FORMATS: dict[str, Callable[[str], bool]] = {
    "date": _is_date,
    "date-time": _is_date_time,
    "uuid": _is_uuid,
}


@lru_cache(maxsize=512)
def _pattern(text: str) -> re.Pattern[str] | None:
    """The compiled pattern; None for one Python cannot read (an ECMA-262 ``\\p{L}``, a
    Java class): the API's own check is left to the server then."""
    try:
        return re.compile(text)
    except re.error:
        return None


class _Checker:
    def __init__(self, root: Any) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        node = self.root
        for token in ref.lstrip("#").split("/")[1:]:
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def valid(self, schema: Any, instance: Any) -> bool:
        return next(iter(self.problems(schema, instance, "")), None) is None

    def problems(self, schema: Any, value: Any, at: str) -> Iterator[Problem]:
        if schema is True:
            return
        if schema is False:
            yield (at, "no value is allowed here")
            return
        if not isinstance(schema, dict):
            return
        if "$ref" in schema:
            yield from self.problems(self.resolve(schema["$ref"]), value, at)
        kinds = schema.get("type")
        if kinds is not None:
            allowed = [kinds] if isinstance(kinds, str) else list(kinds)
            if not any(_TYPES[k](value) for k in allowed if k in _TYPES):
                yield (at, f"expected {' or '.join(allowed)}, got {_type_name(value)}")
                return
        if "enum" in schema and not any(_equal(value, v) for v in schema["enum"]):
            choices = ", ".join(repr(v) for v in schema["enum"])
            yield (at, f"{value!r} is not one of the allowed values: {choices}")
        if "const" in schema and not _equal(value, schema["const"]):
            yield (at, f"must be {schema['const']!r}")
        yield from self._combinators(schema, value, at)
        if isinstance(value, dict):
            yield from self._object(schema, value, at)
        elif isinstance(value, list):
            yield from self._array(schema, value, at)
        elif isinstance(value, str):
            yield from self._string(schema, value, at)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield from self._number(schema, value, at)

    def _combinators(self, schema: dict[str, Any], value: Any, at: str) -> Iterator[Problem]:
        for sub in schema.get("allOf", ()):
            yield from self.problems(sub, value, at)
        tagged = schema.get("discriminator")
        if isinstance(tagged, dict) and isinstance(value, dict) and "mapping" in tagged:
            yield from self._tagged(tagged, value, at)  # in place of anyOf/oneOf
        else:
            yield from self._alternatives(schema, value, at)
        if "not" in schema and self.valid(schema["not"], value):
            yield (at, "matches a form that is not allowed here")
        if "if" in schema:
            branch = "then" if self.valid(schema["if"], value) else "else"
            if branch in schema:
                yield from self.problems(schema[branch], value, at)

    def _alternatives(self, schema: dict[str, Any], value: Any, at: str) -> Iterator[Problem]:
        if "anyOf" in schema and not any(self.valid(s, value) for s in schema["anyOf"]):
            yield from self._closest(schema["anyOf"], value, at, "any")
        if "oneOf" in schema:
            matches = sum(1 for s in schema["oneOf"] if self.valid(s, value))
            if matches == 0:
                yield from self._closest(schema["oneOf"], value, at, "exactly one")
            elif matches > 1:
                yield (at, f"matches {matches} of the allowed forms; exactly one is allowed")

    def _tagged(self, tagged: dict[str, Any], value: dict[str, Any], at: str) -> Iterator[Problem]:
        """The OpenAPI discriminator: the tag names the one form the value must match."""
        name = tagged["propertyName"]
        where = f"{at}/{_escape(name)}"
        if name not in value:
            yield (where, f"required member {name!r} is missing: it says which form this is")
            return
        form = tagged["mapping"].get(str(value[name]))
        if form is None:
            allowed = ", ".join(repr(tag) for tag in tagged["mapping"])
            yield (where, f"{value[name]!r} is not one of the allowed values: {allowed}")
            return
        yield from self.problems(form, value, at)

    def _closest(self, options: list[Any], value: Any, at: str, how: str) -> Iterator[Problem]:
        """When one form comes clearly closest (fewest problems), its problems name the
        failing paths; otherwise the value as a whole matches none of the forms."""
        ranked = sorted(
            ((self._tag_mismatch(option, value), len(found)), found)
            for option in options
            for found in [list(self.problems(option, value, at))]
        )
        if len(ranked) == 1 or ranked[0][0] < ranked[1][0]:
            yield from ranked[0][1]
        else:
            yield (at, _no_match(options, how))

    def _tag_mismatch(self, option: Any, value: Any) -> bool:
        """Whether a member that the form pins to a constant (a discriminator tag, in
        practice) has another value: then the value is plainly not of this form."""
        while isinstance(option, dict) and "$ref" in option:
            option = self.resolve(option["$ref"])
        if not isinstance(option, dict) or not isinstance(value, dict):
            return False
        for name, member in option.get("properties", {}).items():
            while isinstance(member, dict) and "$ref" in member:
                member = self.resolve(member["$ref"])
            if name in value and isinstance(member, dict):
                if "const" in member and not _equal(value[name], member["const"]):
                    return True
                if "enum" in member and not any(_equal(value[name], v) for v in member["enum"]):
                    return True
        return False

    def _object(self, schema: dict[str, Any], value: dict[str, Any], at: str) -> Iterator[Problem]:
        for name in schema.get("required", ()):
            if name not in value:
                yield (f"{at}/{_escape(name)}", f"required member {name!r} is missing")
        properties = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        for name, member in value.items():
            where = f"{at}/{_escape(name)}"
            matched = False
            if name in properties:
                matched = True
                yield from self.problems(properties[name], member, where)
            for pattern, sub in patterns.items():
                compiled = _pattern(pattern)
                if compiled is not None and compiled.search(name):
                    matched = True
                    yield from self.problems(sub, member, where)
            if not matched and "additionalProperties" in schema:
                if schema["additionalProperties"] is False:
                    yield (where, f"unknown member {name!r}")
                else:
                    yield from self.problems(schema["additionalProperties"], member, where)
        for name, needed in schema.get("dependentRequired", {}).items():
            if name in value:
                for other in needed:
                    if other not in value:
                        yield (
                            f"{at}/{_escape(other)}",
                            f"{other!r} is required when {name!r} is present",
                        )
        if len(value) < schema.get("minProperties", 0):
            yield (at, f"needs at least {schema['minProperties']} members")
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            yield (at, f"allows at most {schema['maxProperties']} members")

    def _array(self, schema: dict[str, Any], value: list[Any], at: str) -> Iterator[Problem]:
        prefix = schema.get("prefixItems", ())
        for index, (item, sub) in enumerate(zip(value, prefix, strict=False)):
            yield from self.problems(sub, item, f"{at}/{index}")
        if "items" in schema:
            for index in range(len(prefix), len(value)):
                yield from self.problems(schema["items"], value[index], f"{at}/{index}")
        if len(value) < schema.get("minItems", 0):
            yield (at, f"needs at least {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield (at, f"allows at most {schema['maxItems']} items")
        if schema.get("uniqueItems") and any(
            _equal(value[i], value[j]) for i in range(len(value)) for j in range(i)
        ):
            yield (at, "items must be unique")
        if "contains" in schema:
            found = sum(1 for item in value if self.valid(schema["contains"], item))
            if found < schema.get("minContains", 1):
                yield (at, "does not contain a required item")

    def _string(self, schema: dict[str, Any], value: str, at: str) -> Iterator[Problem]:
        if len(value) < schema.get("minLength", 0):
            yield (at, f"must be at least {schema['minLength']} characters long")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield (at, f"must be at most {schema['maxLength']} characters long")
        pattern = _pattern(schema["pattern"]) if "pattern" in schema else None
        if pattern is not None and not pattern.search(value):
            yield (at, f"does not match the pattern {schema['pattern']!r}")
        test = _STRING_FORMATS.get(schema.get("format", ""))
        if test is not None and not test(value):
            yield (at, f"{value!r} is not a valid {schema['format']}")

    def _number(self, schema: dict[str, Any], value: float, at: str) -> Iterator[Problem]:
        if "minimum" in schema and value < schema["minimum"]:
            yield (at, f"must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            yield (at, f"must be at most {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            yield (at, f"must be greater than {schema['exclusiveMinimum']}")
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            yield (at, f"must be less than {schema['exclusiveMaximum']}")
        bounds = _INTEGER_RANGES.get(schema.get("format", ""))
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            yield (at, f"is out of the {schema['format']} range")
        step = schema.get("multipleOf")
        if step and not math.isclose(value / step, round(value / step), rel_tol=0, abs_tol=1e-9):
            yield (at, f"must be a multiple of {step}")


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _no_match(options: list[Any], how: str) -> str:
    return f"does not match {how} of the {len(options)} allowed forms"
