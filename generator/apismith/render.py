"""Jinja rendering: the user's template folder first, then the built-in one.

A user file at the same relative path replaces the built-in template; a user template
may ``{% extends "builtin:<path>" %}`` and replace single blocks. Undefined variables
fail with the template's name and line (StrictUndefined). Spec text is only ever
*data* in a template's context, never template source.
"""

from __future__ import annotations

import difflib
import keyword
import os
import types
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.nodes
import jinja2.runtime

from apismith import layout, pyrender
from apismith.diagnostics import Diagnostic, Severity
from apismith.readable import readable_type

BUILTIN_PREFIX = "builtin:"
TEMPLATE_SUFFIX = ".jinja"
CONTEXT_VERSION = 1
"""Version of the template context documented in templates/README.md."""


def builtin_templates() -> Path:
    """The built-in template folder: inside the installed package, or the source tree."""
    installed = Path(__file__).parent / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "templates"


class TemplateLoader(jinja2.BaseLoader):
    def __init__(self, builtin: Path, user: Path | None = None) -> None:
        self.builtin = builtin
        self.user = user

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if template.startswith(BUILTIN_PREFIX):
            candidates = [self.builtin / template[len(BUILTIN_PREFIX) :]]
        else:
            candidates = [self.builtin / template]
            if self.user is not None:
                candidates.insert(0, self.user / template)
        for path in candidates:
            if path.is_file():
                return path.read_text("utf-8"), str(path), _unchanged(path)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path) -> Callable[[], bool]:
    mtime = path.stat().st_mtime
    return lambda: path.stat().st_mtime == mtime


_COMPILED_AS = "helper-calls"
"""Names how apismith compiles templates (see ``_HelperCallCodeGenerator``): templates
compiled otherwise are never taken from the cache."""


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling them takes longer than rendering a
    small package. They live in ``$APISMITH_CACHE_DIR`` (or the user's cache folder), one
    folder per Jinja version and way of compiling; each entry is checked against its
    template's source. None when the folder cannot be made."""
    root = os.environ.get("APISMITH_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "apismith"
    )
    folder = Path(root) / f"templates-jinja-{jinja2.__version__}-{_COMPILED_AS}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


class _DirectCallContext(jinja2.runtime.Context):
    """A context that calls plain functions and methods directly.

    Jinja's own ``call`` looks at every callable, on every call, for the markers of
    ``pass_context`` and its kin; in a big package the templates' calls of helpers
    (``py.annotation``, ``literal`` ...) number in the hundreds of thousands, and that
    look was a third of the rendering time. Anything else (a marked function, a macro,
    a callable object) still goes through Jinja's ``call``."""

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        function = getattr(obj, "__func__", None) if kind is types.MethodType else obj
        plain = kind is types.BuiltinFunctionType or (
            type(function) is types.FunctionType
            and getattr(function, "jinja_pass_arg", None) is None
        )
        if not plain:
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_loop_vars", None)
        kwargs.pop("_block_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class _HelperCallCodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles a call of a ``py`` method or of a global helper as a plain Python call.

    Such a call needs nothing of what Jinja's ``context.call`` is for (passing the
    context, the variables of a loop or a block), and there are hundreds of thousands of
    them in a big package. Any other call (a macro, ``caller``, ``self.<block>()``, a
    method of a value, or a call with ``*args``) is compiled as Jinja compiles it."""

    def visit_Call(
        self, node: jinja2.nodes.Call, frame: jinja2.compiler.Frame, forward_caller: bool = False
    ) -> None:
        plain = (
            not forward_caller
            and node.dyn_args is None
            and node.dyn_kwargs is None
            and _is_helper(node.node)
            and not any(keyword.iskeyword(k.key) for k in node.kwargs)
        )
        if not plain:
            super().visit_Call(node, frame, forward_caller=forward_caller)
            return
        self.visit(node.node, frame)
        self.write("(")
        for index, argument in enumerate([*node.args, *node.kwargs]):
            self.write(", " if index else "")
            self.visit(argument, frame)
        self.write(")")


def _is_helper(callee: jinja2.nodes.Node) -> bool:
    if isinstance(callee, jinja2.nodes.Name):
        return callee.name in HELPERS
    return (
        isinstance(callee, jinja2.nodes.Getattr)
        and isinstance(callee.node, jinja2.nodes.Name)
        and callee.node.name == "py"
    )


HELPERS: dict[str, Callable[..., Any]] = {
    "literal": pyrender.literal,
    "json_lines": pyrender.json_lines,
    "all_order": pyrender.all_order,
    "export_order": pyrender.export_order,
    "import_names": pyrender.import_names,
    "from_import": layout.from_import,
    "call_lines": layout.call_lines,
    "parameter": layout.parameter,
    "readable_type": readable_type,
    "docstring": pyrender.docstring,
    "comment": pyrender.comment,
    "first_line": pyrender.first_line,
    "markdown_cell": pyrender.markdown_cell,
}
"""The global functions every template can call (see templates/README.md)."""


class _Environment(jinja2.Environment):
    """An environment whose templates see its globals as one plain dict, set when a
    template is loaded (the renderer sets every global before it loads any). Jinja's
    default, a ``ChainMap`` over the environment's globals, is walked key by key in
    Python each time a template is rendered or included: thousands of times a package."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class Renderer:
    def __init__(self, user_templates: Path | None = None) -> None:
        self.builtin = builtin_templates()
        self.user = user_templates
        self.environment = _Environment(
            loader=TemplateLoader(self.builtin, user_templates),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            cache_size=-1,  # a few dozen templates: a plain dict, not an LRU with a lock
            bytecode_cache=_bytecode_cache(),
        )
        self.environment.context_class = _DirectCallContext
        self.environment.code_generator_class = _HelperCallCodeGenerator
        self.environment.globals.update(
            HELPERS, context_version=CONTEXT_VERSION, line_length=layout.LINE_LENGTH
        )

    def render(self, template: str, context: Mapping[str, Any]) -> str:
        return self.environment.get_template(template).render(**context)

    def preload(self, templates: Iterable[str]) -> None:
        """Compile ``templates`` now, so forked render workers share the compiled code.
        A template that fails to compile is reported by the render that uses it."""
        for template in sorted(templates):
            try:
                self.environment.get_template(template)
            except jinja2.TemplateError:
                continue

    def copy_source(self, relative: str) -> str:
        """A plain file (no templating) from the user folder or the built-in one."""
        for folder in (self.user, self.builtin):
            if folder is not None and (folder / relative).is_file():
                return (folder / relative).read_text("utf-8")
        raise FileNotFoundError(relative)

    def unknown_overrides(self) -> list[Diagnostic]:
        """User files that replace no built-in template: most likely misspelled."""
        if self.user is None:
            return []
        known = {
            path.relative_to(self.builtin).as_posix()
            for path in self.builtin.rglob("*")
            if path.is_file()
        }
        problems = []
        for path in sorted(p for p in self.user.rglob("*") if p.is_file()):
            relative = path.relative_to(self.user).as_posix()
            if relative in known:
                continue
            close = difflib.get_close_matches(relative, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                Diagnostic(
                    "templates/unknown-override",
                    f"{relative!r} matches no built-in template and is not used{hint}",
                    str(path),
                    severity=Severity.WARNING,
                )
            )
        return problems
