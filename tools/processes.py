"""The four apps as real uvicorn processes on loopback: for `make run` and the benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

FACTORIES = {
    "gateway": "gateway.app:create_app",
    "calls": "services.calls.app:create_app",
    "grants": "services.grants.app:create_app",
    "reporting": "services.reporting.app:create_app",
}
PORTS = {"gateway": 8000, "calls": 8001, "grants": 8002, "reporting": 8003}


@dataclass
class Processes:
    env: Mapping[str, str]
    ports: Mapping[str, int] = field(default_factory=lambda: dict(PORTS))
    workers: Mapping[str, int] = field(default_factory=dict)
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, app: str) -> str:
        return f"http://127.0.0.1:{self.ports[app]}"

    def start(self, app: str) -> subprocess.Popen[bytes]:
        port = self.ports[app]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # Otherwise the health check could be answered by whoever holds the port.
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise RuntimeError(f"port {port} is in use; is another stack running?")
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            FACTORIES[app],
            "--host",
            "127.0.0.1",
            "--port",
            str(self.ports[app]),
            "--no-access-log",
            "--timeout-graceful-shutdown",
            "5",
        ]
        if app == "gateway":
            # The gateway's rate limits key on the peer address: never let a client choose
            # it with X-Forwarded-For (behind a load balancer, use --forwarded-allow-ips).
            command.append("--no-proxy-headers")
        if self.workers.get(app, 1) > 1:
            command += ["--workers", str(self.workers[app])]
        # glibc gives each request thread its own malloc arena (two keep RSS near the heap),
        # and after the first free of a large block it serves such blocks from the heap and
        # keeps them: each scrypt of the token endpoint (16 MiB) grew the gateway by ~18 MiB.
        env = {
            "MALLOC_ARENA_MAX": "2",
            "MALLOC_MMAP_THRESHOLD_": "131072",
            **os.environ,
            **self.env,
        }
        child = subprocess.Popen(command, env=env)
        self.children[app] = child
        return child

    def start_all(self, timeout: float = 30.0) -> None:
        for app in ("calls", "grants", "reporting", "gateway"):
            self.start(app)
        for app in self.children:
            self.wait_healthy(app, timeout)

    def wait_healthy(self, app: str, timeout: float = 30.0) -> float:
        """Seconds from now until `/healthz` answers (the process's cold start)."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            child = self.children[app]
            if child.poll() is not None:
                raise RuntimeError(f"{app} exited with {child.returncode} while starting")
            try:
                if httpx.get(f"{self.url(app)}/healthz", timeout=1.0).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{app} did not become healthy within {timeout} s")

    def stop(self, app: str, timeout: float = 10.0) -> None:
        child = self.children.pop(app, None)
        if child is None or child.poll() is not None:
            return
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def stop_all(self) -> None:
        for app in list(self.children):
            self.stop(app)

    def first_exited(self) -> str | None:
        for app, child in self.children.items():
            if child.poll() is not None:
                return app
        return None
