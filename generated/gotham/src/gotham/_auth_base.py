"""Credentials: each applies itself to an outgoing request."""

from __future__ import annotations

import base64
import os
from types import EllipsisType
from typing import ClassVar

import httpx


class Auth:
    """Base of every auth class of the package."""

    def apply(self, request: httpx.Request) -> None:
        raise NotImplementedError


class BearerTokenAuth(Auth):
    """``Authorization: Bearer <token>``.

    ``...`` or no token reads it from the environment variable named by ``env_var``,
    so examples written as ``UserTokenAuth(...)`` run as they are.
    """

    env_var: ClassVar[str] = ""

    def __init__(self, token: str | EllipsisType | None = None) -> None:
        if not isinstance(token, str):
            token = os.environ.get(self.env_var) if self.env_var else None
        if not token:
            raise ValueError(
                f"{type(self).__name__} needs a token"
                + (f" (or the {self.env_var} environment variable)" if self.env_var else "")
            )
        self.token = token

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.token}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token='***')"


class BasicAuth(Auth):
    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password

    def apply(self, request: httpx.Request) -> None:
        pair = f"{self.username}:{self.password}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(username={self.username!r}, password='***')"


class ApiKeyAuth(Auth):
    """An API key in a header, query parameter or cookie, as the spec places it."""

    parameter: ClassVar[str] = "X-API-Key"
    location: ClassVar[str] = "header"

    def __init__(self, key: str) -> None:
        self.key = key

    def apply(self, request: httpx.Request) -> None:
        if self.location == "query":
            request.url = request.url.copy_merge_params({self.parameter: self.key})
        elif self.location == "cookie":
            request.headers["Cookie"] = f"{self.parameter}={self.key}"
        else:
            request.headers[self.parameter] = self.key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key='***')"
