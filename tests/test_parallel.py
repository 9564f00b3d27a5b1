"""Forked workers: the same results as one process, failures reported, nothing lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apismith import generate as generate_module
from apismith import package, parallel
from apismith.generate import generate
from apismith.lint.linter import lint_spec
from apismith.parallel import WorkerError, _Ends, beside, from_both_ends, in_parallel

ROOT = Path(__file__).resolve().parents[1]
SHIFT = ROOT / "spec" / "shift-messages.yaml"

forking = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def both_ends_started(folder: Path, here: int) -> None:
    """Holds each end's first chunk until the other end (of two processes) has one too,
    so that neither can take the whole queue."""
    (folder / ("here" if os.getpid() == here else "child")).touch()
    other = folder / ("child" if os.getpid() == here else "here")
    deadline = time.monotonic() + 10
    while not other.exists() and time.monotonic() < deadline:
        time.sleep(0.001)


@forking
def test_from_both_ends_gives_each_result_in_queue_order_children_from_the_front(
    tmp_path: Path,
) -> None:
    weights = [7, 0, 3, 1, 1, 0, 12, 2, 2, 5, 1, 0, 4, 9, 1, 3]
    here = os.getpid()
    calls: list[int] = []

    def work(positions: range) -> list[tuple[int, int]]:
        if not calls:
            both_ends_started(tmp_path, here)
        calls.extend(positions)  # this process's record only: a child's copy is its own
        return [(position, os.getpid()) for position in positions]

    results = from_both_ends(work, weights, 2)
    assert [position for position, _ in results] == list(range(len(weights)))
    assert results[-1][1] == here and results[0][1] != here
    assert sorted(calls) == [p for p, pid in results if pid == here]


def test_from_both_ends_in_one_process_is_one_call_in_order() -> None:
    assert from_both_ends(lambda positions: [p * 2 for p in positions], [1, 2, 3], 1) == [0, 2, 4]


@pytest.mark.parametrize("processes", [1, 2])
def test_each_process_finishes_its_share_before_its_results_count(
    tmp_path: Path, processes: int
) -> None:
    """``share_done`` runs once in every process, after its last chunk."""

    def work(positions: range) -> list[int]:
        assert not (tmp_path / str(os.getpid())).exists(), "work after the share was done"
        return list(positions)

    def share_done() -> None:
        with open(tmp_path / str(os.getpid()), "x") as marker:  # once a process
            marker.write("done")

    assert from_both_ends(work, [1] * 8, processes, share_done) == list(range(8))
    assert len(list(tmp_path.iterdir())) == processes


@forking
def test_a_childs_exception_is_the_cause_of_its_worker_error() -> None:
    def there() -> None:
        raise KeyError("the checks broke")

    with pytest.raises(WorkerError) as raised:
        in_parallel(lambda: None, there)
    assert isinstance(raised.value.__cause__, KeyError)
    assert "the checks broke" in str(raised.value) and "Traceback" in str(raised.value)


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="needs os.memfd_create")
@pytest.mark.parametrize("processes", [1, 2, 3])
def test_the_ends_deal_every_position_once_in_chunks_of_about_equal_weight(processes: int) -> None:
    weights = [0, 40, 1, 1, 1, 0, 0, 30, 2, 2, 2, 2, 0, 9, 3, 3, 3, 1, 50, 0]
    chunk = max(1, sum(weights) // (processes * parallel.CHUNKS_PER_PROCESS))
    with _Ends(weights, processes) as ends:
        front: list[range] = []
        back: list[range] = []
        while taken := ends.take(from_back=len(front) > len(back)):
            (back if len(front) > len(back) else front).append(taken)
        assert not ends.take(from_back=True) and not ends.take(from_back=False)
    dealt = [p for taken in front for p in taken] + [p for taken in reversed(back) for p in taken]
    assert dealt == list(range(len(weights)))
    # each chunk is a run from its own end, as light as it can be and still weigh a chunk
    chunks = [*front, *back]
    last = max(chunks, key=lambda taken: taken.start if taken in front else -taken.stop)
    for taken in chunks:
        weight = sum(weights[p] for p in taken)
        if taken is not last:
            assert weight >= chunk
        lighter = taken[:-1] if taken in front else taken[1:]
        assert sum(weights[p] for p in lighter) < chunk


@forking
def test_a_failing_child_is_raised_with_its_traceback(tmp_path: Path) -> None:
    here = os.getpid()

    def work(positions: range) -> list[int]:
        both_ends_started(tmp_path, here)
        if os.getpid() != here:
            raise ValueError("the front broke")
        return list(positions)

    with pytest.raises(WorkerError, match="the front broke"):
        from_both_ends(work, [1] * 8, 2)


@forking
def test_a_child_that_dies_without_a_result_is_an_error() -> None:
    with pytest.raises(WorkerError, match="without a result"):
        in_parallel(lambda: 0, lambda: os._exit(3))


@pytest.mark.parametrize("fork", [True, False])
def test_beside_keeps_what_here_changes_and_there_sees_none_of_it(fork: bool) -> None:
    state = {"built": False}

    def here() -> str:
        state["built"] = True
        return "here"

    def there() -> bool:
        return state["built"]

    assert beside(here, there, fork=fork) == ("here", False)
    assert state["built"]


@forking
def test_rendering_in_shares_writes_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(SHIFT, tmp_path / "one")
    monkeypatch.setattr(package, "RENDER_WEIGHT_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "FORK_FROM_BYTES", 0)
    outcome = generate(SHIFT, tmp_path / "shares")
    assert not outcome.failed
    assert snapshot(tmp_path / "shares") == snapshot(tmp_path / "one")


@forking
def test_a_template_error_in_a_forked_share_is_reported_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package, "RENDER_WEIGHT_PER_WORKER", 1)
    templates = tmp_path / "templates" / "package" / "models"
    templates.mkdir(parents=True)
    (templates / "module.py.jinja").write_text("{{ no_such_thing }}\n", "utf-8")
    output = tmp_path / "out"
    generate(SHIFT, output)
    before = snapshot(output)
    outcome = generate(SHIFT, output, tmp_path / "templates")
    assert outcome.failed
    problems = [d for d in outcome.diagnostics if d.rule == "templates/error"]
    assert problems and all("no_such_thing" in d.message for d in problems)
    assert snapshot(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".apismith-staging-")]


LINTED = sorted(
    [
        *(ROOT / "tests" / "specs" / "lint").glob("*.yaml"),
        *(ROOT / "tests" / "specs" / "hostile").glob("ref-*.yaml"),
        ROOT / "spec" / "shift-messages.yaml",
    ]
)


@forking
@pytest.mark.parametrize("spec", LINTED, ids=lambda p: p.name)
def test_lint_finds_the_same_with_the_structure_check_forked(
    spec: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = lint_spec(spec)
    monkeypatch.setattr(parallel, "FORK_FROM_BYTES", 0)
    assert lint_spec(spec) == alone


GENERATED = sorted(
    [
        *(ROOT / "tests" / "specs" / "hostile").glob("ref-*.yaml"),
        *(ROOT / "tests" / "specs" / "lint").glob("ref-*.yaml"),
        *(ROOT / "tests" / "specs" / "lint").glob("operation-*.yaml"),
        *(ROOT / "tests" / "specs" / "lint").glob("structure-*.yaml"),
        *(ROOT / "tests" / "specs" / "corpus").glob("*.*"),
        *(ROOT / "tests" / "specs" / "lint").glob("load-*.yaml"),
        *(ROOT / "tests" / "specs" / "hostile").glob("json-*.json"),
        *(ROOT / "tests" / "specs" / "hostile").glob("yaml-*.yaml"),
    ]
)


@forking
@pytest.mark.parametrize("spec", GENERATED, ids=lambda p: p.name)
def test_generate_finds_and_writes_the_same_with_the_checks_forked(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked, each process reads the spec, and the build runs beside every check (the
    $ref checks included) and counts only when they find no error; unforked, the spec is
    read once and a broken $ref spares the build. Either way the outcome is the same,
    for specs that cannot be read too."""
    alone = generate(spec, tmp_path / "alone")
    monkeypatch.setattr(parallel, "FORK_FROM_BYTES", 0)
    forked = generate(spec, tmp_path / "forked")
    assert forked.diagnostics == alone.diagnostics
    assert (forked.failed, forked.unreadable) == (alone.failed, alone.unreadable)
    if not alone.failed:
        assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "alone")
    # forked, a package rendered beside checks that then fail is removed again
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["alone", "forked"] if not alone.failed else []
    )


@forking
def test_a_checks_worker_that_fails_leaves_no_rendered_package_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_check(*_: object) -> list[object]:
        raise RuntimeError("the structure check broke")

    monkeypatch.setattr(parallel, "FORK_FROM_BYTES", 0)
    monkeypatch.setattr(generate_module, "check_structure", broken_check)
    with pytest.raises(WorkerError, match="the structure check broke"):
        generate(SHIFT, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


@forking
def test_a_broken_ref_in_a_file_only_the_checks_read_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build never reads a file that only an unused component refers to; the forked
    checks do, and locate what they find there before handing it back."""
    (tmp_path / "parts.yaml").write_text("Limit:\n  $ref: '#/Nowhere'\n", "utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info: {title: parts, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  parameters:\n"
        "    Unused:\n"
        "      $ref: 'parts.yaml#/Limit'\n",
        "utf-8",
    )
    monkeypatch.setattr(parallel, "FORK_FROM_BYTES", 0)
    outcome = generate(spec, tmp_path / "out")
    assert outcome.failed
    [problem] = [d for d in outcome.diagnostics if d.file.endswith("parts.yaml")]
    assert (problem.line, problem.pointer) == (2, "/Limit/$ref")
