"""The project's ``[tool.apismith]`` settings: which specs become which packages."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from apismith.diagnostics import Diagnostic, DiagnosticError


@dataclass(frozen=True)
class Target:
    spec: Path
    output: Path


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    targets: tuple[Target, ...]


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path | None = None) -> ProjectConfig:
    """Read ``[tool.apismith] specs = [{spec = ..., output = ...}]`` from the nearest
    pyproject.toml; paths in it are relative to that file's folder."""
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is None:
        raise DiagnosticError(
            [Diagnostic("config/missing", "no pyproject.toml with [tool.apismith] found", "")]
        )
    file = str(pyproject)
    try:
        settings = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("apismith")
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DiagnosticError([Diagnostic("config/unreadable", str(error), file)]) from None
    if not isinstance(settings, dict):
        raise DiagnosticError([Diagnostic("config/missing", "no [tool.apismith] table", file)])
    root = pyproject.parent
    targets: list[Target] = []
    problems: list[Diagnostic] = []
    for index, entry in enumerate(settings.get("specs", [])):
        if not (isinstance(entry, dict) and isinstance(entry.get("spec"), str)):
            problems.append(
                Diagnostic(
                    "config/spec",
                    "each entry needs string keys 'spec' and 'output'",
                    file,
                    f"/tool/apismith/specs/{index}",
                )
            )
            continue
        output = entry.get("output")
        if not isinstance(output, str):
            problems.append(
                Diagnostic("config/spec", "missing 'output'", file, f"/tool/apismith/specs/{index}")
            )
            continue
        targets.append(Target(root / entry["spec"], root / output))
    if problems:
        raise DiagnosticError(problems)
    return ProjectConfig(root, tuple(targets))
