"""Template context worked out on first use, in the process that renders with it.

A big package is planned once and rendered by forked processes. Context that only some
files need (request schemas, contract cases) is planned as a ``Deferred`` value: nothing
is computed before the fork, and each process computes it only if it renders a file that
uses it. Templates use a deferred value as they would use the value itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

_NOT_YET = object()


class Deferred:
    """Stands for ``compute()``, called at the first attribute, item, length, truth or
    iteration asked of it, and once only."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._value: Any = _NOT_YET

    @property
    def value(self) -> Any:
        if self._value is _NOT_YET:
            self._value = self._compute()
        return self._value

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)

    def __getitem__(self, key: Any) -> Any:
        return self.value[key]

    def __contains__(self, key: Any) -> bool:
        return key in self.value

    def __iter__(self) -> Iterator[Any]:
        return iter(self.value)

    def __len__(self) -> int:
        return len(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)
