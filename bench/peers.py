"""The peer tools, installed into the cache: each Python peer in its own virtualenv, each
npm peer under its own prefix, so one that fails to install leaves the others usable.

A stamp file per peer records what was installed; a second run with the same pins is
a few ``stat`` calls.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bench.cache import stamp_matches, write_stamp
from bench.inputs import last_line
from bench.progress import Say

INSTALL_TIMEOUT_S = 1200


@dataclass(frozen=True, slots=True)
class Peer:
    """A tool apismith is compared with: ``requirement`` is what pip or npm installs."""

    name: str
    kind: Literal["pip", "npm"]
    requirement: str
    executable: str


# Prism 5.15 and later need Node 24; 5.14.2 is the newest 5.x that runs on Node 20.
PEERS: tuple[Peer, ...] = (
    Peer(
        "openapi-spec-validator", "pip", "openapi-spec-validator==0.9.0", "openapi-spec-validator"
    ),
    Peer("openapi-python-client", "pip", "openapi-python-client==0.29.1", "openapi-python-client"),
    Peer("datamodel-codegen", "pip", "datamodel-code-generator==0.89.0", "datamodel-codegen"),
    Peer("redocly", "npm", "@redocly/cli@2.77.0", "redocly"),
    Peer("prism", "npm", "@stoplight/prism-cli@5.14.2", "prism"),
)


@dataclass(frozen=True, slots=True)
class Installed:
    """A peer after installation: its executable, or why there is none."""

    peer: Peer
    executable: Path | None
    error: str | None = None


def peer_named(name: str) -> Peer:
    for peer in PEERS:
        if peer.name == name:
            return peer
    raise KeyError(name)


def install(peer: Peer, cache: Path, say: Say) -> Installed:
    """Install ``peer`` under ``<cache>/peers/<name>`` unless its stamp says it is there."""
    prefix = cache / "peers" / peer.name
    stamp = prefix / ".bench-stamp"
    executable = executable_path(peer, prefix)
    if executable.is_file() and stamp_matches(stamp, peer.requirement):
        return Installed(peer, executable)
    say(f"installing {peer.requirement} into {prefix}")
    try:
        steps = (
            venv_steps(prefix, peer.requirement) if peer.kind == "pip" else npm_steps(peer, prefix)
        )
    except FileNotFoundError as error:
        return Installed(peer, None, str(error))
    for argv in steps:
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            return Installed(peer, None, f"install timed out after {INSTALL_TIMEOUT_S} s")
        if done.returncode != 0:
            return Installed(peer, None, "install failed: " + last_line(done.stderr))
    if not executable.is_file():
        return Installed(peer, None, f"installed, but {peer.executable} is missing")
    write_stamp(stamp, peer.requirement)
    return Installed(peer, executable)


def executable_path(peer: Peer, prefix: Path) -> Path:
    if peer.kind == "pip":
        return prefix / "bin" / peer.executable
    return prefix / "node_modules" / ".bin" / peer.executable


def venv_steps(prefix: Path, requirement: str) -> list[list[str]]:
    """Commands that make a fresh venv at ``prefix`` and pip-install ``requirement``."""
    # The harness's own interpreter makes the venv; the venv never shares the project's packages.
    python = str(prefix / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    return [[sys.executable, "-m", "venv", "--clear", str(prefix)], [*pip, requirement]]


def npm_steps(peer: Peer, prefix: Path) -> list[list[str]]:
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm not found")
    prefix.mkdir(parents=True, exist_ok=True)
    flags = ["--no-audit", "--no-fund", "--silent", "--prefix", str(prefix)]
    return [[npm, "install", *flags, peer.requirement]]


def version_of(installed: Installed) -> str:
    """The pinned version (what the stamp guarantees), or the reason it is absent."""
    if installed.executable is None:
        return f"unavailable ({installed.error})"
    return installed.peer.requirement.rpartition("==" if installed.peer.kind == "pip" else "@")[2]
