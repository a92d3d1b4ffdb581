"""What every benchmark shares: paths, the template, the machine, statistics, and docs/performance.md."""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import platform
import re
import statistics
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LAYER_DIR = ROOT / "layers" / "shared"
TEMPLATE = ROOT / "template.yaml"
PERFORMANCE_MD = ROOT / "docs" / "performance.md"

# A Lambda-like environment with fake credentials: nothing here may reach a real AWS account.
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def ensure_layer_on_path() -> None:
    """The layer imports as on Lambda (/opt/python), and the repo root for local_runner and tests."""
    for path in (str(LAYER_DIR), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


@functools.cache
def load_template(path: Path = TEMPLATE):
    """The resolved template (parsed once per path and process)."""
    ensure_layer_on_path()
    from local_runner.template import load_template as load

    return load(path)


@contextmanager
def function_environment(template: Any, **extra: str) -> Iterator[None]:
    """os.environ as the template's functions see it (plus fake credentials and `extra`), with the layer's
    per-environment caches (settings, DynamoDB client) cleared on the way in and out: a new Lambda
    environment, whatever ran before in this process."""
    from credentials_service.config import settings
    from credentials_service.repository.client import dynamodb_client

    saved = dict(os.environ)
    try:
        for function in template.functions.values():
            os.environ.update(function.environment)
        os.environ.update({**FAKE_AWS_ENV, **extra})
        settings.cache_clear()
        dynamodb_client.cache_clear()
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        settings.cache_clear()
        dynamodb_client.cache_clear()


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        if names:
            model = names[0]
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, {model}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at start {load}"
    )


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def section(command: str, body: str, machine_line: str | None = None) -> str:
    """A generated block: how to reproduce it, where and when, then the figures."""
    return (
        f"Command: `{command}`  \n"
        f"Machine: {machine_line or machine()}  \n"
        f"Date: {today()}\n\n{body}\n"
    )


def write_section(name: str, content: str, path: Path = PERFORMANCE_MD) -> None:
    """Replace what lies between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` in docs/performance.md."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(<!-- bench:{re.escape(name)} -->\n).*?(<!-- /bench:{re.escape(name)} -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path} has no <!-- bench:{name} --> section")
    path.write_text(pattern.sub(lambda match: match[1] + content + match[2], text), encoding="utf-8")


def emit(name: str, command: str, body: str, write: bool) -> None:
    content = section(command, body)
    print(content)
    if write:
        write_section(name, content)
