"""Every rule family over one spec: what ``apismith lint`` reports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from apismith import collector
from apismith.diagnostics import Diagnostic, Severity
from apismith.lint.examples import check_examples
from apismith.lint.hygiene import check_hygiene
from apismith.lint.operations import check_operations
from apismith.lint.references import check_references
from apismith.lint.sites import collect_sites
from apismith.load import LoadError, display_path, load_document
from apismith.parallel import beside, worth_forking
from apismith.refs import Resolver
from apismith.structure import check_structure
from apismith.validate import PayloadValidator


@dataclass(frozen=True)
class LintResult:
    file: str
    diagnostics: tuple[Diagnostic, ...]
    readable: bool = True
    """False when the spec itself could not be read (the CLI exits 2)."""


def lint_spec(path: Path, *, allow_remote_refs: bool = False) -> LintResult:
    """Lint one spec; diagnostics come back located and sorted."""
    with collector.paused():
        return _lint(path, allow_remote_refs)


def _lint(path: Path, allow_remote_refs: bool) -> LintResult:
    try:
        loaded = load_document(path)
    except LoadError as error:
        return LintResult(display_path(path), error.diagnostics, readable=False)
    document = loaded.document
    resolver = Resolver(document, allow_remote=allow_remote_refs)
    check_references(resolver)
    sites = collect_sites(resolver)
    found = [*loaded.diagnostics, *check_operations(resolver, sites.operations)]
    # the structure check runs beside the example and hygiene checks, with the $refs
    # known to be broken so far blanked out; it runs again in the rare case that those
    # checks find another one
    broken = resolver.broken_in(document)

    def examples_and_hygiene() -> list[Diagnostic]:
        examples = check_examples(PayloadValidator(resolver), sites)
        return [*examples, *check_hygiene(resolver, sites)]

    checked, structure = beside(
        examples_and_hygiene,
        lambda: check_structure(document, broken),
        fork=worth_forking(document.path),
    )
    found.extend(checked)
    broken_after = resolver.broken_in(document)
    if broken_after != broken:
        structure = check_structure(document, broken_after)
    found.extend(structure)
    found.extend(_remote_allowed(d) if allow_remote_refs else d for d in resolver.diagnostics)
    unique = list(dict.fromkeys(found))
    for other in resolver.documents.values():
        unique = other.locate(unique)
    return LintResult(document.file, tuple(sorted(unique, key=Diagnostic.sort_key)))


def _remote_allowed(diagnostic: Diagnostic) -> Diagnostic:
    """With remote references allowed, one is only noted: it is never fetched here, so
    what it points at goes unchecked."""
    if diagnostic.rule != "ref/remote":
        return diagnostic
    message = diagnostic.message.replace(
        "cannot be fetched", "is not fetched; its target is not checked"
    )
    return replace(diagnostic, severity=Severity.INFO, message=message)
