"""Load generation with wrk (Debian package `wrk`): a C load generator, so that on a 2-core
machine the load itself costs far less CPU than the servers it measures."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int
    non_2xx_3xx: int

    def as_dict(self) -> dict[str, float | int | str]:
        return asdict(self)


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unknown latency {text!r}")
    return float(match.group(1)) * UNITS[match.group(2)]


def parse(name: str, output: str) -> Result:
    latency = {
        m.group(1): _ms(m.group(2))
        for m in re.finditer(r"^\s+(50|90|99)%\s+(\S+)", output, re.MULTILINE)
    }
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]  # wrk always prints it
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]  # as above
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(
        name=name,
        rps=rps,
        p50_ms=latency.get("50", 0.0),
        p90_ms=latency.get("90", 0.0),
        p99_ms=latency.get("99", 0.0),
        requests=requests,
        errors=errors,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run(
    name: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    connections: int = 32,
    threads: int = 1,
    seconds: int = 10,
    method: str = "GET",
    body: str | None = None,
) -> Result:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    with tempfile.TemporaryDirectory() as folder:
        if method != "GET" or body is not None:
            script = Path(folder) / "request.lua"
            lua_body = (body or "").replace("\\", "\\\\").replace('"', '\\"')
            script.write_text(f'wrk.method = "{method}"\nwrk.body = "{lua_body}"\n')
            command += ["-s", str(script)]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse(name, output)
