"""The pipeline: load -> check -> resolve -> build IR -> render -> format -> write.

``generate`` writes a package; ``check`` regenerates in a temporary folder and diffs
it against what is on disk. A spec with errors stops before anything is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from apismith import ir
from apismith.build import build_api
from apismith.diagnostics import Diagnostic, Severity, has_errors
from apismith.lint.operations import check_operations
from apismith.lint.references import check_references
from apismith.lint.sites import collect_sites
from apismith.load import LoadError, display_path, load_document
from apismith.plan import PlannedFile, plan_package
from apismith.progress import Progress, Silent
from apismith.pyrender import PythonApi
from apismith.refs import Resolver, Target
from apismith.render import TEMPLATE_SUFFIX, Renderer
from apismith.schema_view import SchemaView
from apismith.structure import check_structure
from apismith.tidy import drop_unused_aliases
from apismith.write import owned_files, read_tree, stage, swap_in, tree_diff

_SILENT = Silent()


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@dataclass
class Outcome:
    spec: Path
    output: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    diff: str = ""
    unreadable: bool = False

    @property
    def failed(self) -> bool:
        return self.unreadable or has_errors(self.diagnostics)


def build(
    spec: Path, allow_remote_refs: bool = False
) -> tuple[ir.Api | None, Resolver | None, list[Diagnostic], bool]:
    """Load, check and build the IR. Returns (api, resolver, diagnostics, unreadable).

    The checks are lint's rules that decide whether code can be generated at all (load,
    structure, references, operations), reported exactly as ``apismith lint`` does."""
    try:
        loaded = load_document(spec)
    except LoadError as error:
        return None, None, list(error.diagnostics), True
    document = loaded.document
    resolver = Resolver(document, allow_remote=allow_remote_refs)
    check_references(resolver)
    diagnostics = [
        *loaded.diagnostics,
        *check_operations(resolver, collect_sites(resolver).operations),
    ]
    # last, as lint does: every broken or looping $ref is known and blanked out for it
    broken = [d.pointer for d in resolver.diagnostics if d.file == document.file]
    diagnostics.extend(_as_generation_sees_it(d) for d in check_structure(document, broken))
    api: ir.Api | None = None
    if not has_errors(diagnostics) and not has_errors(resolver.diagnostics):
        api, problems = build_api(document, resolver)
        diagnostics.extend(problems)
    else:
        diagnostics.extend(resolver.diagnostics)
    located = _locate(list(dict.fromkeys(diagnostics)), resolver)
    return (None if has_errors(located) else api), resolver, located, False


def _as_generation_sees_it(diagnostic: Diagnostic) -> Diagnostic:
    """A structure error confined to a value (a ``default`` its schema rejects, a string
    its format rejects, a repeated enum value) changes no generated code, so it warns
    here instead of stopping the run; ``apismith lint`` still reports it as the error
    it is."""
    if diagnostic.severity < Severity.ERROR:
        return diagnostic
    value_level = diagnostic.rule == "structure/default" or (
        diagnostic.rule == "structure/schema"
        and (
            _FORMAT_REFUSED.search(diagnostic.message) is not None
            or (diagnostic.pointer.endswith("/enum") and "non-unique" in diagnostic.message)
        )
    )
    if not value_level:
        return diagnostic
    return replace(
        diagnostic,
        severity=Severity.WARNING,
        message=f"{diagnostic.message} (a lint error; it changes no generated code)",
    )


_FORMAT_REFUSED = re.compile(r" is not a '[\w-]+'$")


def _locate(diagnostics: list[Diagnostic], resolver: Resolver) -> list[Diagnostic]:
    for document in resolver.documents.values():
        diagnostics = document.locate(diagnostics)
    return diagnostics


def render_package(
    api: ir.Api, resolver: Resolver, templates: Path | None = None
) -> tuple[dict[str, str], list[Diagnostic]]:
    renderer = Renderer(templates)
    py = PythonApi(api)
    files: dict[str, str] = {}
    problems = renderer.unknown_overrides()
    body_schemas = request_body_schemas(api, resolver)
    parameter_schemas = request_parameter_schemas(api, resolver)
    for planned in plan_package(api, py, body_schemas, parameter_schemas):
        try:
            files[planned.path] = _render(renderer, planned)
        except jinja2.TemplateError as error:
            problems.append(_template_problem(planned, error))
        except FileNotFoundError as error:
            problems.append(
                Diagnostic("templates/missing", f"no template file {error}", str(planned.copy))
            )
    return files, problems


def _render(renderer: Renderer, planned: PlannedFile) -> str:
    if planned.copy is not None:
        return renderer.copy_source(planned.copy)
    assert planned.template is not None
    text = renderer.render(planned.template, planned.context)
    return drop_unused_aliases(text) if planned.path.endswith(".py") else text


def _template_problem(planned: PlannedFile, error: jinja2.TemplateError) -> Diagnostic:
    """Located at the template line that failed: Jinja puts template frames in tracebacks."""
    file, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if line is None:
        frames = [
            f
            for f in traceback.extract_tb(error.__traceback__)
            if f.filename.endswith(TEMPLATE_SUFFIX)
        ]
        if frames:
            file, line = frames[-1].filename, frames[-1].lineno
    return Diagnostic(
        "templates/error",
        f"rendering {planned.path}: {error}",
        str(file or planned.template or ""),
        severity=Severity.ERROR,
        line=line,
    )


def request_body_schemas(api: ir.Api, resolver: Resolver) -> dict[str, Any]:
    """Operation id -> the JSON Schema its request body must satisfy (request direction)."""
    schemas: dict[str, Any] = {}
    for operation in api.operations:
        body = operation.body
        if body is None:
            continue
        media = _target(resolver, body.source)
        if media is None or not isinstance(media.value, dict) or "schema" not in media.value:
            continue
        view = SchemaView(resolver)
        name = view.define(
            media.document, body.source.pointer + "/schema", media.value["schema"], "request"
        )
        schemas[operation.id] = _ordered(view.bundle(name))
    return schemas


_PARAMETER_GROUPS = {"path": "path", "query": "query", "header": "headers", "cookie": "cookies"}


def request_parameter_schemas(api: ir.Api, resolver: Resolver) -> dict[str, Any]:
    """Operation id -> a JSON Schema of ``{path: {...}, query: {...}, headers: {...},
    cookies: {...}}`` holding each parameter's schema, for operations with parameters."""
    schemas: dict[str, Any] = {}
    for operation in api.operations:
        view = SchemaView(resolver)
        groups: dict[str, dict[str, Any]] = {}
        defs: dict[str, Any] = {}
        for parameter in operation.parameters:
            found = _target(resolver, parameter.source)
            if found is None or not isinstance(found.value, dict) or "schema" not in found.value:
                continue
            name = view.define(
                found.document,
                parameter.source.pointer + "/schema",
                found.value["schema"],
                "request",
            )
            defs.update(view.bundle(name)["$defs"])
            group = groups.setdefault(
                _PARAMETER_GROUPS[parameter.location], {"type": "object", "properties": {}}
            )
            group["properties"][parameter.name] = {"$ref": f"#/$defs/{name}"}
        if groups:
            schema = {"type": "object", "properties": groups, "$defs": defs}
            schemas[operation.id] = _ordered(schema)
    return schemas


def _target(resolver: Resolver, source: ir.Source) -> Target | None:
    document = next(d for d in resolver.documents.values() if d.file == source.file)
    return resolver.resolve("#" + source.pointer, document, source.pointer)


def _ordered(schema: dict[str, Any]) -> dict[str, Any]:
    schema["$defs"] = dict(sorted(schema["$defs"].items(), key=lambda item: _natural(item[0])))
    return schema


def _natural(name: str) -> tuple[int, str]:
    """``s2`` before ``s10``: definitions in the order they were first reached."""
    digits = "".join(c for c in name if c.isdigit())
    return (int(digits) if digits else -1, name)


def _rendered(
    outcome: Outcome,
    templates: Path | None,
    allow_remote_refs: bool = False,
    progress: Progress = _SILENT,
) -> dict[str, str] | None:
    """The package's files as text, or None when the spec or a template has errors (the
    diagnostics are in ``outcome`` either way)."""
    progress.phase("reading and checking the spec")
    api, resolver, diagnostics, unreadable = build(outcome.spec, allow_remote_refs)
    outcome.diagnostics, outcome.unreadable = diagnostics, unreadable
    if api is None or resolver is None:
        return None
    progress.phase(
        f"rendering {_count(len(api.operations), 'operation')} and {_count(len(api.types), 'type')}"
    )
    files, problems = render_package(api, resolver, templates)
    outcome.diagnostics.extend(problems)
    return None if has_errors(problems) else files


def generate(
    spec: Path,
    output: Path,
    templates: Path | None = None,
    allow_remote_refs: bool = False,
    progress: Progress = _SILENT,
) -> Outcome:
    outcome = Outcome(spec, output)
    files = _rendered(outcome, templates, allow_remote_refs, progress)
    if files is None:
        return outcome
    progress.phase(f"writing and formatting {_count(len(files), 'file')}")
    staging = stage(files, output.parent)
    outcome.files = read_tree(staging, sorted(files))
    swap_in(staging, output)
    return outcome


def check(
    spec: Path, output: Path, templates: Path | None = None, progress: Progress = _SILENT
) -> Outcome:
    """Regenerate in a temporary folder; ``diff`` says how ``output`` differs."""
    outcome = Outcome(spec, output)
    files = _rendered(outcome, templates, progress=progress)
    if files is None:
        return outcome
    with tempfile.TemporaryDirectory(prefix="apismith-check-") as scratch:
        staging = stage(files, Path(scratch) / output.name)
        expected = read_tree(staging, sorted(files))
        shutil.rmtree(staging)
    on_disk = read_tree(output, sorted(set(owned_files(output)) | set(expected)))
    outcome.files = expected
    outcome.diff = tree_diff(expected, on_disk, display_path(output))
    return outcome
