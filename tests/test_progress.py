from __future__ import annotations

import io

import pytest

from apismith.progress import Silent, Status, progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress("generating", stream) as shown:
        shown.phase("rendering")
    assert isinstance(shown, Silent)
    assert stream.getvalue() == ""


def test_silent_in_ci_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with progress("generating", Terminal()) as shown:
        assert isinstance(shown, Silent)


def test_a_terminal_gets_a_status_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    with progress("generating spec.yaml", terminal) as shown:
        assert isinstance(shown, Status)
        shown.phase("rendering 3 operations")
    assert "generating spec.yaml" in terminal.getvalue()
