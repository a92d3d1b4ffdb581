"""Figure 1: cold start of every function, as a ratio to a bare `boto3.client("dynamodb")`.

Each sample is a fresh interpreter (`python -I`, a clean environment made of the function's
template variables and fake AWS credentials, an empty HOME) that puts the function's code folder and
the layer in front of sys.path, imports the handler module and creates what the first invocation
needs (the settings and, for functions that use DynamoDB, the cached client). The baseline is a
fresh interpreter that only does `import boto3; boto3.client("dynamodb")`. All the targets are
sampled in every round, in a shuffled order, so that machine load hits them alike; the figure is
the ratio of the medians.

Two clocks: `init` is measured inside the process, from before the first import to the end of the
init (the goal's figure: it leaves out the interpreter's own start, which only dilutes the ratio);
`process` is the wall time from starting the subprocess to reading its result, so it adds the
interpreter's start (and site-packages' .pth files) but not its exit, which Lambda never waits for.

Two rows are floors, not functions: what a function cannot avoid under the architecture's rules
(Powertools Logger and Metrics; for HTTP functions also Powertools' event handler and a pydantic
model), loaded the way the functions load (garbage collector paused).

    python -m bench.cold_start [--runs 15] [--python PATH] [--compare DIR] [--source-only] [--write]

`--compare DIR` also samples the functions and layer of another checkout (e.g. a `git worktree` of
an older commit), interleaved with the current ones. `--source-only` runs the layer and function
code from a copy without `__pycache__`, with `-B`: as on Lambda, where the code SAM copies has no
.pyc and /opt and /var/task are read-only, so Python compiles it at every cold start
(pip-installed dependencies do ship their .pyc).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import FAKE_AWS_ENV, LAYER_DIR, ROOT, emit, load_template, median, table

BASELINE = "boto3 baseline"
AUTHORIZER = "AuthorizerFunction"
GOALS = {AUTHORIZER: 1.2}
DEFAULT_GOAL = 1.5

_TIMER = "import sys, time\n_t0 = time.perf_counter()\n"
_REPORT = "sys.stdout.write(repr(time.perf_counter() - _t0) + '\\n')\nsys.stdout.flush()\n"
_BASELINE_CODE = _TIMER + "import boto3\nboto3.client('dynamodb')\n" + _REPORT
_FLOOR_AUTHORIZER = """\
import gc
gc.disable()
import boto3
boto3.client('dynamodb')
from aws_lambda_powertools import Logger, Metrics
Logger()
Metrics()
gc.freeze()
gc.enable()
"""
_FLOOR_HTTP = _FLOOR_AUTHORIZER.replace("Metrics()\n", """\
Metrics()
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
APIGatewayRestResolver()
from pydantic import BaseModel
class Model(BaseModel):
    value: int
""")
FLOORS = {
    "floor: authorizer (boto3 + Logger + Metrics)": _TIMER + _FLOOR_AUTHORIZER + _REPORT,
    "floor: HTTP (+ event handler + 1 pydantic model)": _TIMER + _FLOOR_HTTP + _REPORT,
}


@dataclass
class Target:
    name: str
    code: str
    env: dict[str, str]
    goal: float | None = None
    init: list[float] = field(default_factory=list)
    process: list[float] = field(default_factory=list)


def function_code(code_dir: Path, layer_dir: Path, module: str, uses_dynamodb: bool) -> str:
    init = [
        f"sys.path[:0] = [{str(code_dir)!r}, {str(layer_dir)!r}]",
        f"import {module}",
        "from credentials_service.config import settings",
        "settings()",
    ]
    if uses_dynamodb:
        init += ["from credentials_service.repository.client import dynamodb_client", "dynamodb_client()"]
    return _TIMER + "\n".join(init) + "\n" + _REPORT


def function_targets(source_root: Path, env: dict[str, str], label: str = "") -> list[Target]:
    template = load_template(source_root / "template.yaml")  # a compared checkout runs with its own settings
    found = []
    for function in template.functions.values():
        module = function.handler.rsplit(".", 1)[0]
        policies = json.dumps(template.resources[function.logical_id]["Properties"].get("Policies", []))
        layer_dir = source_root / LAYER_DIR.relative_to(ROOT)
        code = function_code(function.code_uri, layer_dir, module, "dynamodb:" in policies)
        goal = GOALS.get(function.logical_id, DEFAULT_GOAL)
        found.append(Target(function.logical_id + label, code, {**env, **function.environment}, goal))
    return found


def source_copy(source_root: Path, destination: Path) -> Path:
    """The layer and the functions as SAM ships them: sources only, no .pyc (and the template)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    destination.mkdir(parents=True)
    shutil.copy2(source_root / "template.yaml", destination / "template.yaml")
    shutil.copytree(source_root / "layers" / "shared", destination / "layers" / "shared", ignore=ignore)
    shutil.copytree(source_root / "functions", destination / "functions", ignore=ignore)
    return destination


def sample(python: str, target: Target, no_bytecode: bool) -> None:
    command = [python, "-I", *(["-B"] if no_bytecode else []), "-c", target.code]
    started = time.perf_counter()
    with subprocess.Popen(command, env=target.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # noqa: S603
                          text=True) as child:
        line = child.stdout.readline()  # written once the init is done: the process's exit is not timed
        elapsed = time.perf_counter() - started
        _, errors = child.communicate()
    if child.returncode != 0 or not line:
        raise SystemExit(f"{target.name} failed:\n{errors}")
    target.init.append(float(line))
    target.process.append(elapsed)


def measure(python: str, runs: int, source_only: bool, compare: Path | None, seed: int | None = None) -> list[Target]:
    # A fresh order each run: a fixed one would put the same targets after the same neighbours every time.
    shuffle = random.Random(seed).shuffle
    with tempfile.TemporaryDirectory(prefix="cold-start-") as scratch:
        home = Path(scratch) / "home"  # no ~/.aws: as on Lambda
        home.mkdir()
        env = {**FAKE_AWS_ENV, "HOME": str(home), "LANG": "C.UTF-8"}
        current, other = ROOT, compare
        if source_only:
            current = source_copy(ROOT, Path(scratch) / "current")
            other = source_copy(compare, Path(scratch) / "compare") if compare else None
        found = [Target(BASELINE, _BASELINE_CODE, env)]
        found += [Target(name, code, env) for name, code in FLOORS.items()]
        found += function_targets(current, env)
        if other is not None:
            found += function_targets(other, env, label=f" ({compare.name})")
        for target in found:  # warms the OS file cache and writes site-packages' .pyc: not counted
            sample(python, target, source_only)
            target.init.clear()
            target.process.clear()
        for _ in range(runs):
            order = list(found)
            shuffle(order)
            for target in order:
                sample(python, target, source_only)
    return found


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(found: list[Target]) -> tuple[str, dict[str, dict[str, float]]]:
    baseline = found[0]
    base_init, base_process = median(baseline.init), median(baseline.process)
    rows, figures = [], {}
    for target in found:
        init, process = median(target.init), median(target.process)
        ratio = init / base_init
        met = "" if target.goal is None else ("yes" if ratio <= target.goal else "**no**")
        rows.append([
            target.name, ms(init), f"{ratio:.2f}", ms(process), f"{process / base_process:.2f}",
            "" if target.goal is None else f"<= {target.goal}", met,
        ])
        figures[target.name] = {"init_ms": init * 1000, "ratio": ratio, "process_ms": process * 1000,
                                "goal": target.goal}
    headers = [
        "process", "init median (ms)", "init ratio", "process median (ms)", "process ratio", "goal (init)", "met",
    ]
    return f"{len(baseline.init)} interleaved runs per row.\n\n" + table(headers, rows), figures


def interpreter_version(python: str) -> str:
    return subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],  # noqa: S603
                          capture_output=True, text=True, check=True).stdout.strip()


def _shown(arg: str) -> str:
    """Paths as a reader can reuse them: relative to the repository, or the worktree's commit."""
    path = Path(arg)
    if not path.is_absolute():
        return arg
    if path.is_relative_to(ROOT):
        return str(path.relative_to(ROOT))
    if path.parent.name.startswith("bench-before-"):  # python -m bench --before REF
        return f"<git worktree of {path.name}>"
    return arg


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--python", default=sys.executable, help="interpreter with boto3, Powertools, pydantic")
    parser.add_argument("--compare", type=Path, help="another checkout whose functions and layer to sample too")
    parser.add_argument("--source-only", action="store_true", help="no .pyc for the layer and functions")
    parser.add_argument("--section", default="cold_start", help="docs/performance.md section to write")
    parser.add_argument("--write", action="store_true", help="write the section into docs/performance.md")
    args = parser.parse_args(argv)
    found = measure(args.python, args.runs, args.source_only, args.compare)
    body, figures = report(found)
    note = ", layer and function sources without .pyc" if args.source_only else ""
    body = f"Interpreter: Python {interpreter_version(args.python)}{note}. " + body
    shown = [_shown(arg) for arg in (argv if argv is not None else sys.argv[1:])]
    command = " ".join(["python -m bench.cold_start", *shown])
    emit(args.section, command, body, args.write)
    return figures


if __name__ == "__main__":
    main()
