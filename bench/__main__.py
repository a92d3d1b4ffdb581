"""`python -m bench` (what `make bench` runs): every figure, written into docs/performance.md.

    python -m bench [--quick] [--before REF] [--source-only] [--no-py313]

Each figure's section in docs/performance.md is replaced with this run's table, the command that
produced it, the machine and the date. Sections that a run does not produce keep their last figures
(and their own command and date).

--before REF   also runs the cold start with the functions and layer of git REF (a temporary worktree),
               interleaved with the current ones, into the "before/after" section.
--source-only  also runs the cold start without .pyc for our code, as on Lambda (see bench.cold_start).
--no-py313     skips the Python 3.13 cold start. By default, when a python3.13 is found (on PATH or
               under ~/.pyenv/versions/3.13*), a venv with the layer's requirements and boto3 is made
               in bench/.venv313 (pip, from PyPI) and the cold start runs on it too: Lambda's runtime
               is python3.13. CI never runs any of this.
--quick        fewer runs and calls: a smoke test of the bench, not figures to keep.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import cold_start, cost, request_counts, throughput, warm
from bench.common import ROOT, emit, table

VENV_313 = ROOT / "bench" / ".venv313"


def python313() -> str | None:
    """A venv on Python 3.13 with the layer's requirements and boto3, made on first use."""
    python = VENV_313 / "bin" / "python"
    if python.exists():
        return str(python)
    pyenv = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python")))
    candidates = [*pyenv, shutil.which("python3.13")]
    interpreter = next((candidate for candidate in candidates if candidate and _runs(candidate)), None)
    if interpreter is None:
        return None
    subprocess.run([interpreter, "-m", "venv", str(VENV_313)], check=True)  # noqa: S603
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "boto3",  # noqa: S603
                    "-r", str(ROOT / "layers" / "shared" / "requirements.txt")], check=True)
    return str(python)


def _runs(python: str) -> bool:
    """pyenv's shims exist even where no 3.13 is selected; they then fail."""
    return subprocess.run([python, "-c", "import venv"], capture_output=True, check=False).returncode == 0  # noqa: S603


@contextmanager
def worktree(ref: str) -> Iterator[Path]:
    scratch = Path(tempfile.mkdtemp(prefix="bench-before-"))
    path = scratch / ref.replace("/", "_")
    subprocess.run(["git", "worktree", "add", "--detach", str(path), ref], cwd=ROOT, check=True,  # noqa: S603, S607
                   capture_output=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, check=False,  # noqa: S603, S607
                       capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


def summary(cold: dict, cold313: dict | None, rows: list, warm_run: warm.WarmRun) -> str:
    """The goals of issue 5 against this run's figures."""
    lines = _cold_start_lines(cold, "")
    if cold313:
        lines += _cold_start_lines(cold313, "same on Python 3.13 (report only): ")
    over = [row for row in rows if not row.met]
    lines.append(["DynamoDB requests and items read per operation", "see figure 2",
                  f"{len(rows) - len(over)} of {len(rows)} within budget", _met(not over)])
    timings = warm_run.timings
    p50 = warm.percentile(timings["authorizer"], 0.5)
    lines.append(["warm authorizer, DynamoDB stubbed (p50)", f"< {warm.GOAL_AUTHORIZER_P50_US} µs",
                  f"{p50:.0f} µs (p99 {warm.percentile(timings['authorizer'], 0.99):.0f} µs)",
                  _met(p50 < warm.GOAL_AUTHORIZER_P50_US)])
    return table(["figure", "goal", "this run", "met"], lines)


def _cold_start_lines(cold: dict, prefix: str) -> list[list[str]]:
    """The authorizer's ratio and the worst of the other functions' (floors have no goal)."""
    authorizer = cold[cold_start.AUTHORIZER]["ratio"]
    others = {name: figures["ratio"] for name, figures in cold.items()
              if figures["goal"] is not None and name != cold_start.AUTHORIZER}
    worst = max(others, key=others.get)
    return [
        [f"{prefix}cold start, authorizer (init ratio to boto3)", f"<= {cold_start.GOALS[cold_start.AUTHORIZER]}",
         f"{authorizer:.2f}", _met(authorizer <= cold_start.GOALS[cold_start.AUTHORIZER])],
        [f"{prefix}cold start, other functions (worst)", f"<= {cold_start.DEFAULT_GOAL}",
         f"{others[worst]:.2f} ({worst})", _met(others[worst] <= cold_start.DEFAULT_GOAL)],
    ]


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--before", metavar="REF")
    parser.add_argument("--source-only", action="store_true")
    parser.add_argument("--no-py313", action="store_true")
    args = parser.parse_args(argv)
    write = [] if args.quick else ["--write"]
    runs = ["--runs", "3" if args.quick else "21"]

    cold = cold_start.main([*runs, *write])
    cold313 = None
    py313 = None if args.no_py313 else python313()
    if py313:
        cold313 = cold_start.main([*runs, "--python", py313, "--section", "cold_start_313", *write])
    if args.before:
        with worktree(args.before) as before:
            for python, section in ((sys.executable, "cold_start_before_after"),
                                    (py313, "cold_start_before_after_313")):
                if python:
                    cold_start.main([*runs, "--python", python, "--compare", str(before), "--section", section,
                                     *write])
    if args.source_only and py313:
        cold_start.main([*runs, "--python", py313, "--source-only", "--section", "cold_start_source_only", *write])

    rows = request_counts.main(["--sizes", "10", "100", "1000", *write])
    calls = ["--calls", "500" if args.quick else "5000", "--warmup", "100" if args.quick else "500"]
    warm_run = warm.main([*calls, *write])
    # The same number of calls (and so of warm-up calls) as bench.cost run alone: its printed command reproduces it.
    cost.main([calls[0], calls[1], *write], warm_run=warm_run)
    throughput.main(["--requests", "100" if args.quick else "600", "--seconds", "5" if args.quick else "20",
                     *write])
    emit("summary", " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])]),
         summary(cold, cold313, rows, warm_run), bool(write))


if __name__ == "__main__":
    main()
