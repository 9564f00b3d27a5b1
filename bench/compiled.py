"""The apismith the harness measures: the compiled wheel a release ships, not the
project's editable install.

``make wheel`` builds it (see the mypyc hook in pyproject.toml); here the same build
runs from the working tree and installs into a virtualenv in the cache. A stamp holds
a hash of everything the wheel is made from, so a second run on unchanged sources is
one hash and a ``stat``; a change to a module or a template builds it again.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.cache import stamp_matches, write_stamp
from bench.inputs import last_line
from bench.peers import venv_steps
from bench.progress import Say

REPO = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_S = 600
COMPILE = {"HATCH_BUILD_HOOK_ENABLE_MYPYC": "true"}
"""Turns on the mypyc build hook, which is off by default."""


class BuildError(Exception):
    """The compiled wheel could not be built or installed; the message says why."""


def build_wheel(out_dir: Path, repo: Path = REPO, timeout_s: float = BUILD_TIMEOUT_S) -> Path:
    """Build the compiled wheel of ``repo`` into ``out_dir`` and return its path.

    The wheel is built from the sdist, as ``python -m build`` does by default, so the
    extension modules are compiled in a temporary copy and never land beside the sources
    (where they would shadow the editable install's modules). No isolation: the build
    backend and the hook come from the running interpreter's environment (the project's
    dev extras), so the build needs no network."""
    argv = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out_dir), str(repo)]
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
            env={**os.environ, **COMPILE},
        )
    except subprocess.TimeoutExpired as error:
        raise BuildError(f"the compiled build took over {timeout_s:g} s") from error
    wheels = sorted(out_dir.glob("apismith-*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        raise BuildError("the compiled build failed: " + last_line(done.stdout + done.stderr))
    return wheels[0]


def source_digest(repo: Path = REPO) -> str:
    """A hash of every file the wheel's code is made from: the package, its templates and
    pyproject.toml."""
    digest = hashlib.sha256()
    files = [repo / "pyproject.toml"]
    for folder in ("generator", "templates"):
        files += (
            p for p in (repo / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )
    for path in sorted(files):
        digest.update(path.relative_to(repo).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def install(cache: Path, say: Say) -> Path:
    """``apismith`` from the compiled wheel, in ``<cache>/apismith-compiled``; built and
    installed again only when the sources changed. Raises ``BuildError``."""
    prefix = cache / "apismith-compiled"
    stamp = prefix / ".bench-stamp"
    executable = prefix / "bin" / "apismith"
    digest = source_digest()
    if executable.is_file() and stamp_matches(stamp, digest):
        return executable
    say(f"building the compiled apismith wheel and installing it into {prefix}")
    with tempfile.TemporaryDirectory(prefix="apismith-wheel-") as scratch:
        wheel = build_wheel(Path(scratch))
        for argv in venv_steps(prefix, f"{wheel}[mock]"):  # `apismith mock` too
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
            )
            if done.returncode != 0:
                raise BuildError("installing the compiled wheel failed: " + last_line(done.stderr))
    write_stamp(stamp, digest)
    return executable
