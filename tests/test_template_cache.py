"""Compiled templates are cached between runs, never at the cost of a stale template."""

from __future__ import annotations

from pathlib import Path

import pytest

from apismith.generate import generate

MINIMAL = Path(__file__).resolve().parent / "specs" / "generate" / "minimal.yaml"


def readme_with(templates: Path, line: str) -> None:
    (templates / "package").mkdir(parents=True, exist_ok=True)
    (templates / "package" / "README.md.jinja").write_text(f"{line}\n", "utf-8")


def test_templates_are_compiled_once_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("APISMITH_CACHE_DIR", str(cache))
    generate(MINIMAL, tmp_path / "first")
    cached = sorted(p.name for p in cache.rglob("*.cache"))
    assert cached
    stamps = {p: p.stat().st_mtime_ns for p in cache.rglob("*.cache")}
    generate(MINIMAL, tmp_path / "second")
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.cache")} == stamps
    first, second = tmp_path / "first" / "README.md", tmp_path / "second" / "README.md"
    assert first.read_text("utf-8") == second.read_text("utf-8")


def test_a_changed_template_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APISMITH_CACHE_DIR", str(tmp_path / "cache"))
    templates = tmp_path / "templates"
    readme_with(templates, "first version")
    generate(MINIMAL, tmp_path / "out", templates)
    assert (tmp_path / "out" / "README.md").read_text("utf-8") == "first version\n"
    readme_with(templates, "second version")
    generate(MINIMAL, tmp_path / "out", templates)
    assert (tmp_path / "out" / "README.md").read_text("utf-8") == "second version\n"


def test_an_unusable_cache_folder_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("APISMITH_CACHE_DIR", str(blocker / "cache"))
    outcome = generate(MINIMAL, tmp_path / "out")
    assert not outcome.failed and (tmp_path / "out" / "README.md").is_file()
