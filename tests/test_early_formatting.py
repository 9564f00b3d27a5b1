"""A big package's files that ruff has to format are handed to it while the render goes
on, by the process that rendered them, which waits for them before its share is done."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from apismith import package
from apismith.package import render_package
from apismith.parallel import WorkerError, in_parallel
from apismith.plan import PlannedFile
from apismith.write import EarlyFormatting, FormatError, Formatting, read_tree

UNFORMATTED = "x = [  1,2 ]\n"
FORMATTED = "x = [1, 2]\n"


def _one_file_at_a_time_from_the_back(
    work: Callable[[range], list[Any]],
    weights: Sequence[int],
    processes: int,
    share_done: Callable[[], object],
) -> list[Any]:
    """The order a render process taking chunks from the back of the queue sees."""
    found = {p: work(range(p, p + 1))[0] for p in reversed(range(len(weights)))}
    share_done()
    return [found[p] for p in range(len(weights))]


class _Starts:
    """The ruff runs started from now on: each one's files, and whether the folder held
    the package's ruff settings as it started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[list[str]] = []
        self.with_settings: list[bool] = []
        start = Formatting.start

        def start_and_note(formatting: Formatting, relatives: Sequence[str]) -> None:
            self.files.append(list(relatives))
            self.with_settings.append((formatting.folder / "pyproject.toml").is_file())
            start(formatting, relatives)

        monkeypatch.setattr(Formatting, "start", start_and_note)


def test_formatting_early_gives_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unions_plan: list[PlannedFile]
) -> None:
    planned = unions_plan
    late = render_package(planned, tmp_path / "late")  # one run, after the render
    assert late.formatted, "nothing for ruff to format: the test shows nothing"

    starts = _Starts(monkeypatch)
    monkeypatch.setattr(package, "EARLY_FORMAT_CHARS", 1)
    monkeypatch.setattr(package, "from_both_ends", _one_file_at_a_time_from_the_back)
    early = render_package(planned, tmp_path / "early")
    assert len(starts.files) == len(early.formatted)  # a run for each file, as it came
    assert all(starts.with_settings), "ruff ran before the package's settings"
    assert early.formatted == late.formatted
    assert read_tree(early.staging, early.paths) == read_tree(late.staging, late.paths)


def test_a_worker_formats_what_it_rendered_and_leaves_its_parents_runs_alone(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "there.py").write_text(UNFORMATTED)
    early = EarlyFormatting(tmp_path, batch_chars=1)
    early.add("broken.py", 8)  # the parent's run, under way as the worker forks

    def there() -> str:
        early.add("there.py", len(UNFORMATTED))
        early.finish()  # its own run only: the parent's fails, and is the parent's
        return (tmp_path / "there.py").read_text()

    _, formatted_there = in_parallel(lambda: None, there)
    assert formatted_there == FORMATTED
    with pytest.raises(FormatError, match=r"broken\.py:1:7"):
        early.finish()


def test_files_wait_for_a_batch_of_enough_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(UNFORMATTED)
    starts = _Starts(monkeypatch)
    early = EarlyFormatting(tmp_path, batch_chars=2 * len(UNFORMATTED))
    early.add("a.py", len(UNFORMATTED))
    assert starts.files == []
    early.add("b.py", len(UNFORMATTED))
    assert starts.files == [["a.py", "b.py"]]
    early.add("c.py", len(UNFORMATTED))
    early.finish()
    assert starts.files == [["a.py", "b.py"], ["c.py"]]
    assert {(tmp_path / n).read_text() for n in ("a.py", "b.py", "c.py")} == {FORMATTED}


def test_a_file_ruff_cannot_format_fails_the_finish(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    early = EarlyFormatting(tmp_path, batch_chars=1)
    early.add("broken.py", 8)
    with pytest.raises(FormatError, match=r"broken\.py:1:7"):
        early.finish()


def test_a_worker_whose_ruff_run_fails_sends_the_failure_back(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    early = EarlyFormatting(tmp_path, batch_chars=1)

    def there() -> None:
        early.add("broken.py", 8)
        early.finish()

    with pytest.raises(WorkerError) as raised:
        in_parallel(lambda: None, there)
    assert isinstance(raised.value.__cause__, FormatError)
    assert "broken.py:1:7" in str(raised.value.__cause__)


def test_a_worker_that_fails_waits_for_its_ruff_runs_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unions_plan: list[PlannedFile]
) -> None:
    """Else ruff could still write into the staging folder as it is removed."""
    planned = unions_plan
    parent = os.getpid()
    waited = tmp_path / "waited"
    waited.mkdir()
    render, abandon = package._render, EarlyFormatting.abandon

    def render_then_break(renderer: Any, planned_file: Any) -> str:
        text = render(renderer, planned_file)
        if os.getpid() != parent and planned_file.path.endswith(".py"):
            raise RuntimeError("the worker broke")
        return text

    def note_and_abandon(self: EarlyFormatting) -> None:
        (waited / str(os.getpid())).touch()
        abandon(self)

    monkeypatch.setattr(package, "_render", render_then_break)
    monkeypatch.setattr(package, "RENDER_WEIGHT_PER_WORKER", 1)
    monkeypatch.setattr(package, "EARLY_FORMAT_CHARS", 1)
    monkeypatch.setattr(EarlyFormatting, "abandon", note_and_abandon)
    with pytest.raises(WorkerError, match="the worker broke"):
        render_package(planned, tmp_path / "out")
    assert {p.name for p in waited.iterdir()} - {str(parent)}, "the worker did not wait"
    assert not any((tmp_path / "out").iterdir()), "the staging folder was left behind"
