"""A real server for tests: `python -m registry serve` in a subprocess, as `make run` starts it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(database_url: str, *args: str, timeout: float = 60) -> Iterator[str]:
    """Run the registry on `database_url` (migrate, seed unless --no-seed, serve); yield its base
    URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REGISTRY_ACCESS_LOG": "0",
        "REGISTRY_RATE_LIMIT": "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {process.stdout.read().decode()[-3000:]}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start in time")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
