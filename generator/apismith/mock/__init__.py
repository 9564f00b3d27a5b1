"""``apismith mock``: an ASGI server that answers every operation of a spec with its
documented examples and checks each request against the spec first.

:func:`build_app` makes the application from a spec file; :func:`serve` runs it with
uvicorn. The work per request is a table lookup and compiled validators: routes,
validators, security rules and serialised responses are all prepared at start-up.
"""

from __future__ import annotations

from apismith.mock.app import MockApp, build_app
from apismith.mock.server import serve

__all__ = ["MockApp", "build_app", "serve"]
