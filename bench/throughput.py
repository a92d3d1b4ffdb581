"""Figure 4: the local API's throughput for an authorized list call, over loopback (a figure to track).

Starts `python -m local_runner run` on a free loopback port (moto's DynamoDB in memory, the demo
account it provisions), then for each concurrency level runs a warm-up and a bounded load: a thread
pool with one requests.Session per thread, each sending `GET /api/v1/credentials` with the demo
credential until the request count or the time bound is reached. Every request goes through the
local API Gateway, the real authorizer and the real list handler (each in a worker process), and
moto.

This measures the local runner and moto as much as the service; it is not a prediction of the
deployed API's throughput (API Gateway, Lambda concurrency and DynamoDB scale apart).

    python -m bench.throughput [--concurrency 1 4 8] [--requests 1000] [--seconds 20] [--write]
"""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from bench.common import ROOT, emit, percentile, table

LOOPBACK = "127.0.0.1"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Demo:
    base_url: str
    headers: dict[str, str]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


@contextmanager
def local_api(pool_size: int) -> Iterator[Demo]:
    """`python -m local_runner run` on loopback until the block ends; its demo credential."""
    command = [sys.executable, "-m", "local_runner", "run", "--host", LOOPBACK, "--port", str(free_port()),
               "--pool-size", str(pool_size)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,  # noqa: S603
                               text=True)
    try:
        yield _read_banner(process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_banner(process: subprocess.Popen) -> Demo:
    fields: dict[str, str] = {}
    deadline = time.monotonic() + STARTUP_SECONDS
    timer = threading.Timer(STARTUP_SECONDS, process.kill)  # a runner that never prints must not hang us
    timer.start()
    try:
        for line in process.stdout:
            match = re.match(r"\s*(Base URL|Account ID|API key|Secret):\s*(\S+)", line)
            if match:
                fields[match[1]] = match[2]
            if len(fields) == 4 or time.monotonic() > deadline:
                break
    finally:
        timer.cancel()
    if len(fields) != 4:
        raise SystemExit(f"local_runner did not start (read {sorted(fields)})")
    headers = {"X-API-Key": fields["API key"], "X-Secret-Key": fields["Secret"], "X-Account-ID": fields["Account ID"]}
    return Demo(fields["Base URL"], headers)


@dataclass
class Load:
    concurrency: int
    keep_alive: bool
    sent: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        """Answered requests (200s) per second: failures are not throughput."""
        return (self.sent - self.errors) / self.seconds if self.seconds else 0.0


def run_load(demo: Demo, concurrency: int, requests_total: int, seconds: float, keep_alive: bool = True) -> Load:
    """Bounded in count and in time; every thread stops by itself."""
    import requests

    url = f"{demo.base_url}/api/v1/credentials"
    lock = threading.Lock()
    remaining = [requests_total]
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds

    def worker() -> None:
        # keep_alive: one Session per client, as the scheduler0 client uses; else a new connection per request.
        with requests.Session() as session:
            send = session.get if keep_alive else requests.get
            while time.monotonic() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                started = time.perf_counter()
                try:
                    ok = send(url, headers=demo.headers, timeout=10).status_code == 200
                except requests.RequestException:
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors[0] += not ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    elapsed = time.perf_counter() - started
    return Load(concurrency, keep_alive, len(latencies), errors[0], elapsed, latencies)


def measure(levels: list[int], requests_total: int, seconds: float) -> list[Load]:
    results = []
    with local_api(pool_size=max(levels)) as demo:
        for concurrency in levels:
            # Warm-up: starts every worker environment (their cold starts are not this figure).
            run_load(demo, concurrency, requests_total=concurrency * 10, seconds=seconds)
            for keep_alive in (True, False):
                results.append(run_load(demo, concurrency, requests_total, seconds, keep_alive))
    return results


def render(results: list[Load]) -> str:
    rows = []
    for load in results:
        connections = "keep-alive" if load.keep_alive else "one per request"
        rows.append([
            load.concurrency, connections, load.sent, load.errors, f"{load.seconds:.1f}", f"{load.per_second:.0f}",
            f"{percentile(load.latencies_ms, 0.5):.1f}", f"{percentile(load.latencies_ms, 0.99):.1f}",
        ])
    headers = ["clients", "connections", "requests", "errors", "seconds", "requests/s", "p50 (ms)", "p99 (ms)"]
    return table(headers, rows)


def main(argv: list[str] | None = None) -> list[Load]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--requests", type=int, default=600, help="per concurrency level and connection mode")
    parser.add_argument("--seconds", type=float, default=20, help="time bound per concurrency level")
    parser.add_argument("--write", action="store_true", help="write the section into docs/performance.md")
    args = parser.parse_args(argv)
    results = measure(args.concurrency, args.requests, args.seconds)
    note = (
        "`GET /api/v1/credentials` (a page of 1 credential: the demo account's), each request authorized by "
        "the authorizer function; local runner with one worker pool of the largest concurrency per function. "
        "Each level runs with keep-alive connections (a requests.Session per client, as the scheduler0 client "
        "does) and with a new connection per request.\n\n"
    )
    command = " ".join(["python -m bench.throughput", *(argv if argv is not None else sys.argv[1:])])
    emit("throughput", command, note + render(results), args.write)
    return results


if __name__ == "__main__":
    main()
