"""A small HTTP/1.1 load generator: N keep-alive connections, each sending requests back to back.

    python bench/load.py --host 127.0.0.1 --port 8765 --concurrency 32 --seconds 5 PATH [PATH ...]

Paths are used round-robin. Prints one JSON object: requests, errors, rps, p50_ms, p99_ms. It only
ever connects to the host and port given (the benchmark passes a loopback address) and stops by
itself.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time


async def _worker(
    host: str, port: int, paths, deadline: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            path = next(paths)
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode()
            )
            started = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length, chunked = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                    chunked = True
            if chunked:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not status_line.startswith(b"HTTP/1.1 2"):
                errors.append(1)
    finally:
        writer.close()


async def run(host: str, port: int, paths: list[str], concurrency: int, seconds: float) -> dict:
    cycle = itertools.cycle(paths)
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_worker(host, port, cycle, deadline, latencies, errors) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    return summarize(latencies, elapsed, len(errors))


def summarize(latencies: list[float], elapsed: float, errors: int = 0) -> dict:
    ordered = sorted(latencies)
    p = (
        (lambda q: round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2))
        if ordered
        else (lambda q: None)
    )
    return {
        "requests": len(ordered),
        "errors": errors,
        "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": p(0.50),
        "p99_ms": p(0.99),
        "mean_ms": round(1000 * statistics.fmean(ordered), 2) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    print(
        json.dumps(
            asyncio.run(run(args.host, args.port, args.paths, args.concurrency, args.seconds))
        )
    )


if __name__ == "__main__":
    main()
