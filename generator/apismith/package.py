"""A checked spec's package: its files planned, then rendered into a staging folder.

This is the heavier half of the pipeline (the IR, Jinja, the templates' helpers).
:func:`apismith.generate.build_and_render` imports it only once a big spec's checks are
running beside it in a forked process, so that loading it overlaps them.
"""

from __future__ import annotations

import re
import shutil
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jinja2

from apismith import ir
from apismith.build import build_api
from apismith.deferred import Deferred
from apismith.diagnostics import Diagnostic, Severity
from apismith.load import Document
from apismith.parallel import WorkerError, from_both_ends, worker_count
from apismith.plan import PlannedFile, plan_package
from apismith.pyrender import PythonApi
from apismith.refs import Resolver
from apismith.render import TEMPLATE_SUFFIX, Renderer
from apismith.request_schemas import request_body_schemas, request_parameter_schemas
from apismith.settled import PYTHON_SUFFIXES, needs_formatting
from apismith.statements import Excerpt, excerpt
from apismith.tidy import drop_unused_aliases
from apismith.write import FormatError, ShareFormatting, open_staging, refuse_unsafe, write_files


class Rendered(NamedTuple):
    staging: Path
    paths: list[str]
    """The files rendered into ``staging``."""
    problems: list[Diagnostic]
    formatted: list[str]
    """The rendered files ruff's formatter formatted (see :mod:`apismith.settled`)."""


Render = Callable[[ir.Api, list[PlannedFile]], Rendered]


Attempt = tuple[ir.Api | None, Rendered | None, list[Diagnostic], Exception | None]
"""(api, the package rendered, the build's problems, the exception the build or the
render raised)"""


def try_build(document: Document, resolver: Resolver, render: Render | None) -> Attempt:
    """Build the IR and, with ``render``, plan and render the package. What fails is
    returned, not raised: it counts only once the checks have found the spec sound."""
    try:
        api, problems = build_api(document, resolver)
        rendered = planned_and_rendered(api, resolver, render) if render is not None else None
    except Exception as error:
        return None, None, [], error
    return api, rendered, problems, None


def planned_and_rendered(api: ir.Api, resolver: Resolver, render: Render) -> Rendered:
    return render(api, plan_files(api, resolver))


def plan_files(api: ir.Api, resolver: Resolver) -> list[PlannedFile]:
    """Every file of the package: its path, and its template and context or the file it
    copies."""
    body_schemas = Deferred(lambda: request_body_schemas(api, resolver))
    parameter_schemas = Deferred(lambda: request_parameter_schemas(api, resolver))
    return plan_package(api, PythonApi(api), body_schemas, parameter_schemas)


RUFF_SETTINGS = frozenset({"pyproject.toml", "ruff.toml", ".ruff.toml"})
"""Files of a package that hold settings of ruff's formatter."""

RENDER_WEIGHT_PER_WORKER = 1_000
"""Rendering work (in ``PlannedFile.weight`` units, about a tenth of a second) worth a
forked worker; smaller packages render in one process, where forking would cost more."""


def render_package(
    planned: list[PlannedFile], parent: Path, templates: Path | None = None
) -> Rendered:
    """Render every planned file into a new staging folder under ``parent``, and format
    those that need it with ruff.

    A big package is rendered by forked workers and this process at once, each taking
    files on demand (see ``_render_order``), writing what it rendered, and handing it to
    ruff once its share is rendered (see ``ShareFormatting``). A file ruff cannot parse
    (a user's template wrote invalid Python) is a problem at its line. Raises
    ``UnsafePathError`` before creating anything when a planned path is unsafe."""
    renderer = Renderer(templates)
    paths = [p.path for p in planned]
    refuse_unsafe(paths)
    renderer.preload({p.template for p in planned if p.template is not None})
    queue = _render_order(planned)
    # ruff's settings first, here: a process whose share is done formats its files while
    # another may still be rendering
    settings = [i for i in queue if planned[i].path in RUFF_SETTINGS]
    queue = settings + [i for i in queue if planned[i].path not in RUFF_SETTINGS]
    weights = [planned[i].weight for i in queue]
    processes = worker_count(sum(weights), RENDER_WEIGHT_PER_WORKER)
    problems = renderer.unknown_overrides()
    staging = open_staging(parent)
    formatting = ShareFormatting(staging)

    def render_chunk(positions: range) -> list[tuple[list[Diagnostic], bool]]:
        """Each file's problems, and whether it went to ruff's formatter."""
        files: dict[str, str] = {}
        found: list[tuple[list[Diagnostic], bool]] = []
        to_format: list[tuple[str, Excerpt | None]] = []
        for planned_file in (planned[queue[p]] for p in positions):
            try:
                text = _render(renderer, planned_file)
            except jinja2.TemplateError as error:
                found.append(([_template_problem(planned_file, error)], False))
                continue
            except FileNotFoundError as error:
                missing = str(planned_file.copy)
                problem = Diagnostic("templates/missing", f"no template file {error}", missing)
                found.append(([problem], False))
                continue
            files[planned_file.path] = text
            unsettled = needs_formatting(planned_file.path, text, templates is not None)
            found.append(([], unsettled))
            if unsettled:
                statements = _statements(planned_file.path, text, templates is not None)
                to_format.append((planned_file.path, statements))
        write_files(staging, files)  # a failed render discards the staging folder
        for path, statements in to_format:
            if statements is None:
                formatting.add(path)
            else:
                formatting.add_statements(path, files[path], statements)
        return found

    try:
        rendered = render_chunk(range(len(settings)))

        def render_rest(positions: range) -> list[tuple[list[Diagnostic], bool]]:
            try:
                return render_chunk(
                    range(positions.start + len(settings), positions.stop + len(settings))
                )
            except BaseException:
                formatting.abandon()  # a failing worker leaves no ruff run writing into staging
                raise

        rest = weights[len(settings) :]
        rendered += from_both_ends(render_rest, rest, processes, share_done=formatting.finish)
    except BaseException as error:
        formatting.abandon()  # nothing may still write into the staging folder
        failed = error.__cause__ if isinstance(error, WorkerError) else error
        if not isinstance(failed, FormatError):
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return Rendered(staging, paths, [*problems, *_invalid_python(failed)], [])
    formatted: list[str] = []
    for index, (found, went_to_ruff) in sorted(zip(queue, rendered, strict=True)):
        problems.extend(found)
        if went_to_ruff:
            formatted.append(paths[index])
    return Rendered(staging, paths, problems, formatted)


def _statements(path: str, text: str, from_user_templates: bool) -> Excerpt | None:
    """The statements ruff has to format of a module the built-in templates wrote, or
    None when the whole file goes to ruff."""
    if from_user_templates or not path.endswith(PYTHON_SUFFIXES):
        return None
    return excerpt(text)


def _render_order(planned: list[PlannedFile]) -> list[int]:
    """The planned files' indexes in the order render processes take them: first the
    files planned in full, heaviest first, which forked workers take from the front; then
    those with deferred context, heaviest last, which this process takes from the back. A
    forked worker so seldom has to work the deferred context out again."""

    def place(index: int) -> tuple[bool, int]:
        planned_file = planned[index]
        if any(isinstance(value, Deferred) for value in planned_file.context.values()):
            return True, planned_file.weight
        return False, -planned_file.weight

    return sorted(range(len(planned)), key=place)


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


_RUFF_PARSE_ERROR = re.compile(r"error: Failed to parse (.+?):(\d+):\d+: (.*)")


def _invalid_python(error: FormatError) -> list[Diagnostic]:
    """ruff's complaints about rendered code (only a user's template can write code ruff
    cannot parse), each at the rendered file and line it names."""
    problems = []
    for line in str(error).splitlines():
        found = _RUFF_PARSE_ERROR.fullmatch(line.strip())
        file, at, message = found.groups() if found else ("", None, line.strip())
        problems.append(
            Diagnostic(
                "templates/invalid-python",
                f"a template rendered code ruff cannot parse: {message}",
                file,
                severity=Severity.ERROR,
                line=int(at) if at else None,
            )
        )
    return problems
