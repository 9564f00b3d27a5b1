"""The Gotham request example (``sendMessages``) that the throughput suites send."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

OPERATION = "sendMessages"
EXAMPLE = "sendToGroup"


def send_operation(spec: Path) -> tuple[str, str, dict[str, Any]]:
    """(path, method, operation object) of ``sendMessages`` in the Gotham spec."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    for path, item in (document.get("paths") or {}).items():
        for method, operation in (item or {}).items():
            if isinstance(operation, dict) and operation.get("operationId") == OPERATION:
                return path, method.upper(), operation
    raise KeyError(OPERATION)


def request_example(spec: Path) -> Any:
    """The documented JSON body of ``sendMessages`` (its first example)."""
    _, _, operation = send_operation(spec)
    media = operation["requestBody"]["content"]["application/json"]
    examples = media.get("examples") or {}
    chosen = examples.get(EXAMPLE) or next(iter(examples.values()))
    return chosen["value"]


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
