"""The ``mock`` suite: ``apismith mock`` against Prism under ``wrk``, loopback only.

Each server is started on a free port of 127.0.0.1 in its own session, waited for until
it answers, loaded with ``wrk -t2 -c16 -d10s --latency`` POSTing the Gotham request
example (``?preview=true``, a bearer token, JSON), and stopped (always, also on error):
one server at a time, so neither competes with the other for the two cores. apismith's
server also gets a short burst of malformed and hostile requests; none may be answered
with a 5xx, and the server must still answer the valid request afterwards.

Every request goes to 127.0.0.1 and every loop is bounded in count and time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.gotham import compact, request_example, send_operation
from bench.report import row_line

SUITE = "mock"
HOST = "127.0.0.1"
WRK_ARGS = ("-t2", "-c16", "-d10s", "--latency")
WRK_TIMEOUT_S = 60.0
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
TOKEN = "x"


@dataclass(frozen=True, slots=True)
class WrkFigures:
    """What ``wrk --latency`` printed: throughput, latency percentiles (ms), errors."""

    requests_per_s: float | None
    p50_ms: float | None
    p99_ms: float | None
    requests: int | None
    non_2xx: int = 0
    socket_errors: int = 0


@dataclass(slots=True)
class ServerFigures:
    tool: str
    command: list[str]
    status: str = "not run"
    first_status: int | None = None
    wrk: WrkFigures | None = None
    peak_rss_mib: float | None = None
    hostile: dict[str, int | str] = field(default_factory=dict)
    hostile_5xx: list[str] = field(default_factory=list)


# -- wrk -------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
DURATION = re.compile(r"^([\d.]+)(us|ms|s|m)$")


def duration_ms(text: str) -> float | None:
    """``1.23ms``, ``850.00us``, ``1.02s`` as milliseconds."""
    match = DURATION.match(text.strip())
    return float(match.group(1)) * UNITS_MS[match.group(2)] if match else None


def parse_wrk(output: str) -> WrkFigures:
    """The figures of one ``wrk --latency`` run."""
    rate = re.search(r"^Requests/sec:\s*([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s*(\d+) requests in ", output, re.MULTILINE)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkFigures(
        requests_per_s=float(rate.group(1)) if rate else None,
        p50_ms=duration_ms(p50.group(1)) if p50 else None,
        p99_ms=duration_ms(p99.group(1)) if p99 else None,
        requests=int(total.group(1)) if total else None,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def lua_string(text: str) -> str:
    """``text`` as a Lua long-bracket string literal that nothing inside can close."""
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def wrk_script(body: str, token: str = TOKEN) -> str:
    return (
        'wrk.method = "POST"\n'
        f"wrk.body = {lua_string(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
    )


# -- servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def exchange(port: int, raw: bytes, timeout_s: float = 5.0) -> int | str:
    """Send ``raw`` to the server and return the answer's status code, or what happened
    instead (``closed``, ``timeout``, ``refused``)."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout_s) as conn:
            # a server may answer (413) and close before an oversized body is sent: read on
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                conn.sendall(raw)
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_WR)
            data = b""
            while b"\r\n" not in data and len(data) < 4096:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
    except TimeoutError:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except OSError as error:
        return type(error).__name__
    status = re.match(rb"HTTP/\d(?:\.\d)? (\d{3})", data)
    return int(status.group(1)) if status else "closed"


def http_request(
    method: str,
    target: str,
    body: bytes = b"",
    headers: Sequence[tuple[str, str]] = (),
    port: int = 0,
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def valid_request(path: str, body: str, port: int) -> bytes:
    headers = [("Content-Type", "application/json"), ("Authorization", f"Bearer {TOKEN}")]
    return http_request("POST", f"{path}?preview=true", body.encode(), headers, port)


def hostile_requests(path: str, body: str, port: int) -> dict[str, bytes]:
    """Malformed and hostile requests, by name: none may get a 5xx."""
    auth = ("Authorization", f"Bearer {TOKEN}")
    json_type = ("Content-Type", "application/json")
    target = f"{path}?preview=true"

    def post(data: bytes, *headers: tuple[str, str], to: str = target) -> bytes:
        return http_request("POST", to, data, headers, port)

    deep = b"[" * 100_000 + b"]" * 100_000
    return {
        "malformed JSON": post(b'{"messages": [', json_type, auth),
        "empty body": post(b"", json_type, auth),
        "invalid UTF-8": post(b'{"messages": "\xff\xfe"}', json_type, auth),
        "deeply nested JSON": post(deep, json_type, auth),
        "huge number": post(b'{"messages": [1' + b"0" * 5000 + b"]}", json_type, auth),
        "NaN literal": post(b'{"messages": NaN}', json_type, auth),
        "wrong types": post(b'{"messages": "all"}', json_type, auth),
        "wrong content type": post(body.encode(), ("Content-Type", "text/plain"), auth),
        "no content type": post(body.encode(), auth),
        "oversized body": post(b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}', json_type, auth),
        "no credentials": post(body.encode(), json_type),
        "malformed credentials": post(body.encode(), json_type, ("Authorization", "Bearer")),
        "bad query value": post(body.encode(), json_type, auth, to=f"{path}?preview=maybe"),
        "query without value": post(body.encode(), json_type, auth, to=f"{path}?preview"),
        "percent garbage in query": post(body.encode(), json_type, auth, to=f"{path}?%zz=%"),
        "unknown path": post(body.encode(), json_type, auth, to="/no/such/path"),
        "path traversal": post(body.encode(), json_type, auth, to="/../../etc/passwd"),
        "encoded NUL in path": post(body.encode(), json_type, auth, to=f"{path}%00"),
        "undocumented method": http_request("DELETE", target, b"", [auth], port),
        "very long URL": post(body.encode(), json_type, auth, to=f"{path}?q={'a' * 60_000}"),
        "header with CR": post(body.encode(), json_type, auth, ("X-Evil", "a\rb")),
        "content-length lies": (
            http_request("POST", target, b"", [json_type, auth], port).replace(
                b"Content-Length: 0", b"Content-Length: 99999"
            )
            + b"{}"
        ),
        "garbage request line": b"\x00\x01\x02 NOT HTTP\r\n\r\n",
        "HTTP/0.9 style": f"GET {path}\r\n\r\n".encode(),
    }


@contextlib.contextmanager
def serving(
    argv: Sequence[str], log: Path, env: dict[str, str]
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server for a ``with`` block in its own session; stop it (and anything it
    started) on the way out, whatever happened."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group, then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_TIMEOUT_S)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_TIMEOUT_S)


def wait_until_answering(
    process: subprocess.Popen[bytes], port: int, probe: bytes, timeout_s: float = READY_TIMEOUT_S
) -> int | str:
    """Poll until the server answers ``probe`` with an HTTP status (returned), it exits,
    or ``timeout_s`` passes (a string says which)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"exited with {process.returncode} before answering"
        answer = exchange(port, probe, timeout_s=2.0)
        if isinstance(answer, int):
            return answer
        time.sleep(0.2)
    return f"did not answer within {timeout_s:g} s"


def group_rss_mib(pgid: int) -> float | None:
    """Resident memory of every process in group ``pgid`` (a server and its workers)."""
    total = 0
    found = False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != pgid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            total += int(match.group(1))
            found = True
    return total / 1024 if found else None


def run_wrk(wrk: str, url: str, script: Path) -> tuple[WrkFigures | None, str]:
    try:
        done = subprocess.run(
            [wrk, *WRK_ARGS, "-s", str(script), url],
            capture_output=True,
            text=True,
            timeout=WRK_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"wrk did not finish within {WRK_TIMEOUT_S:g} s"
    if done.returncode != 0:
        return None, f"wrk exited with {done.returncode}: {done.stderr.strip()[-200:]}"
    return parse_wrk(done.stdout), done.stdout


def measure_server(
    tool: str,
    argv: Sequence[str],
    port: int,
    spec: Path,
    wrk: str | None,
    folder: Path,
    env: dict[str, str],
    *,
    hostile: bool,
) -> ServerFigures:
    """Start one server, load it with wrk (and the hostile burst), stop it."""
    figures = ServerFigures(tool, list(argv))
    path, _, _ = send_operation(spec)
    body = compact(request_example(spec))
    probe = valid_request(path, body, port)
    script = folder / "post-gotham.lua"
    script.write_text(wrk_script(body), encoding="utf-8")
    try:
        with serving(argv, folder / f"{tool}.log", env) as process:
            ready = wait_until_answering(process, port, probe)
            if isinstance(ready, str):
                figures.status = ready
                return figures
            figures.first_status = ready
            if wrk is None:
                figures.status = "wrk not installed"
            else:
                result, output = run_wrk(wrk, f"http://{HOST}:{port}{path}?preview=true", script)
                (folder / f"{tool}.wrk.txt").write_text(output, encoding="utf-8")
                figures.wrk = result
                figures.status = "ok" if result is not None else output
            if hostile:
                for name, raw in hostile_requests(path, body, port).items():
                    answer = exchange(port, raw)
                    figures.hostile[name] = answer
                    if isinstance(answer, int) and answer >= 500:
                        figures.hostile_5xx.append(name)
                after = exchange(port, probe)
                figures.hostile["valid request afterwards"] = after
                if after != figures.first_status:
                    figures.hostile_5xx.append(f"valid request afterwards: {after}")
            figures.peak_rss_mib = group_rss_mib(process.pid)
    except OSError as error:
        figures.status = f"cannot start: {error.strerror or error}"
    return figures


def find_wrk() -> str | None:
    return shutil.which("wrk")


def markdown(servers: Sequence[ServerFigures]) -> str:
    columns = ("tool", "requests/s", "p50 (ms)", "p99 (ms)", "non-2xx", "peak RSS (MiB)", "status")
    lines = [row_line(columns), row_line(("---",) * len(columns))]
    for server in servers:
        w = server.wrk
        lines.append(
            row_line(
                (
                    server.tool,
                    fmt(w.requests_per_s if w else None, 0),
                    fmt(w.p50_ms if w else None, 2),
                    fmt(w.p99_ms if w else None, 2),
                    f"{w.non_2xx:,}" if w else "—",
                    fmt(server.peak_rss_mib, 0),
                    server.status
                    + (f" (first answer {server.first_status})" if server.first_status else ""),
                )
            )
        )
    rates = {s.tool: s.wrk.requests_per_s for s in servers if s.wrk and s.wrk.requests_per_s}
    if "apismith" in rates and "prism" in rates:
        lines.append("")
        lines.append(
            f"apismith mock serves {rates['apismith'] / rates['prism']:.2f}x Prism's requests/s."
        )
    for server in servers:
        if server.hostile:
            bad = server.hostile_5xx
            lines.append("")
            lines.append(
                f"{server.tool}: {len(server.hostile) - 1} malformed or hostile requests, "
                + (
                    "none answered with a 5xx; "
                    if not bad
                    else f"5xx or broken: {', '.join(bad)}; "
                )
                + "answers: "
                + ", ".join(f"{name} {answer}" for name, answer in server.hostile.items())
            )
    return "\n".join(lines) + "\n"


def fmt(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def as_json(servers: Sequence[ServerFigures]) -> list[dict[str, Any]]:
    return [asdict(server) for server in servers]
