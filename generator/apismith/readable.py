"""Annotations as documentation shows them: no module aliases, no validators.

``_t.Annotated[X, ...]`` reads ``X``; ``_mb.OpenStr[X]`` reads ``X | str``;
``_abc.Sequence`` reads ``Sequence``. The rewritten tree is spelled here, exactly as
``ast.unparse`` spells it, for the node kinds annotations are made of: the package's
documentation shows thousands of distinct annotations, and ``ast.unparse`` is slow. A
tree with any other kind of node (a user's template may pass anything) goes to
``ast.unparse``.
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
    tree = _Readable().visit(ast.parse(annotation, mode="eval"))
    try:
        return _spelled(tree.body, _ANY)
    except _Unusual:
        return ast.unparse(tree)


class _Readable(ast.NodeTransformer):
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


class _Unusual(Exception):
    """A node kind ``_spelled`` leaves to ``ast.unparse``."""


def _spelled(node: ast.expr, binding: int) -> str:
    """``node`` as ``ast.unparse`` spells it where the expression around it binds this
    strongly."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
        return f"{_spelled(node.value, _ATOM)}.{node.attr}"
    if isinstance(node, ast.Subscript):
        index = node.slice
        if isinstance(index, ast.Tuple) and index.elts:
            items = [_spelled(item, _ANY) for item in index.elts]
            inside = f"{items[0]}," if len(items) == 1 else ", ".join(items)
        else:
            inside = _spelled(index, _ANY)
        return f"{_spelled(node.value, _ATOM)}[{inside}]"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        text = f"{_spelled(node.left, _BAR)} | {_spelled(node.right, _RIGHT_OF_BAR)}"
        return f"({text})" if binding > _BAR else text
    if isinstance(node, ast.Constant):
        if node.value is ...:
            return "..."
        if isinstance(node.value, float | complex):
            return repr(node.value).replace("inf", "1e309")
        return repr(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        text = "-" + _spelled(node.operand, _UNARY)
        return f"({text})" if binding > _UNARY else text
    raise _Unusual
