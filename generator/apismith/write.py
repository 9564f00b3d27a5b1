"""Writing a generated package: staged, formatted, then swapped in.

The output folder holds a manifest of the files the generator owns. A new generation
is written to a staging folder beside the output, formatted with ruff where needed, and
then swapped in with two renames. Files the generator no longer produces are pruned;
files that are not in the manifest (hand-written ones) are carried over untouched. If
anything fails before the swap, the output folder is exactly as it was.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

from apismith.diagnostics import Diagnostic, DiagnosticError
from apismith.naming import is_device_name
from apismith.statements import Excerpt, put_back

MANIFEST = ".apismith-manifest"


class UnsafePathError(DiagnosticError):
    """A planned file would land outside the output folder or clash with another file."""


class FormatError(RuntimeError):
    """ruff could not format the rendered code: a template produced invalid Python."""


def ruff_binary() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


class Formatting:
    """``ruff format`` runs over files of one folder: ``start`` launches a run for each
    batch of names a command line holds, ``wait`` waits for them all and raises
    ``FormatError`` when any of them failed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._runs: list[subprocess.Popen[str]] = []

    def start(self, relatives: Sequence[str]) -> None:
        environment = {**os.environ, "RUFF_NO_CACHE": "true"}
        for batch in _batches(relatives, _COMMAND_LINE_BUDGET):
            run = subprocess.Popen(
                [ruff_binary(), "format", "--", *batch],  # --quiet would hide its errors
                cwd=self.folder,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
            self._runs.append(run)

    def wait(self) -> None:
        failures = []
        for run in self._runs:
            out, errors = run.communicate()
            if run.returncode != 0 or "error" in errors.lower():
                failures.append(errors.strip() or out.strip() or f"ruff exited {run.returncode}")
        self._runs.clear()
        if failures:
            raise FormatError("\n".join(failures))


class ShareFormatting:
    """Files a render process wrote that ruff has to format: it formats them in one run
    once its share is rendered. Runs started while the render goes on compete with it for
    the CPUs, and each run costs as much again before it formats anything. Of a module
    the built-in templates wrote, only the statements ruff could change go to it (see
    :mod:`apismith.statements`). A forked worker starts with none of its parent's files
    or runs."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._start_afresh()

    def _start_afresh(self) -> None:
        self._process = os.getpid()
        self._formatting = Formatting(self._folder)
        self._waiting: list[str] = []
        self._excerpts: list[tuple[str, str, Excerpt]] = []

    def _own(self) -> None:
        """Forget the parent's files and runs in a forked worker."""
        if os.getpid() != self._process:
            self._start_afresh()

    def add(self, relative: str) -> None:
        """A written file that ruff has to format."""
        self._own()
        self._waiting.append(relative)

    def add_statements(self, relative: str, module: str, found: Excerpt) -> None:
        """A written module of which ruff has to format only the statements ``found``
        holds: they are written beside it, to be formatted with the package's settings."""
        self._own()
        excerpt_file = relative + STATEMENTS_SUFFIX
        _write_bytes(os.path.join(self._folder, excerpt_file), found.text.encode("utf-8"))
        self._excerpts.append((relative, module, found))
        self._waiting.append(excerpt_file)

    def finish(self) -> None:
        """Format every file this process added, and wait; raises ``FormatError`` when a
        run failed. A module whose statements do not come back as they went goes to ruff
        whole."""
        self._own()
        if self._waiting:
            self._formatting.start(self._waiting)
        self._waiting = []
        excerpts, self._excerpts = self._excerpts, []
        try:
            self._formatting.wait()
        except FormatError:
            if not excerpts:
                raise
            # only the built-in templates' modules are excerpted, and ruff can parse
            # those whole: the modules of an excerpt it could not parse go to it whole
            self._put_back(excerpts, parsed=False)
            return
        self._put_back(excerpts, parsed=True)

    def _put_back(self, excerpts: list[tuple[str, str, Excerpt]], parsed: bool) -> None:
        """Each module with its formatted statements, or, when they did not come back
        (or ``parsed`` is False), formatted whole."""
        whole = []
        for relative, module, found in excerpts:
            excerpt_path = os.path.join(self._folder, relative + STATEMENTS_SUFFIX)
            text = None
            if parsed:
                with open(excerpt_path, encoding="utf-8") as formatted:
                    text = put_back(module, found, formatted.read())
            os.remove(excerpt_path)
            if text is None:
                whole.append(relative)
            else:
                _write_bytes(os.path.join(self._folder, relative), text.encode("utf-8"))
        if whole:
            self._formatting.start(whole)
            self._formatting.wait()

    def abandon(self) -> None:
        """Wait for the runs this process started, whatever they found: nothing may still
        write into a staging folder about to be removed."""
        if os.getpid() == self._process:
            with contextlib.suppress(FormatError):
                self._formatting.wait()


STATEMENTS_SUFFIX = ".apismith-statements.py"
"""Of the file beside a module that holds the statements of it to format: beside it, so
that ruff finds the package's settings."""


_COMMAND_LINE_BUDGET = 30_000
"""Characters of file names a run of ruff is given: within Windows' command-line limit."""


def _batches(relatives: Sequence[str], budget: int) -> list[list[str]]:
    batches: list[list[str]] = []
    used = 0
    for relative in relatives:
        if not batches or used + len(relative) > budget:
            batches.append([])
            used = 0
        batches[-1].append(relative)
        used += len(relative) + 1
    return batches


def unsafe_paths(relatives: Iterable[str]) -> list[Diagnostic]:
    """Planned paths that could escape the output folder or overwrite each other: absolute
    (POSIX or Windows), with ``..`` or an empty part, a backslash or NUL, a Windows device
    name, or equal to another path but for case (one file on a case-insensitive disk)."""
    problems: list[Diagnostic] = []
    seen: dict[str, str] = {}
    for relative in relatives:
        parts = relative.split("/")
        reason = ""
        # only a path with one of these can be absolute or name a drive, on either system
        rooted = relative.startswith("/") or ":" in relative or "\\" in relative
        if rooted and (
            PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).is_absolute()
        ):
            reason = "is absolute"
        elif rooted and (PureWindowsPath(relative).drive or ":" in relative):
            reason = "names a drive or stream"
        elif any(part in ("", ".", "..") for part in parts):
            reason = "has an empty, '.' or '..' part"
        elif "\\" in relative or "\0" in relative:
            reason = "contains a backslash or NUL"
        elif any(is_device_name(part) for part in parts):
            reason = "uses a reserved device name"
        else:
            folded = relative.casefold()
            other = seen.setdefault(folded, relative)
            if other != relative:
                reason = f"differs from {other!r} only by case"
        if reason:
            message = f"refusing to write {relative!r}: the path {reason}"
            problems.append(Diagnostic("write/unsafe-path", message, relative))
    return problems


def refuse_unsafe(relatives: Iterable[str]) -> None:
    """Raise ``UnsafePathError`` listing every unsafe path among ``relatives``."""
    problems = unsafe_paths(relatives)
    if problems:
        raise UnsafePathError(problems)


def open_staging(parent: Path) -> Path:
    """A new, empty staging folder beside the output (the same disk, so the swap is a
    rename)."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".apismith-staging-", dir=parent))


def write_files(staging: Path, files: Mapping[str, str]) -> None:
    """Write each file (its path relative to ``staging``, with ``/``) and its folders, in
    UTF-8, with plain ``os`` calls: a big package has thousands of files, and a buffered
    file object costs more than the writing (a third of it, measured)."""
    root = os.fspath(staging)
    made: set[str] = set()
    for relative, text in files.items():
        folder = relative.rpartition("/")[0]
        if folder not in made:
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            made.add(folder)
        _write_bytes(os.path.join(root, relative), text.encode("utf-8"))


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_bytes(path: str, data: bytes) -> None:
    descriptor = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        left = memoryview(data)
        while left:
            left = left[os.write(descriptor, left) :]
    finally:
        os.close(descriptor)


def write_manifest(staging: Path, relatives: Iterable[str]) -> None:
    """The manifest of the files the staged tree owns."""
    (staging / MANIFEST).write_text("".join(f"{p}\n" for p in sorted(relatives)), encoding="utf-8")


def owned_files(output: Path) -> list[str]:
    manifest = output / MANIFEST
    if not manifest.is_file():
        return []
    return [line for line in manifest.read_text("utf-8").splitlines() if line]


def swap_in(staging: Path, output: Path) -> None:
    """Replace ``output`` with ``staging``, keeping files the generator does not own."""
    if output.exists():
        for relative in _hand_written(output):
            if not (staging / relative).exists():
                (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(output / relative, staging / relative)
        backup = output.with_name(f".{output.name}.apismith-old")
        shutil.rmtree(backup, ignore_errors=True)
        output.rename(backup)
        staging.rename(output)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        staging.rename(output)


_CACHES = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


def _hand_written(output: Path) -> list[str]:
    """The files in ``output`` that its manifest does not list, caches aside, sorted. Only
    those are looked at one by one: a big package has thousands of files it owns."""
    owned = set(owned_files(output)) | {MANIFEST}
    found: list[str] = []
    for folder, folders, names in os.walk(output):
        folders[:] = [f for f in folders if f not in _CACHES]
        prefix = Path(folder).relative_to(output).as_posix() + "/"
        for name in names:
            relative = name if prefix == "./" else prefix + name
            if relative not in owned and name not in _CACHES and (output / relative).is_file():
                found.append(relative)
    return sorted(found)


def read_tree(folder: Path, files: list[str]) -> dict[str, str]:
    return {f: (folder / f).read_text("utf-8") for f in files if (folder / f).is_file()}


def tree_diff(expected: Mapping[str, str], actual: Mapping[str, str], label: str) -> str:
    """A unified diff from what is on disk (``actual``) to what generation produces."""
    chunks: list[str] = []
    for relative in sorted(set(expected) | set(actual)):
        before = actual.get(relative)
        after = expected.get(relative)
        if before == after:
            continue
        chunks.extend(
            difflib.unified_diff(
                (before or "").splitlines(keepends=True),
                (after or "").splitlines(keepends=True),
                f"{label}/{relative}" if before is not None else "/dev/null",
                f"{label}/{relative}" if after is not None else "/dev/null",
            )
        )
    return "".join(chunks)
