"""The pipeline: load -> check -> resolve -> build IR -> render -> format -> write.

``generate`` writes a package; ``check`` regenerates in a temporary folder and diffs
it against what is on disk. A spec with errors stops before anything is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from apismith import collector
from apismith.diagnostics import Diagnostic, Severity, has_errors
from apismith.lint.operations import check_operations
from apismith.lint.references import check_references
from apismith.load import (
    TOO_DEEP,
    Loaded,
    LoadError,
    depth_problem,
    display_path,
    load_document,
    read_bytes,
)
from apismith.parallel import beside, worth_forking
from apismith.progress import Progress, Silent
from apismith.refs import Resolver
from apismith.spec_walk import iter_operations
from apismith.structure import check_structure
from apismith.write import owned_files, read_tree, swap_in, tree_diff, write_manifest

if TYPE_CHECKING:  # the package module is imported once the checks are under way
    from apismith import ir
    from apismith.package import Attempt, Render, Rendered
    from apismith.plan import PlannedFile

_SILENT = Silent()


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


@dataclass
class Outcome:
    spec: Path
    output: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    """The generated files, relative to ``output``."""
    files: dict[str, str] = field(default_factory=dict)
    """``check`` only: the generated files' text."""
    diff: str = ""
    unreadable: bool = False

    @property
    def failed(self) -> bool:
        return self.unreadable or has_errors(self.diagnostics)


@dataclass
class Built:
    """A spec read, checked and built: ``api`` is None when it has errors."""

    api: ir.Api | None
    resolver: Resolver | None
    diagnostics: list[Diagnostic]
    unreadable: bool = False
    rendered: Rendered | None = None
    """With ``render``: the package, planned and rendered into a staging folder."""


def build(
    spec: Path, allow_remote_refs: bool = False
) -> tuple[ir.Api | None, Resolver | None, list[Diagnostic], bool]:
    """Load, check and build the IR. Returns (api, resolver, diagnostics, unreadable)."""
    built = build_and_render(spec, allow_remote_refs)
    return built.api, built.resolver, built.diagnostics, built.unreadable


def build_and_render(
    spec: Path, allow_remote_refs: bool = False, render: Render | None = None
) -> Built:
    """Load, check, build the IR and (with ``render``) plan the package's files and render
    them. A staging folder ``render`` made is removed again when the spec has errors.

    The checks are lint's rules that decide whether code can be generated at all (load,
    structure, references, operations), reported exactly as ``apismith lint`` does.

    A big spec is checked in a forked child while this process builds, plans and renders,
    so no process waits for the other. Each of the two parses the spec's bytes for itself,
    at the same time: a document parsed before the fork would be shared page by page, and
    every page either process then touched (reading an object updates its reference
    count) would be copied. A small spec is checked first and rendered only if it passes."""
    fork = worth_forking(spec)
    try:
        raw = read_bytes(spec)
        shared = None if fork else _parse(spec, raw, allow_remote_refs)
    except LoadError as error:
        return Built(None, None, list(error.diagnostics), unreadable=True)

    def parsed() -> tuple[Loaded, Resolver]:
        return shared if shared is not None else _parse(spec, raw, allow_remote_refs)

    def checks() -> tuple[list[Diagnostic], list[Diagnostic]] | None:
        """(findings, the resolver's diagnostics once the operations are checked), located
        here: a forked child may have loaded files the parent never reads; None for a
        spec that cannot be read. A document nested too deep gets its ``load/too-deep``
        alone."""
        try:
            loaded, resolver = parsed()
        except LoadError:
            return None  # the build parses the same bytes and reports why
        document = loaded.document
        too_deep = depth_problem(document)
        if too_deep is not None:
            return [too_deep], []
        check_references(resolver)  # every broken or looping $ref is known from here on
        operations = check_operations(resolver, list(iter_operations(resolver)))
        # last, as lint does: every broken or looping $ref is known and blanked out for it
        structure = check_structure(document, resolver.broken_in(document))
        found = [*operations, *(_as_generation_sees_it(d) for d in structure)]
        return _locate(found, resolver), _locate(list(resolver.diagnostics), resolver)

    def building() -> tuple[Loaded, Resolver, Attempt] | LoadError:
        """The build (and, forked, the render), which counts only when the checks find no
        error: it may stumble on a malformed document (a broken $ref, say), whose errors
        the checks report. Unforked, the checks run first and a broken $ref spares the
        build."""
        try:
            loaded, resolver = parsed()
        except LoadError as error:
            return error
        if has_errors(resolver.diagnostics):
            return loaded, resolver, (None, None, [], None)
        # imported only now: with the checks forked, loading the IR, Jinja and the
        # templates' helpers overlaps them
        from apismith.package import try_build

        attempt = try_build(loaded.document, resolver, render if fork else None)
        _, rendered, _, _ = attempt
        if rendered is not None:
            staged.append(rendered.staging)
        return loaded, resolver, attempt

    staged: list[Path] = []
    try:
        built, checked_all = beside(building, checks, fork=fork)
    except BaseException:  # a checks worker that broke, an interrupt: nothing rendered is kept
        for staging in staged:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if isinstance(built, LoadError):
        return Built(None, None, list(built.diagnostics), unreadable=True)
    loaded, resolver, (api, rendered, problems, failure) = built
    # the build parsed the spec, so the checks, parsing the same bytes, did too
    assert checked_all is not None
    judged = _judged(loaded, resolver, checked_all, api, problems, failure)
    if judged.api is None:
        if rendered is not None:
            shutil.rmtree(rendered.staging, ignore_errors=True)
    elif render is not None:
        from apismith.package import planned_and_rendered

        judged.rendered = (
            rendered if rendered is not None else planned_and_rendered(judged.api, resolver, render)
        )
    return judged


def _judged(
    loaded: Loaded,
    resolver: Resolver,
    checked_all: tuple[list[Diagnostic], list[Diagnostic]],
    api: ir.Api | None,
    problems: list[Diagnostic],
    failure: Exception | None,
) -> Built:
    """The build's outcome once the checks are in: the build counts only if they found no
    error, and then its failure is raised."""
    checked, reference_problems = checked_all
    if any(d.rule == TOO_DEEP for d in checked):
        return Built(None, None, checked, unreadable=True)
    diagnostics = [*loaded.diagnostics, *checked]
    if has_errors(diagnostics) or has_errors(reference_problems):
        api = None
        diagnostics.extend(reference_problems)
    elif failure is not None:
        raise failure
    else:
        diagnostics.extend(problems)
    located = _locate(list(dict.fromkeys(diagnostics)), resolver)
    if has_errors(located):
        return Built(None, resolver, located)
    return Built(api, resolver, located)


def _parse(spec: Path, raw: bytes, allow_remote_refs: bool) -> tuple[Loaded, Resolver]:
    # the depth check is the first of the checks, beside the build: the build of a
    # document nested too deep fails, and the failure is dropped for the check's error
    loaded = load_document(spec, check_depth=False, raw=raw)
    return loaded, Resolver(loaded.document, allow_remote=allow_remote_refs)


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


def _staged(
    outcome: Outcome,
    templates: Path | None,
    parent: Path,
    allow_remote_refs: bool = False,
    progress: Progress = _SILENT,
) -> Path | None:
    """A finished staging folder under ``parent`` holding the package, or None when the
    spec or a template has errors (the diagnostics are in ``outcome`` either way)."""
    with collector.paused():
        return _stage_package(outcome, templates, parent, allow_remote_refs, progress)


def _stage_package(
    outcome: Outcome,
    templates: Path | None,
    parent: Path,
    allow_remote_refs: bool,
    progress: Progress,
) -> Path | None:
    progress.phase("reading and checking the spec")

    def render(api: ir.Api, planned: list[PlannedFile]) -> Rendered:
        operations, types = _count(len(api.operations), "operation"), _count(len(api.types), "type")
        progress.phase(f"rendering {operations} and {types}")
        from apismith.package import render_package

        return render_package(planned, parent, templates)

    built = build_and_render(outcome.spec, allow_remote_refs, render)
    outcome.diagnostics, outcome.unreadable = built.diagnostics, built.unreadable
    if built.rendered is None:
        return None
    staging, paths, problems, _ = built.rendered
    try:
        outcome.diagnostics.extend(problems)
        if has_errors(problems):
            shutil.rmtree(staging)
            return None
        write_manifest(staging, paths)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    outcome.paths = sorted(paths)
    return staging


def generate(
    spec: Path,
    output: Path,
    templates: Path | None = None,
    allow_remote_refs: bool = False,
    progress: Progress = _SILENT,
) -> Outcome:
    outcome = Outcome(spec, output)
    staging = _staged(outcome, templates, output.parent, allow_remote_refs, progress)
    if staging is not None:
        swap_in(staging, output)
    return outcome


def check(
    spec: Path, output: Path, templates: Path | None = None, progress: Progress = _SILENT
) -> Outcome:
    """Regenerate in a temporary folder; ``diff`` says how ``output`` differs."""
    outcome = Outcome(spec, output)
    with tempfile.TemporaryDirectory(prefix="apismith-check-") as scratch:
        staging = _staged(outcome, templates, Path(scratch), progress=progress)
        if staging is None:
            return outcome
        expected = read_tree(staging, outcome.paths)
    on_disk = read_tree(output, sorted(set(owned_files(output)) | set(expected)))
    outcome.files = expected
    outcome.diff = tree_diff(expected, on_disk, display_path(output))
    return outcome
