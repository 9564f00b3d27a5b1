"""The garbage collector is paused for one job and restored as it was."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from apismith import collector
from apismith.lint.linter import lint_spec

SHIFT = Path(__file__).resolve().parents[1] / "spec" / "shift-messages.yaml"


def test_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_lint_pauses_the_collector_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from apismith.lint import linter as lint

    seen: list[bool] = []
    real = lint.check_structure

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lint, "check_structure", watched)
    lint_spec(SHIFT)
    assert seen == [False]
    assert gc.isenabled()
