"""A big package's files that ruff has to format are handed to it while the render goes
on, by the process that renders them; whatever is left is formatted after the render."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from apismith import package
from apismith.generate import build
from apismith.package import plan_files, render_package
from apismith.parallel import in_parallel
from apismith.write import EarlyFormatting, FormatError, Formatting, finish_staging, read_tree

SPECS = Path(__file__).parent / "specs"
UNFORMATTED = "x = [  1,2 ]\n"
FORMATTED = "x = [1, 2]\n"


def _one_file_at_a_time_from_the_back(
    work: Callable[[range], list[Any]], weights: Sequence[int], processes: int
) -> list[Any]:
    """The order a render process taking chunks from the back of the queue sees."""
    found = {p: work(range(p, p + 1))[0] for p in reversed(range(len(weights)))}
    return [found[p] for p in range(len(weights))]


def test_formatting_early_gives_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api, resolver, diagnostics, _ = build(SPECS / "coverage" / "unions.yaml")
    assert api is not None and resolver is not None, diagnostics
    planned = plan_files(api, resolver)
    late = render_package(planned, tmp_path / "late")
    assert late.unsettled, "nothing for ruff to format: the test shows nothing"
    finish_staging(late.staging, late.paths, late.unsettled)

    settings_seen: list[bool] = []
    start = Formatting.start

    def start_and_note(self: Formatting, relatives: Sequence[str]) -> None:
        settings_seen.append((self.folder / "pyproject.toml").is_file())
        start(self, relatives)

    monkeypatch.setattr(Formatting, "start", start_and_note)
    monkeypatch.setattr(package, "EARLY_FORMAT_CHARS", 1)
    monkeypatch.setattr(package, "from_both_ends", _one_file_at_a_time_from_the_back)
    early = render_package(planned, tmp_path / "early")
    assert early.unsettled == []  # all formatted while rendering
    assert settings_seen and all(settings_seen), "ruff ran before the package's settings"
    finish_staging(early.staging, early.paths, early.unsettled)
    assert read_tree(early.staging, early.paths) == read_tree(late.staging, late.paths)


def test_only_the_process_that_made_it_formats_early(tmp_path: Path) -> None:
    for name in ("here.py", "there.py"):
        (tmp_path / name).write_text(UNFORMATTED)
    early = EarlyFormatting(tmp_path, batch_chars=1)

    def there() -> set[str]:
        early.add("there.py", len(UNFORMATTED))
        return early.started

    _, started_there = in_parallel(lambda: early.add("here.py", len(UNFORMATTED)), there)
    early.wait()
    assert started_there == set()
    assert early.started == {"here.py"}
    assert (tmp_path / "here.py").read_text() == FORMATTED
    assert (tmp_path / "there.py").read_text() == UNFORMATTED


def test_files_wait_for_a_batch_of_enough_text(tmp_path: Path) -> None:
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(UNFORMATTED)
    early = EarlyFormatting(tmp_path, batch_chars=2 * len(UNFORMATTED))
    early.add("a.py", len(UNFORMATTED))
    assert early.started == set()
    early.add("b.py", len(UNFORMATTED))
    early.wait()
    assert early.started == {"a.py", "b.py"}
    assert {(tmp_path / n).read_text() for n in ("a.py", "b.py")} == {FORMATTED}


def test_a_file_ruff_cannot_format_fails_the_wait(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    early = EarlyFormatting(tmp_path, batch_chars=1)
    early.add("broken.py", 8)
    with pytest.raises(FormatError, match=r"broken\.py:1:7"):
        early.wait()
