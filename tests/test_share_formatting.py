"""A big package's files that ruff has to format are handed to it by the process that
rendered them, in one run once its share is rendered, before the share counts as done."""

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
from apismith.write import (
    STATEMENTS_SUFFIX,
    FormatError,
    Formatting,
    ShareFormatting,
    read_tree,
)

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


def test_formatting_each_share_at_its_end_gives_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unions_plan: list[PlannedFile]
) -> None:
    planned = unions_plan
    whole = render_package(planned, tmp_path / "whole")  # one share: the whole queue
    assert whole.formatted, "nothing for ruff to format: the test shows nothing"

    starts = _Starts(monkeypatch)
    monkeypatch.setattr(package, "from_both_ends", _one_file_at_a_time_from_the_back)
    shared = render_package(planned, tmp_path / "shared")
    assert len(starts.files) == 1, "not one run, once the share was rendered"
    sent = sorted(name.removesuffix(STATEMENTS_SUFFIX) for name in starts.files[0])
    assert sent == shared.formatted  # a module, or the statements of one
    assert all(starts.with_settings), "ruff ran before the package's settings"
    assert shared.formatted == whole.formatted
    assert read_tree(shared.staging, shared.paths) == read_tree(whole.staging, whole.paths)


def test_a_worker_formats_what_it_rendered_and_leaves_its_parents_runs_alone(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    (tmp_path / "there.py").write_text(UNFORMATTED)
    formatting = ShareFormatting(tmp_path)
    formatting.add("broken.py")  # the parent's, as the worker forks

    def there() -> str:
        formatting.add("there.py")
        formatting.finish()  # its own file only: the parent's fails, and is the parent's
        return (tmp_path / "there.py").read_text()

    _, formatted_there = in_parallel(lambda: None, there)
    assert formatted_there == FORMATTED
    with pytest.raises(FormatError, match=r"broken\.py:1:7"):
        formatting.finish()


def test_files_wait_for_the_end_of_the_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(UNFORMATTED)
    starts = _Starts(monkeypatch)
    formatting = ShareFormatting(tmp_path)
    for name in ("a.py", "b.py", "c.py"):
        formatting.add(name)
    assert starts.files == []
    formatting.finish()
    assert starts.files == [["a.py", "b.py", "c.py"]]
    assert {(tmp_path / n).read_text() for n in ("a.py", "b.py", "c.py")} == {FORMATTED}
    formatting.finish()
    assert len(starts.files) == 1, "a run without files"


def test_a_file_ruff_cannot_format_fails_the_finish(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    formatting = ShareFormatting(tmp_path)
    formatting.add("broken.py")
    with pytest.raises(FormatError, match=r"broken\.py:1:7"):
        formatting.finish()


def test_a_worker_whose_ruff_run_fails_sends_the_failure_back(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n")
    formatting = ShareFormatting(tmp_path)

    def there() -> None:
        formatting.add("broken.py")
        formatting.finish()

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
    render, abandon = package._render, ShareFormatting.abandon

    def render_then_break(renderer: Any, planned_file: Any) -> str:
        text = render(renderer, planned_file)
        if os.getpid() != parent and planned_file.path.endswith(".py"):
            raise RuntimeError("the worker broke")
        return text

    def note_and_abandon(self: ShareFormatting) -> None:
        (waited / str(os.getpid())).touch()
        abandon(self)

    monkeypatch.setattr(package, "_render", render_then_break)
    monkeypatch.setattr(package, "RENDER_WEIGHT_PER_WORKER", 1)
    monkeypatch.setattr(ShareFormatting, "abandon", note_and_abandon)
    with pytest.raises(WorkerError, match="the worker broke"):
        render_package(planned, tmp_path / "out")
    assert {p.name for p in waited.iterdir()} - {str(parent)}, "the worker did not wait"
    assert not any((tmp_path / "out").iterdir()), "the staging folder was left behind"
