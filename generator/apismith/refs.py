"""``$ref`` resolution across the spec and the files it references.

Local (``#/components/...``) and relative-file (``common.yaml#/Pet``) references are
followed; files are loaded once. A reference that is remote (unless allowed), leaves the
root spec's folder, or names nothing becomes a diagnostic located at the ``$ref``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from apismith.diagnostics import Diagnostic, split_pointer
from apismith.load import Document, LoadError, load_document
from apismith.records import record


@record
class Target:
    """What a reference points at: a value inside a loaded document."""

    document: Document
    pointer: str
    value: Any

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the referenced place, stable across different spellings of the ref."""
        return (self.document.path_key, self.pointer)


@dataclass
class Resolver:
    root: Document
    allow_remote: bool = False
    documents: dict[Path, Document] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _failed: set[tuple[str, str, str]] = field(default_factory=set)
    _resolved: dict[tuple[str, str], Target] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.documents[self.root.path.resolve()] = self.root
        self.folder = self.root.path.resolve().parent

    def broken_in(self, document: Document) -> list[str]:
        """Pointers of ``document``'s ``$ref``s known so far not to resolve (or to loop)."""
        return [d.pointer for d in self.diagnostics if d.file == document.file]

    def resolved(self, ref: object, document: Document) -> Target | None:
        """What this ``$ref`` value of ``document`` resolved to before, if it has."""
        return self._resolved.get((document.file, ref)) if isinstance(ref, str) else None

    def resolve(self, ref: object, document: Document, pointer: str) -> Target | None:
        """Resolve the ``$ref`` value found at ``pointer`` of ``document``.

        ``pointer`` is where the ``$ref`` key itself stands; failures are recorded once.
        """
        if isinstance(ref, str):
            known = self._resolved.get((document.file, ref))
            if known is not None:
                return known
        problem = self._problem(ref, document)
        if isinstance(problem, Target):
            if isinstance(ref, str):
                self._resolved[(document.file, ref)] = problem
            return problem
        key = (document.file, pointer, str(ref))
        if key not in self._failed:
            self._failed.add(key)
            self.diagnostics.append(Diagnostic(problem[0], problem[1], document.file, pointer))
        return None

    def follow(self, value: Any, document: Document, pointer: str) -> Target | None:
        """Follow a chain of ``$ref``-only objects to the first value that is not one.

        Returns None where the chain breaks or loops back on itself (both recorded)."""
        target = Target(document, pointer, value)
        seen: set[tuple[str, str]] = set()
        while isinstance(target.value, dict) and "$ref" in target.value:
            if target.key in seen:
                self.diagnostics.append(
                    Diagnostic(
                        "ref/cycle",
                        "reference cycle: this $ref leads back to itself without any content",
                        target.document.file,
                        target.pointer + "/$ref",
                    )
                )
                return None
            seen.add(target.key)
            next_target = self.resolve(
                target.value["$ref"], target.document, target.pointer + "/$ref"
            )
            if next_target is None:
                return None
            target = next_target
        return target

    def _problem(self, ref: object, document: Document) -> Target | tuple[str, str]:
        if not isinstance(ref, str):
            return ("ref/not-a-string", f"$ref must be a string, not {type(ref).__name__}")
        if ref[:1] == "#" and "\t" not in ref and "\r" not in ref and "\n" not in ref:
            # most references: within this document, as ``urlsplit`` would read them
            return self._at(document, unquote(ref[1:]), ref)
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            if not self.allow_remote:
                return (
                    "ref/remote",
                    f"remote reference {ref!r} refused (allow with --allow-remote-refs)",
                )
            return ("ref/remote", f"remote reference {ref!r} cannot be fetched")
        target_document = document
        if parts.path:
            loaded = self._load_relative(unquote(parts.path), document)
            if isinstance(loaded, tuple):
                return loaded
            target_document = loaded
        return self._at(target_document, unquote(parts.fragment), ref)

    def _at(self, target_document: Document, fragment: str, ref: str) -> Target | tuple[str, str]:
        if fragment and not fragment.startswith("/"):
            return ("ref/fragment", f"only JSON pointer fragments are supported, not {ref!r}")
        value = target_document.data
        try:
            for token in split_pointer(fragment):
                value = value[int(token)] if isinstance(value, list) else value[token]
        except (KeyError, IndexError, ValueError, TypeError):
            return ("ref/unresolved", f"{ref!r} does not resolve: nothing at {fragment or '/'}")
        return Target(target_document, fragment, value)

    def _load_relative(self, relative: str, document: Document) -> Document | tuple[str, str]:
        if os.path.isabs(relative):
            return ("ref/outside", f"absolute file reference {relative!r} refused")
        candidate = (document.path.resolve().parent / relative).resolve()
        if not candidate.is_relative_to(self.folder):
            return ("ref/outside", f"file reference {relative!r} leaves the spec's folder")
        cached = self.documents.get(candidate)
        if cached is not None:
            return cached
        if not candidate.is_file():
            return ("ref/missing-file", f"referenced file {relative!r} does not exist")
        try:
            loaded = load_document(candidate)
        except LoadError as error:
            self.diagnostics.extend(error.diagnostics)
            return ("ref/unreadable", f"referenced file {relative!r} cannot be read")
        self.diagnostics.extend(loaded.diagnostics)
        self.documents[candidate] = loaded.document
        return loaded.document
