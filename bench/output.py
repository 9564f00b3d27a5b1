"""The ``output`` suite: quality targets of the client generated from GitHub's description.

One ``apismith generate`` into the scratch folder, then: how many of the spec's
operations and component schemas the package holds, its numbered model names, ``ruff``
findings, ``mypy --strict src`` (cold cache, with its wall time), and the wall time of
a fresh interpreter that imports the package and makes one call (``repos/get``, to a
stdlib server on 127.0.0.1 in this process), against a 150 ms target.
"""

from __future__ import annotations

import ast
import contextlib
import http.server
import importlib.util
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import run_once
from bench.progress import Say
from bench.report import row_line
from bench.runner import package_of, written
from bench.suites import APISMITH, Context

SUITE = "output"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IMPORT_TARGET_MS = 150.0
IMPORT_RUNS = 5
IMPORT_TIMEOUT_S = 60.0
MYPY_TIMEOUT_S = 1200.0
SHOWN = 5  # examples shown per list in the Markdown (the JSON has them all)
CALL_OPERATION = "repos/get"

# The measured child of the import target: import the package and the models and request
# schemas one call needs (what its first call loads), without building an HTTP client.
MODELS_SCRIPT = """\
import importlib, json, sys
package = sys.argv[1]
importlib.import_module(package)
resource = importlib.import_module(package + ".resources.repos.repos")
resource._get_operation()
models = [m for m in sys.modules if m.startswith(package + ".models.")]
print(json.dumps({"models": len(models), "httpx": "httpx" in sys.modules}))
"""

# The floor under any pydantic client: the interpreter, pydantic and one model class.
PYDANTIC_FLOOR_SCRIPT = """\
import pydantic
class Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(defer_build=True)
    name: str
"""

# The measured child of the first call: import the package, build the client, reach one
# resource and call one operation, whose first call imports the models it needs.
CALL_SCRIPT = """\
import time
start = time.perf_counter()
import json, sys
package, base_url = sys.argv[1], sys.argv[2]
module = __import__(package)
imported = time.perf_counter()
name = next(n for n in dir(module) if n.endswith("Client") and not n.startswith("Async"))
client = getattr(module, name)(base_url=base_url)
built = time.perf_counter()
resource = client.repos.Repos
reached = time.perf_counter()
outcome = "ok"
try:
    resource.get(owner="octocat", repo="Hello-World")
except module.ResponseDecodeError as error:
    lines = str(error).splitlines()
    fields = [line for line in lines[1:] if line and not line[0].isspace()]
    outcome = f"ResponseDecodeError: {lines[0]} ({', '.join(fields)})"
called = time.perf_counter()
client.close()
models = [m for m in sys.modules if m.startswith(package + ".models.")]
phases = {"import": imported - start, "client": built - imported,
          "resource": reached - built, "call": called - reached}
print(json.dumps({"outcome": outcome, "models": len(models),
                  "phases_ms": {k: v * 1000 for k, v in phases.items()}}))
"""


# -- the spec ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpecOperation:
    method: str
    path: str
    operation_id: str | None


def resolve(document: Mapping[str, Any], node: Any, hops: int = 16) -> Any:
    """``node``, with local ``$ref``s (``#/...``) followed."""
    while hops and isinstance(node, dict) and str(node.get("$ref", "")).startswith("#/"):
        target: Any = document
        for token in str(node["$ref"])[2:].split("/"):
            key = token.replace("~1", "/").replace("~0", "~")
            target = target.get(key) if isinstance(target, dict) else None
        node, hops = target, hops - 1
    return node


def spec_operations(document: Mapping[str, Any]) -> list[SpecOperation]:
    """Every HTTP method of every path item under ``paths`` (a ``$ref`` path item followed)."""
    found: list[SpecOperation] = []
    for path, item in (document.get("paths") or {}).items():
        item = resolve(document, item)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = resolve(document, item.get(method))
            if isinstance(operation, dict):
                op_id = operation.get("operationId")
                found.append(SpecOperation(method, path, op_id if isinstance(op_id, str) else None))
    return found


def schema_names(document: Mapping[str, Any]) -> list[str]:
    schemas = (document.get("components") or {}).get("schemas") or {}
    return sorted(schemas) if isinstance(schemas, dict) else []


def response_example(document: Mapping[str, Any], operation_id: str) -> Any:
    """The documented JSON example of the operation's 200 response, else ``{}``."""
    for item in (document.get("paths") or {}).values():
        item = resolve(document, item)
        for method in HTTP_METHODS:
            operation = resolve(document, item.get(method)) if isinstance(item, dict) else None
            if not isinstance(operation, dict) or operation.get("operationId") != operation_id:
                continue
            response = resolve(document, (operation.get("responses") or {}).get("200"))
            media = ((response or {}).get("content") or {}).get("application/json") or {}
            if "example" in media:
                return media["example"]
            for example in (media.get("examples") or {}).values():
                value = resolve(document, example)
                if isinstance(value, dict) and "value" in value:
                    return value["value"]
    return {}


# -- the generated package -------------------------------------------------------------

OPERATION_NOTE = re.compile(r"\(operation ``([^`]+)``\)")


@dataclass(frozen=True, slots=True)
class GeneratedOperations:
    """Public methods of the resource classes, sync and ``Async`` apart, and the operation
    ids the sync methods' docstrings name (``(operation ``repos/get``)``)."""

    sync: int
    asynchronous: int
    operation_ids: frozenset[str]


def generated_operations(package: Path) -> GeneratedOperations:
    """What ``resources/<namespace>/<resource>.py`` hold, read with ``ast``."""
    sync = asynchronous = 0
    ids: set[str] = set()
    for module in sorted((package / "resources").glob("*/*.py")):
        if module.name == "__init__.py":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            methods = [
                node
                for node in cls.body
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and not node.name.startswith("_")
            ]
            if cls.name.startswith("Async"):
                asynchronous += len(methods)
                continue
            sync += len(methods)
            for method in methods:
                ids.update(OPERATION_NOTE.findall(ast.get_docstring(method) or ""))
    return GeneratedOperations(sync, asynchronous, frozenset(ids))


def exported_names(index: Path) -> list[str]:
    """The names ``models/__init__.pyi`` exports: imports, classes and assignments."""
    names: set[str] = set()
    for node in ast.parse(index.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return sorted(name for name in names if not name.startswith("__"))


def name_key(name: str) -> str:
    """A name without case or separators: ``full-repository`` and ``FullRepository`` agree;
    a name led by a digit gains the ``M`` the generator gives it (``Model`` fallback)."""
    key = re.sub(r"[^0-9a-z]", "", name.lower())
    return f"m{key}" if key[:1].isdigit() else key


def missing_schemas(schemas: Iterable[str], exported: Iterable[str]) -> list[str]:
    """Component schemas without an exported name of their own (names that differ only
    by case or separators must each have one)."""
    have = Counter(name_key(name) for name in exported)
    wanted: Counter[str] = Counter()
    missing: list[str] = []
    for schema in sorted(schemas):
        key = name_key(schema)
        wanted[key] += 1
        if wanted[key] > have[key]:
            missing.append(schema)
    return missing


TRAILING_DIGITS = re.compile(r"(.*?)(\d+)")
NUMBERED_KINDS = ("spec", "variant", "status", "other")


def numbered_names(exported: Iterable[str], schemas: Iterable[str]) -> dict[str, list[str]]:
    """Exported names ending in ``Variant<n>`` or that are another exported name plus
    digits, by kind: ``spec`` (a component schema's own name), ``variant``, ``status``
    (``...Response404``) and ``other``."""
    names = set(exported)
    spec_keys = {name_key(schema) for schema in schemas}
    kinds: dict[str, list[str]] = {kind: [] for kind in NUMBERED_KINDS}
    for name in sorted(names):
        match = TRAILING_DIGITS.fullmatch(name)
        if match is None:
            continue
        base, digits = match.groups()
        if not (base.endswith("Variant") or base in names):
            continue
        if name_key(name) in spec_keys:
            kinds["spec"].append(name)
        elif base.endswith("Variant"):
            kinds["variant"].append(name)
        elif base.endswith("Response") and len(digits) == 3 and 100 <= int(digits) <= 599:
            kinds["status"].append(name)
        else:
            kinds["other"].append(name)
    return kinds


# -- tool outputs ---------------------------------------------------------------------

MYPY_FOUND = re.compile(
    r"^Found (\d+) errors? in (\d+) files? \(checked (\d+) source files?\)", re.M
)
MYPY_SUCCESS = re.compile(r"^Success: no issues found in (\d+) source files?", re.M)
MYPY_ERROR = re.compile(r"^[^\s:][^:]*:\d+(?::\d+)?: error: .*?(?:\s+\[([\w-]+)\])?$", re.M)
FORMAT_SUMMARY = re.compile(r"(\d+) files? (would be reformatted|already formatted)")
IMPORT_TIME = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", re.M)


def parse_mypy(text: str) -> dict[str, Any]:
    """Errors, files with errors and files checked from mypy's summary (errors counted
    from the lines when there is none), error codes, and the first error lines."""
    lines = [match.group(0) for match in MYPY_ERROR.finditer(text)]
    codes = Counter(match.group(1) or "(none)" for match in MYPY_ERROR.finditer(text))
    found, success = MYPY_FOUND.search(text), MYPY_SUCCESS.search(text)
    checked: int | None
    if found:
        errors, files, checked = (int(group) for group in found.groups())
    else:
        errors, files = len(lines), len({line.split(":", 1)[0] for line in lines})
        checked = int(success.group(1)) if success else None
    return {
        "errors": errors,
        "files_with_errors": files,
        "checked": checked,
        "by_code": dict(codes.most_common()),
        "first_errors": lines[:20],
    }


def parse_ruff_check(text: str) -> dict[str, Any]:
    """Findings of ``ruff check --output-format json``, and their count by rule."""
    findings = json.loads(text or "[]")
    codes = Counter(str(finding.get("code") or "(syntax)") for finding in findings)
    return {"findings": len(findings), "by_rule": dict(codes.most_common())}


def parse_ruff_format(text: str) -> dict[str, Any]:
    """Files ``ruff format --check`` would reformat, and how many it checked."""
    files = [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Would reformat:")
    ]
    counts = {kind: int(n) for n, kind in FORMAT_SUMMARY.findall(text)}
    checked = sum(counts.values()) if counts else None
    return {"would_reformat": len(files), "files": files, "checked": checked}


def import_profile(stderr: str, count: int = SHOWN) -> dict[str, Any]:
    """From ``python -X importtime`` output: the time of all imports (the sum over the
    top-level ones) and the top-level imports that took longest, with what they imported."""
    top = [
        {"module": name, "cumulative_ms": int(total) / 1000}
        for total, indent, name in IMPORT_TIME.findall(stderr)
        if len(indent) <= 1
    ]
    return {
        "importtime_total_ms": sum(float(entry["cumulative_ms"]) for entry in top),
        "largest_imports": sorted(top, key=lambda entry: -float(entry["cumulative_ms"]))[:count],
    }


# -- running the checks ----------------------------------------------------------------


def check(
    ctx: Context, *, timeout_s: float, logs: Path, env: Mapping[str, str], say: Say
) -> tuple[str, dict[str, Any]]:
    """Generate the GitHub client into the scratch folder and check it: the section's
    Markdown and its figures. Logs go to ``logs``."""
    spec, apismith = ctx.github.path, ctx.tools.get(APISMITH)
    if spec is None or apismith is None:
        reason = (
            ctx.github.missing
            if spec is None
            else ctx.unavailable.get(APISMITH, "apismith unavailable")
        )
        return f"skipped: {reason}\n", {"skipped": reason}
    folder, output = ctx.scratch / SUITE, ctx.scratch / SUITE / "github"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    say(f"{SUITE}: apismith generate {ctx.github.name}")
    argv = [str(apismith), "generate", str(spec), "-o", str(output)]
    run = run_once(argv, timeout_s=timeout_s, log=logs / "generate.log", cwd=folder, env=env)
    generate: dict[str, Any] = {
        "wall_s": run.wall_s,
        "cpu_s": run.cpu_s,
        "peak_rss_mib": run.peak_rss_mib,
        "exit_code": run.exit_code,
        "timed_out": run.timed_out,
    }
    package = package_of(output)
    if run.exit_code != 0 or package is None:
        reason = run.error or ("timed out" if run.timed_out else f"exit {run.exit_code}")
        reason = f"apismith generate: {reason} (log: {logs / 'generate.log'})"
        return f"failed: {reason}\n", {"failed": reason, "generate": generate}
    generate["written"] = written(output)
    document = json.loads(spec.read_bytes())
    data: dict[str, Any] = {"spec": ctx.github.name, "package": package, "generate": generate}
    data.update(completeness(document, output / "src" / package))
    data["compile"] = compile_figures(output, say)
    data["ruff_check"], data["ruff_format"] = ruff_figures(output, timeout_s, env, say)
    mypy_timeout = max(MYPY_TIMEOUT_S, timeout_s)
    data["mypy"] = mypy_figures(output, folder / "mypy-cache", mypy_timeout, logs, env, say)
    body = json.dumps(response_example(document, CALL_OPERATION)).encode()
    data["import_call"] = import_figures(output, package, body, env, say)
    return markdown(data), data


def completeness(document: Mapping[str, Any], package: Path) -> dict[str, Any]:
    """Operations, schemas and numbered names: the spec's against the package's."""
    operations = spec_operations(document)
    generated = generated_operations(package)
    ids = {op.operation_id for op in operations if op.operation_id}
    schemas = schema_names(document)
    index = package / "models" / "__init__.pyi"
    exported = exported_names(index) if index.is_file() else []
    missing = missing_schemas(schemas, exported)
    numbered = numbered_names(exported, schemas)
    return {
        "operations": {
            "spec": len(operations),
            "generated": generated.sync,
            "generated_async": generated.asynchronous,
            "spec_without_id": sum(1 for op in operations if op.operation_id is None),
            "ids_not_found": sorted(ids - generated.operation_ids),
            "ids_not_in_spec": sorted(generated.operation_ids - ids),
        },
        "schemas": {
            "spec": len(schemas),
            "present": len(schemas) - len(missing),
            "missing": missing,
            "exported_names": len(exported),
        },
        "numbered_names": {
            "count": sum(len(names) for names in numbered.values()),
            "by_kind": {kind: len(names) for kind, names in numbered.items()},
            "names": numbered,
        },
    }


def ruff_binary() -> Path | None:
    """The ruff installed beside this interpreter (``ruff.__main__.find_ruff_bin``)."""
    try:
        found = importlib.import_module("ruff.__main__").find_ruff_bin()
    except (ImportError, FileNotFoundError):
        return None
    return Path(found)


def compile_figures(output: Path, say: Say) -> dict[str, Any]:
    """Every generated module compiled in memory: how many, and which fail to."""
    say(f"{SUITE}: compile every module")
    modules = sorted(output.rglob("*.py"))
    failed: list[str] = []
    for module in modules:
        try:
            compile(module.read_bytes(), str(module), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as error:
            failed.append(f"{module.relative_to(output).as_posix()}: {error}")
    return {"modules": len(modules), "failed": failed}


def ruff_figures(
    output: Path, timeout_s: float, env: Mapping[str, str], say: Say
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``ruff check`` and ``ruff format --check`` on the output, with its own configuration."""
    ruff = ruff_binary()
    if ruff is None:
        missing = {"error": "ruff is not installed beside this interpreter"}
        return missing, missing
    figures: list[dict[str, Any]] = []
    commands = (["check", "--output-format", "json"], ["format", "--check"])
    parsers = (parse_ruff_check, parse_ruff_format)
    for args, parse in zip(commands, parsers, strict=True):
        say(f"{SUITE}: ruff {' '.join(args)}")
        try:
            done = subprocess.run(
                [str(ruff), *args, "--no-cache", "."],
                cwd=output,
                capture_output=True,
                text=True,
                timeout=timeout_s,
                env=dict(env),
                check=False,
            )
            if done.returncode not in (0, 1):
                raise ValueError(f"exit {done.returncode}: {done.stderr.strip()[-300:]}")
            figures.append({"exit_code": done.returncode, **parse(done.stdout)})
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            figures.append({"error": f"ruff {args[0]}: {error}"})
    return figures[0], figures[1]


def mypy_figures(
    output: Path, cache: Path, timeout_s: float, logs: Path, env: Mapping[str, str], say: Say
) -> dict[str, Any]:
    """``mypy --strict src`` in the output folder, its cache in ``cache`` (empty: a cold run)."""
    if importlib.util.find_spec("mypy") is None:
        return {"error": "mypy is not installed beside this interpreter"}
    say(f"{SUITE}: mypy --strict src (cold cache; can take minutes; limit {timeout_s:g} s)")
    argv = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "src"]
    log = logs / "mypy.log"
    run = run_once(argv, timeout_s=timeout_s, log=log, cwd=output, env=env)
    figures: dict[str, Any] = {
        "exit_code": run.exit_code,
        "wall_s": run.wall_s,
        "timed_out": run.timed_out,
        "timeout_s": timeout_s,
    }
    if run.error is not None:
        return {**figures, "error": run.error}
    say(f"{SUITE}: mypy exit {run.exit_code} after {run.wall_s:.1f} s")
    text = log.read_text(encoding="utf-8", errors="replace")
    last = [line.strip() for line in text.splitlines() if line.strip()][-1:] or [""]
    return {**figures, **parse_mypy(text), "last_line": last[0]}


@contextlib.contextmanager
def json_server(body: bytes) -> Iterator[str]:
    """A stdlib HTTP server on 127.0.0.1 answering every GET with ``body`` (200, JSON);
    yields its base URL."""

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def timed_runs(argv: list[str], env: Mapping[str, str], cwd: Path) -> dict[str, Any]:
    """Whole-process wall time of ``argv``, ``IMPORT_RUNS`` times after one untimed
    warm-up (which also writes the bytecode), and each timed run's stdout."""
    walls: list[float] = []
    stdouts: list[str] = []
    for index in range(IMPORT_RUNS + 1):
        start = time.perf_counter()
        done = subprocess.run(
            argv,
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=IMPORT_TIMEOUT_S,
            check=False,
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
            return {"error": lines[-1]}
        if index:
            walls.append(wall * 1000)
            stdouts.append(done.stdout)
    return {"median_ms": statistics.median(walls), "runs_ms": walls, "stdouts": stdouts}


def verdicts(stdouts: Iterable[str]) -> dict[str, Any]:
    """The call script's last JSON line over its runs: the last outcome and model count,
    and each phase's median."""
    found: list[dict[str, Any]] = []
    for stdout in stdouts:
        with contextlib.suppress(ValueError, IndexError):
            found.append(json.loads(stdout.strip().splitlines()[-1]))
    if not found:
        return {"outcome": None, "models_loaded": None, "phases_ms": {}}
    phases = {
        phase: statistics.median(float(run["phases_ms"][phase]) for run in found)
        for phase in found[-1].get("phases_ms", {})
    }
    return {
        "outcome": found[-1].get("outcome"),
        "models_loaded": found[-1].get("models"),
        "phases_ms": phases,
    }


def import_figures(
    output: Path, package: str, body: bytes, env: Mapping[str, str], say: Say
) -> dict[str, Any]:
    """Import the package and call ``repos/get`` in a fresh interpreter, against a bare
    ``python -c pass``; then one ``-X importtime`` run for the largest imports."""
    child_env = {
        key: value
        for key, value in env.items()
        if key != "PYTHONDONTWRITEBYTECODE" and not key.lower().endswith("_proxy")
    }
    child_env["PYTHONPATH"] = str(output / "src")
    figures: dict[str, Any] = {"operation": CALL_OPERATION, "target_ms": IMPORT_TARGET_MS}
    with json_server(body) as url:
        say(f"{SUITE}: import {package} and call {CALL_OPERATION}, {IMPORT_RUNS} runs")
        call = [sys.executable, "-c", CALL_SCRIPT, package, url]
        try:
            models = timed_runs([sys.executable, "-c", MODELS_SCRIPT, package], child_env, output)
            called = timed_runs(call, child_env, output)
            floor = timed_runs([sys.executable, "-c", "pass"], child_env, output)
            pydantic_floor = timed_runs(
                [sys.executable, "-c", PYDANTIC_FLOOR_SCRIPT], child_env, output
            )
            profile = subprocess.run(
                [sys.executable, "-X", "importtime", *call[1:]],
                cwd=output,
                env=child_env,
                capture_output=True,
                text=True,
                timeout=IMPORT_TIMEOUT_S,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return {**figures, "error": str(error)}
    measured = (models, called, floor, pydantic_floor)
    failed = next((f["error"] for f in measured if "error" in f), None)
    if failed is not None:
        return {**figures, "error": failed}
    loaded = json.loads(models["stdouts"][-1].strip().splitlines()[-1])
    return {
        **figures,
        "models_median_ms": models["median_ms"],
        "models_runs_ms": models["runs_ms"],
        "models_modules_loaded": loaded["models"],
        "models_imported_httpx": loaded["httpx"],
        "pydantic_floor_median_ms": pydantic_floor["median_ms"],
        "median_ms": called["median_ms"],
        "runs_ms": called["runs_ms"],
        **verdicts(called["stdouts"]),
        "floor_median_ms": floor["median_ms"],
        "floor_runs_ms": floor["runs_ms"],
        **import_profile(profile.stderr),
    }


# -- the section -------------------------------------------------------------------------


def markdown(data: Mapping[str, Any]) -> str:
    """The table of targets, then what lies behind any figure that misses one."""
    ops, schemas, numbered = data["operations"], data["schemas"], data["numbered_names"]
    compiled = data["compile"]
    check_, format_, mypy, call = (
        data["ruff_check"],
        data["ruff_format"],
        data["mypy"],
        data["import_call"],
    )
    found = (
        "every operationId found"
        if not ops["ids_not_found"]
        else f"{len(ops['ids_not_found']):,} operationIds not found"
    )
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in numbered["by_kind"].items() if n)
    rows = [
        (
            "operations",
            f"{ops['generated']:,}/{ops['spec']:,} operations ({ops['generated_async']:,} async "
            f"twins); {found}",
            "all",
        ),
        (
            "schemas",
            f"{schemas['present']:,}/{schemas['spec']:,} schemas in `models/__init__.pyi` "
            f"({schemas['exported_names']:,} exported names)",
            "all",
        ),
        ("numbered names", f"{numbered['count']:,}" + (f" ({kinds})" if kinds else ""), "—"),
        (
            "compiles",
            f"{compiled['modules'] - len(compiled['failed']):,}/{compiled['modules']:,} modules",
            "all",
        ),
        ("`ruff check`", figure(check_, lambda f: f"{f['findings']:,} findings"), "0"),
        (
            "`ruff format --check`",
            figure(
                format_,
                lambda f: (
                    f"{f['would_reformat']:,} of {f['checked'] or 0:,} files would be reformatted"
                ),
            ),
            "0",
        ),
        ("`mypy --strict src`", figure(mypy, mypy_cell), "0 errors"),
        (
            f"import + `{call['operation']}`'s models",
            figure(call, models_cell),
            f"{IMPORT_TARGET_MS:g} ms",
        ),
        (f"first `{call['operation']}` call, client built", figure(call, call_cell), "—"),
    ]
    lines = [
        f"The client generated from {data['spec']} (`apismith generate`: "
        f"{data['generate']['wall_s']:.1f} s, {data['generate']['written']}), "
        f"package `{data['package']}`.",
        "",
        row_line(("check", "result", "target")),
        row_line(("---", "---", "---")),
        *(row_line(cells) for cells in rows),
        "",
    ]
    notes = details(data)
    return "\n".join(lines + notes) + "\n"


def figure(figures: Mapping[str, Any], show: Callable[[Mapping[str, Any]], str]) -> str:
    return f"not measured: {figures['error']}" if "error" in figures else show(figures)


def mypy_cell(mypy: Mapping[str, Any]) -> str:
    if mypy["timed_out"]:
        return f"stopped after {mypy['timeout_s']:g} s"
    if mypy["exit_code"] not in (0, 1):  # 2: mypy itself failed (bad option, crash)
        return f"failed (exit {mypy['exit_code']}): {mypy.get('last_line', '')}"
    errors = (
        f"{mypy['errors']:,} errors in {mypy['files_with_errors']:,} files"
        if mypy["errors"]
        else "no errors"
    )
    checked = f", {mypy['checked']:,} files checked" if mypy.get("checked") else ""
    return f"exit {mypy['exit_code']}, {errors}{checked}; {mypy['wall_s']:.1f} s (cold cache)"


def models_cell(call: Mapping[str, Any]) -> str:
    httpx = "; httpx imported" if call["models_imported_httpx"] else ""
    return (
        f"{call['models_median_ms']:.0f} ms median of {len(call['models_runs_ms'])}, "
        f"{call['models_modules_loaded']} model modules{httpx} (floor, `python` + `pydantic` "
        f"+ one model class: {call['pydantic_floor_median_ms']:.0f} ms)"
    )


def call_cell(call: Mapping[str, Any]) -> str:
    return (
        f"{call['median_ms']:.0f} ms median of {len(call['runs_ms'])} "
        f"(bare `python -c pass`: {call['floor_median_ms']:.0f} ms)"
    )


def shown(names: Iterable[str]) -> str:
    listed = list(names)
    text = ", ".join(f"`{name}`" for name in listed[:SHOWN])
    return text + (f" and {len(listed) - SHOWN:,} more" if len(listed) > SHOWN else "")


def details(data: Mapping[str, Any]) -> list[str]:
    """Bullets: examples of numbered names, what is missing, findings, the call's outcome."""
    ops, schemas = data["operations"], data["schemas"]
    notes: list[str] = []
    for kind, names in data["numbered_names"]["names"].items():
        if names:
            notes.append(f"- numbered names, {kind}: {shown(names)}")
    if ops["ids_not_found"]:
        notes.append(f"- operationIds not in the package: {shown(ops['ids_not_found'])}")
    if ops["ids_not_in_spec"]:
        notes.append(f"- operationIds not in the spec: {shown(ops['ids_not_in_spec'])}")
    if ops["spec_without_id"]:
        notes.append(f"- {ops['spec_without_id']:,} spec operations have no operationId")
    if schemas["missing"]:
        notes.append(f"- schemas without a model: {shown(schemas['missing'])}")
    if data["compile"]["failed"]:
        notes.append(f"- modules that do not compile: {shown(data['compile']['failed'])}")
    if data["ruff_check"].get("by_rule"):
        notes.append(
            f"- ruff rules: {shown(f'{r} x{n}' for r, n in data['ruff_check']['by_rule'].items())}"
        )
    if data["ruff_format"].get("files"):
        notes.append(f"- would be reformatted: {shown(data['ruff_format']['files'])}")
    mypy = data["mypy"]
    if mypy.get("by_code"):
        notes.append(
            f"- mypy error codes: {shown(f'{c} x{n}' for c, n in mypy['by_code'].items())}"
        )
        notes += [f"  - `{line}`" for line in mypy["first_errors"][:SHOWN]]
    call = data["import_call"]
    if "error" not in call:
        phases = ", ".join(f"{name} {ms:.0f} ms" for name, ms in call["phases_ms"].items())
        notes.append(
            f"- the call, answered with the spec's example: {call['outcome']}; "
            f"{call['models_loaded']} model modules loaded; inside the child (medians): {phases}"
        )
        largest = [f"{e['module']} {e['cumulative_ms']:.0f} ms" for e in call["largest_imports"]]
        notes.append(
            f"- under `-X importtime` (which inflates): imports {call['importtime_total_ms']:.0f} "
            f"ms in all; largest top-level: {', '.join(largest)}"
        )
    return notes
