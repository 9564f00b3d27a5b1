"""Where the harness keeps what it fetches and installs: never inside the repository."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "APISMITH_BENCH_CACHE"


def cache_dir(override: str | None = None) -> Path:
    """The cache folder: ``override``, else ``$APISMITH_BENCH_CACHE``, else ``~/.cache/apismith-bench``."""
    chosen = override or os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return (base / "apismith-bench").resolve()


def stamp_matches(stamp: Path, content: str) -> bool:
    """True when ``stamp`` exists and records ``content``: the step it guards is done."""
    try:
        return stamp.read_text(encoding="utf-8") == content
    except OSError:
        return False


def write_stamp(stamp: Path, content: str) -> None:
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(content, encoding="utf-8")
