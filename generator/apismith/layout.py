"""Long lines of generated code, laid out as ruff's formatter lays them out.

The built-in templates write code as ruff's formatter would, with these helpers wherever
a statement's length depends on the spec (imports, calls, model fields), so that ruff is
run only on the few files :mod:`apismith.settled` cannot vouch for. Only the layout is at
stake: a file these helpers may have missed goes through ruff.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

LINE_LENGTH = 100
"""The generated package's line length: its ``pyproject.toml`` template gives ruff this
value (the ``line_length`` template global)."""

_INDENT = "    "


def from_import(indent: str, module: str, names: Sequence[str]) -> str:
    """``from module import a, b`` on one line when it fits, else one name a line."""
    line = f"{indent}from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line
    listed = "".join(f"{indent}{_INDENT}{name},\n" for name in names)
    return f"{indent}from {module} import (\n{listed}{indent})"


def call_lines(indent: str, opening: str, arguments: Sequence[str], closing: str = ")") -> str:
    """A call statement (``opening`` ends with its bracket): on one line when it fits,
    else its arguments on a line of their own when they fit there (or are just one),
    else one argument a line, each with its comma."""
    joined = ", ".join(arguments)
    line = f"{indent}{opening}{joined}{closing}"
    if len(line) <= LINE_LENGTH:
        return line
    inner = indent + _INDENT
    if len(arguments) == 1 or len(inner) + len(joined) <= LINE_LENGTH:
        return f"{indent}{opening}\n{inner}{joined}\n{indent}{closing}"
    listed = "".join(f"{inner}{argument},\n" for argument in arguments)
    return f"{indent}{opening}\n{listed}{indent}{closing}"


def annotated_assignment(
    indent: str, target: str, annotation: str, value: str | None = None, call: str = ""
) -> str:
    """``target: annotation``, then `` = value`` unless ``value`` is None. A ``call``
    (``"_pd.Field("``) makes ``value`` its argument lines, each ending with its comma, so
    that the call stays open one argument a line.

    When the statement is too long, the value goes in parentheses of its own if that
    makes the first line fit; otherwise the annotation is split."""
    head = f"{indent}{target}: {annotation}"
    if value is None:
        if len(head) <= LINE_LENGTH:
            return head
        if "[" in annotation or len(split_top_level(annotation, "|")) > 1:
            return f"{indent}{target}: {_split_annotation(annotation, indent)}"
        # a bare name goes in parentheses of its own, if that makes both lines fit
        inner = f"{indent}{_INDENT}{annotation}"
        if len(f"{indent}{target}: (") > LINE_LENGTH or len(inner) > LINE_LENGTH:
            return head
        return f"{indent}{target}: (\n{inner}\n{indent})"
    spelled, first_line = value, f"{head} = {value}"
    if call:
        arguments = "".join(f"{indent}{_INDENT}{line}\n" for line in value.splitlines())
        spelled, first_line = f"{call}\n{arguments}{indent})", f"{head} = {call}"
    if len(first_line) <= LINE_LENGTH:
        return f"{head} = {spelled}"
    if len(f"{head} = (") <= LINE_LENGTH:
        return f"{head} = (\n{indent}{_INDENT}{_indented(spelled, _INDENT)}\n{indent})"
    return f"{indent}{target}: {_split_annotation(annotation, indent)} = {spelled}"


def parameter(indent: str, name: str, annotation: str, default: str = "") -> str:
    """``name: annotation`` and its ``default`` (`` = None``), then a comma: a line of a
    function's parameters. Too long, a union goes one member a line, each led by its
    ``|`` at the parameter's indent; anything else is split at its outermost bracket."""
    line = f"{indent}{name}: {annotation}{default},"
    if len(line) <= LINE_LENGTH:
        return line
    members = split_top_level(annotation, "|")
    if len(members) == 1:
        return f"{indent}{name}: {_split_subscript(annotation, indent)}{default},"
    first = f"{indent}{name}: {members[0]}"
    if len(first) > LINE_LENGTH:
        first = f"{indent}{name}: {_split_subscript(members[0], indent)}"
    *middle, last = members[1:]
    lines = [first, *(_continued(member, indent) for member in middle)]
    lines.append(_continued(last, indent, f"{default},"))
    return "\n".join(lines)


def _indented(text: str, by: str) -> str:
    """``text`` with every line but the first indented ``by`` more."""
    first, *rest = text.split("\n")
    return "\n".join([first, *(by + line for line in rest)])


def _split_annotation(annotation: str, indent: str) -> str:
    """An annotation too long for its line: a union in parentheses of its own, anything
    else split at its outermost bracket."""
    if len(split_top_level(annotation, "|")) > 1:
        inner = indent + _INDENT
        return f"(\n{_expression(annotation, inner)}\n{indent})"
    return _split_subscript(annotation, indent)


def _expression(expression: str, indent: str) -> str:
    """``expression`` on lines of its own at ``indent``: one line when it fits, else a
    union one member a line, else split at its outermost bracket."""
    if len(indent) + len(expression) <= LINE_LENGTH:
        return indent + expression
    members = split_top_level(expression, "|")
    if len(members) > 1:
        lines = [_expression(members[0], indent)]
        lines.extend(_continued(member, indent) for member in members[1:])
        return "\n".join(lines)
    return indent + _split_subscript(expression, indent)


def _continued(member: str, indent: str, suffix: str = "") -> str:
    """``| member`` and ``suffix`` on a line of their own, the member split at its
    bracket when too long."""
    line = f"{indent}| {member}{suffix}"
    if len(line) <= LINE_LENGTH:
        return line
    return f"{indent}| {_split_subscript(member, indent)}{suffix}"


def _split_subscript(expression: str, indent: str) -> str:
    """``name[...]`` with its contents on their own lines; an expression with no
    bracket to split at is left as it is."""
    opening = expression.find("[")
    if opening == -1 or not expression.endswith("]"):
        return expression
    name, contents = expression[:opening], expression[opening + 1 : -1]
    inner = indent + _INDENT
    items = split_top_level(contents, ",")
    if len(items) > 1 and len(inner) + len(contents) > LINE_LENGTH:
        listed = "".join(f"{_expression(item, inner)},\n" for item in items)
        return f"{name}[\n{listed}{indent}]"
    return f"{name}[\n{_expression(contents, inner)}\n{indent}]"


def split_top_level(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside brackets and string literals."""
    if not any(mark in text for mark in "[]()\"'"):
        return [part.strip() for part in text.split(separator)]
    parts, depth, start, quote, skip = [], 0, 0, "", -1
    for found in _marks(separator).finditer(text):  # only the characters that matter
        char, index = found.group(), found.start()
        if index == skip:  # escaped inside a string
            continue
        if quote:
            if char == "\\":
                skip = index + 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return parts


@functools.cache
def _marks(separator: str) -> re.Pattern[str]:
    """Brackets, quotes, backslashes and ``separator``."""
    return re.compile(r"[\[\]()'\"\\]|" + re.escape(separator))
