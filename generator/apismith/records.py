"""``record``: the kind of dataclass for values a big spec makes by the hundred thousand.

A frozen dataclass sets each field through ``object.__setattr__``; on the GitHub spec
that ``__init__`` was a sixth of the build. A record is a slotted dataclass, compared and
hashed by value, that the type checker holds frozen (``dataclass_transform``) but that
is not frozen at run time, so it is built at the speed of a plain class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

_Record = TypeVar("_Record")

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(cls: type[_Record]) -> type[_Record]: ...

else:

    def record(cls):
        return dataclass(slots=True, unsafe_hash=True)(cls)
