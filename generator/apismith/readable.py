"""Annotations as documentation shows them: no module aliases, no validators.

``_t.Annotated[X, ...]`` reads ``X``; ``_mb.OpenStr[X]`` reads ``X | str``;
``_abc.Sequence`` reads ``Sequence``. The package's documentation shows thousands of
distinct annotations, so the common node kinds are spelled here directly, exactly as
``ast.unparse`` spells them; an annotation with any other kind of node (a user's
template may pass anything) is rewritten as a tree and handed to ``ast.unparse``.
"""

from __future__ import annotations

import ast
import functools

_OPEN_ENUM_BASES = {"OpenStr": "str", "OpenInt": "int"}

# ``ast.unparse``'s binding strengths, as far as annotations need them
_ANY, _BAR, _RIGHT_OF_BAR, _UNARY, _ATOM = range(5)


@functools.cache
def readable_type(annotation: str) -> str:
    """An annotation as documentation shows it. Annotations repeat across a package's
    documentation: each is worked out once."""
    if annotation.isidentifier():  # a class or a builtin reads as it is written
        return annotation
    tree = ast.parse(annotation, mode="eval")
    try:
        return _readable(tree.body, _ANY)
    except _Unusual:
        return ast.unparse(_Readable().visit(tree))


class _Unusual(Exception):
    """A node kind ``_readable`` leaves to ``ast.unparse``."""


def _readable(node: ast.expr, binding: int) -> str:
    """``node`` rewritten and spelled, where the expression around it binds this strongly."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return _attribute(node)
    if isinstance(node, ast.Subscript):
        return _subscript(node, binding)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left = _readable(node.left, _BAR)
        return _union(left, _readable(node.right, _RIGHT_OF_BAR), binding)
    if isinstance(node, ast.Constant):
        return _constant(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        text = "-" + _readable(node.operand, _UNARY)
        return f"({text})" if binding > _UNARY else text
    raise _Unusual


def _attribute(node: ast.Attribute) -> str:
    value = node.value
    if isinstance(value, ast.Name):
        if value.id.startswith("_"):  # a module alias
            return "float" if node.attr == "Number" else node.attr
        return f"{value.id}.{node.attr}"
    if isinstance(value, ast.Attribute):
        return f"{_attribute(value)}.{node.attr}"
    raise _Unusual


def _subscript(node: ast.Subscript, binding: int) -> str:
    head, index = node.value, node.slice
    if isinstance(head, ast.Attribute) and head.attr == "Annotated":
        return _readable(index.elts[0] if isinstance(index, ast.Tuple) else index, binding)
    if isinstance(head, ast.Attribute) and head.attr in _OPEN_ENUM_BASES:
        return _union(_readable(index, _BAR), _OPEN_ENUM_BASES[head.attr], binding)
    if isinstance(index, ast.Tuple) and index.elts:
        items = [_readable(item, _ANY) for item in index.elts]
        inside = f"{items[0]}," if len(items) == 1 else ", ".join(items)
    else:
        inside = _readable(index, _ANY)
    return f"{_readable(head, _ATOM)}[{inside}]"


def _union(left: str, right: str, binding: int) -> str:
    text = f"{left} | {right}"
    return f"({text})" if binding > _BAR else text


def _constant(value: object) -> str:
    if value is ...:
        return "..."
    if isinstance(value, float | complex):
        return repr(value).replace("inf", "1e309")
    return repr(value)


class _Readable(ast.NodeTransformer):
    """The same rewriting, as a tree for ``ast.unparse``."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.value, ast.Attribute) and node.value.attr == "Annotated":
            inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            visited: ast.AST = self.visit(inner)
            return visited
        if isinstance(node.value, ast.Attribute) and node.value.attr in _OPEN_ENUM_BASES:
            base = ast.Name(_OPEN_ENUM_BASES[node.value.attr], ast.Load())
            return ast.BinOp(self.visit(node.slice), ast.BitOr(), base)
        return self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id.startswith("_"):
            return ast.Name("float" if node.attr == "Number" else node.attr, ast.Load())
        return self.generic_visit(node)
