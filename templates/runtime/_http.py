"""Sending prepared requests with httpx: the synchronous and asynchronous transports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import httpx

from ._auth_base import Auth
from ._errors import APIConnectionError, ResponseDecodeError
from ._transport import PreparedRequest, Responses, read_response

T = TypeVar("T")

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024


def to_http_request(
    base_url: str, request: PreparedRequest, auth: Auth | None, headers: Mapping[str, str]
) -> httpx.Request:
    http_request = httpx.Request(
        request.method,
        base_url.rstrip("/") + request.path,
        params=list(request.query),
        headers=[("Accept", "application/json"), *headers.items(), *request.headers],
        content=request.content,
    )
    if request.content_type:
        http_request.headers["Content-Type"] = request.content_type
    if auth is not None:
        auth.apply(http_request)
    return http_request


def _limit_exceeded(response: httpx.Response, limit: int) -> ResponseDecodeError:
    return ResponseDecodeError(f"the response is larger than {limit} bytes", response=response)


class _Transport:
    def __init__(
        self,
        base_url: str,
        auth: Auth | None,
        headers: Mapping[str, str] | None,
        max_response_bytes: int,
    ) -> None:
        self.base_url = base_url
        self.auth = auth
        self.headers = dict(headers or {})
        self.max_response_bytes = max_response_bytes


class SyncTransport(_Transport):
    def __init__(
        self,
        base_url: str,
        auth: Auth | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.Client | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(base_url, auth, headers, max_response_bytes)
        self.http = http_client or httpx.Client(timeout=timeout)

    def call(self, request: PreparedRequest, responses: Responses[T]) -> T:
        http_request = to_http_request(self.base_url, request, self.auth, self.headers)
        try:
            response = self.http.send(http_request, stream=True)
        except httpx.HTTPError as error:
            raise APIConnectionError(
                f"{request.method} {http_request.url} failed: {error}"
            ) from error
        try:
            chunks = bytearray()
            for chunk in response.iter_bytes():
                chunks += chunk
                if len(chunks) > self.max_response_bytes:
                    raise _limit_exceeded(response, self.max_response_bytes)
        except httpx.HTTPError as error:
            raise APIConnectionError(f"reading the response failed: {error}") from error
        finally:
            response.close()
        return read_response(response, bytes(chunks), responses)

    def close(self) -> None:
        self.http.close()


class AsyncTransport(_Transport):
    def __init__(
        self,
        base_url: str,
        auth: Auth | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(base_url, auth, headers, max_response_bytes)
        self.http = http_client or httpx.AsyncClient(timeout=timeout)

    async def call(self, request: PreparedRequest, responses: Responses[T]) -> T:
        http_request = to_http_request(self.base_url, request, self.auth, self.headers)
        try:
            response = await self.http.send(http_request, stream=True)
        except httpx.HTTPError as error:
            raise APIConnectionError(
                f"{request.method} {http_request.url} failed: {error}"
            ) from error
        try:
            chunks = bytearray()
            async for chunk in response.aiter_bytes():
                chunks += chunk
                if len(chunks) > self.max_response_bytes:
                    raise _limit_exceeded(response, self.max_response_bytes)
        except httpx.HTTPError as error:
            raise APIConnectionError(f"reading the response failed: {error}") from error
        finally:
            await response.aclose()
        return read_response(response, bytes(chunks), responses)

    async def close(self) -> None:
        await self.http.aclose()
