"""The base of every generated model.

Responses are read leniently: unknown members are kept (and dumped again), and an enum
value the spec does not know is kept as a plain string. Requests are strict: an unknown
enum value is refused, and read-only members are never sent.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, TypeAlias, TypeVar

import pydantic
from pydantic_core import core_schema

Number: TypeAlias = int | float
"""A JSON number: an integer stays an ``int``, so dumping gives back exactly what came."""

REQUEST = {"apismith_direction": "request"}
RESPONSE = {"apismith_direction": "response"}

E = TypeVar("E", bound=enum.Enum)


def in_request(info: Any) -> bool:
    context = getattr(info, "context", None)
    return isinstance(context, dict) and context.get("apismith_direction") == "request"


class ApiModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        extra="allow",
        defer_build=True,
        serialize_by_alias=True,
        validate_by_name=True,
        validate_by_alias=True,
        protected_namespaces=(),
    )

    __read_only__: ClassVar[frozenset[str]] = frozenset()
    """Wire names of members that a request never sends."""

    @pydantic.model_serializer(mode="wrap")
    def _drop_read_only(
        self, handler: pydantic.SerializerFunctionWrapHandler, info: pydantic.SerializationInfo
    ) -> Any:
        data = handler(self)
        if self.__read_only__ and isinstance(data, dict) and in_request(info):
            return {k: v for k, v in data.items() if k not in self.__read_only__}
        return data

    def to_json_data(self) -> Any:
        """The model as JSON data with the wire names, exactly the members that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class OpenEnum:
    """Validation of an enum member that keeps unknown values in responses.

    Used through ``OpenStr[Color]`` (or ``OpenInt``), that is ``Annotated[Color | str,
    OpenEnum()]``: a known value becomes the enum member; an unknown one stays a ``str``
    when reading a response and is an error in a request, with the allowed values in the
    message. The enum is the one member of the annotated union that is an enum class.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: pydantic.GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        enum_type = next(
            t for t in typing.get_args(source) if isinstance(t, type) and issubclass(t, enum.Enum)
        )

        def validate(value: Any, info: core_schema.ValidationInfo) -> Any:
            if isinstance(value, enum_type):
                return value
            try:
                return enum_type(value)
            except ValueError:
                if in_request(info) or not isinstance(value, (str, int, float)):
                    allowed = ", ".join(repr(m.value) for m in enum_type)
                    message = f"{value!r} is not one of the allowed values: {allowed}"
                    raise ValueError(message) from None
                return value

        return core_schema.with_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _enum_value, when_used="always"
            ),
        )


OpenStr: TypeAlias = Annotated[E | str, OpenEnum()]
"""A member of the string enum ``E``, or the unknown string a response gave."""
OpenInt: TypeAlias = Annotated[E | int, OpenEnum()]
"""A member of the integer enum ``E``, or the unknown integer a response gave."""


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def discriminator(property_name: str, mapping: dict[str, str]) -> Callable[[Any], str | None]:
    """The tag function of a discriminated union: the variant named by ``mapping`` for
    the value of ``property_name`` in a dict or a model."""

    def tag(value: Any) -> str | None:
        raw: Any = None
        if isinstance(value, dict):
            raw = value.get(property_name)
        elif isinstance(value, pydantic.BaseModel):
            for name, info in type(value).model_fields.items():
                if (info.serialization_alias or name) == property_name:
                    raw = getattr(value, name)
        if isinstance(raw, enum.Enum):
            raw = raw.value
        return mapping.get(str(raw)) if raw is not None else None

    return tag
