"""Lambda, locally: each function of the template runs in its own worker processes (see worker.py).

A function gets a small pool of workers, started on first use, each serving one invocation at a
time, so concurrent requests run concurrently and a function keeps its module state between
invocations (warm starts), as on Lambda. A worker that times out or dies is replaced.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local_runner.template import Function, Template

LAMBDA_INIT_SECONDS = 10  # Lambda's limit for the init phase (imports), on top of the function's Timeout
STOP_GRACE_SECONDS = 2.0
_RUNNER_PARENT = str(Path(__file__).resolve().parents[1])  # where `local_runner` can be imported from


@dataclass(frozen=True)
class Invocation:
    result: Any = None
    error: dict[str, Any] | None = None  # {"errorType", "errorMessage", ...} as Lambda reports it

    @property
    def ok(self) -> bool:
        return self.error is None


class LambdaRuntime:
    """Invokes the template's functions by logical id."""

    def __init__(self, template: Template, aws_environment: dict[str, str], pool_size: int = 4):
        self._template = template
        self._aws_environment = aws_environment  # region, credentials, endpoints (see dynamodb.py)
        self._pool_size = pool_size
        self._pools: dict[str, _Pool] = {}
        self._lock = threading.Lock()
        self._closed = False

    def invoke(self, function_id: str, event: Any) -> Invocation:
        """Run the function's handler with this event, as Lambda's Invoke does."""
        function = self._template.functions[function_id]
        request = {"kind": "invoke", "event": event, "request_id": str(uuid.uuid4()),
                   "deadline": time.time() + function.timeout}
        return self._pool(function).run(request, function.timeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
        for pool in pools:
            pool.close()

    def __enter__(self) -> LambdaRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pool(self, function: Function) -> _Pool:
        with self._lock:
            if self._closed:
                raise RuntimeError("the Lambda runtime is closed")
            if function.logical_id not in self._pools:
                self._pools[function.logical_id] = _Pool(self._spec(function), self._pool_size)
            return self._pools[function.logical_id]

    def _spec(self, function: Function) -> dict[str, Any]:
        environment = {
            **function.environment,
            # Set by Lambda itself; a function cannot override them.
            "AWS_LAMBDA_FUNCTION_NAME": function.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
            "LAMBDA_TASK_ROOT": str(function.code_uri),
            "TZ": "UTC",
            # No X-Ray daemon locally: Powertools' Tracer and the X-Ray SDK it patches stay quiet.
            "POWERTOOLS_TRACE_DISABLED": "1",
            "AWS_XRAY_SDK_ENABLED": "false",
            **self._aws_environment,
        }
        return {
            "name": function.name,
            "arn": function.arn,
            "memory_size": function.memory_size,
            "handler": function.handler,
            "code_uri": str(function.code_uri),
            "paths": [str(function.code_uri), *(str(path) for path in function.layer_dirs)],
            "environment": environment,
        }


class _Worker:
    """One worker process: a fresh interpreter running local_runner/worker.py (see its protocol)."""

    def __init__(self, spec: dict[str, Any]):
        # Only what the interpreter needs to start; the worker installs the function's environment.
        environment = {"PATH": os.environ.get("PATH", os.defpath), "PYTHONPATH": _RUNNER_PARENT}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", "local_runner.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            env=environment, cwd=spec["code_uri"], text=True, encoding="utf-8",
            start_new_session=True,  # Ctrl-C in the terminal reaches the runner only; it stops the workers
        )
        self._send(spec)
        self.initialized = False

    def call(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """The worker's answer; TimeoutError if it takes too long, EOFError if the process died."""
        self._send(request)
        wait = timeout + (0 if self.initialized else LAMBDA_INIT_SECONDS)
        readable, _, _ = select.select([self.process.stdout], [], [], wait)
        if not readable:
            raise TimeoutError
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise EOFError
        self.initialized = True
        return json.loads(line)

    def _send(self, message: dict[str, Any]) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")  # type: ignore[union-attr]
        self.process.stdin.flush()  # type: ignore[union-attr]

    def ask_to_stop(self) -> None:
        with suppress(OSError, ValueError):
            self.process.stdin.close()  # type: ignore[union-attr]  # EOF: the worker's loop ends

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        self.ask_to_stop()
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_GRACE_SECONDS)
        with suppress(OSError, ValueError):
            self.process.stdout.close()  # type: ignore[union-attr]


class _Pool:
    """Up to `size` workers of one function; a request waits (bounded) when all are busy."""

    def __init__(self, spec: dict[str, Any], size: int):
        self._spec = spec
        self._size = size
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._changed = threading.Condition()
        self._closed = False

    def run(self, request: dict[str, Any], timeout: float) -> Invocation:
        worker_ = self._acquire(timeout)
        if worker_ is None:
            return Invocation(error={"errorType": "TooManyRequestsException",
                                     "errorMessage": f"all {self._size} environments of {self._spec['name']} are busy"})
        try:
            answer = worker_.call(request, timeout)
        except TimeoutError:
            self._discard(worker_)  # Lambda throws away an environment that timed out
            return Invocation(error={"errorType": "Sandbox.Timedout",
                                     "errorMessage": f"Task timed out after {timeout:.2f} seconds"})
        except (EOFError, OSError, ValueError):  # OSError: a broken pipe; ValueError: closed by close()
            self._discard(worker_)
            return Invocation(error={"errorType": "Runtime.ExitError",
                                     "errorMessage": "the function's process exited"})
        self._release(worker_)
        if "error" in answer:
            return Invocation(error=answer["error"])
        return Invocation(result=answer["result"])

    def close(self) -> None:
        with self._changed:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
            self._changed.notify_all()
        for worker_ in workers:  # ask all first, so the grace periods overlap
            worker_.ask_to_stop()
        for worker_ in workers:
            worker_.stop()

    def _acquire(self, timeout: float) -> _Worker | None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._closed and not self._idle and len(self._all) >= self._size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
            if self._closed:
                return None
            if self._idle:
                return self._idle.pop()  # the most recently used: the warmest
            new = _Worker(self._spec)  # start() only launches the interpreter; init runs in the child
            self._all.add(new)
            return new

    def _release(self, worker_: _Worker) -> None:
        with self._changed:
            if worker_ in self._all:
                self._idle.append(worker_)
                self._changed.notify()
                return
        worker_.stop()  # the pool was closed while it ran

    def _discard(self, worker_: _Worker) -> None:
        with self._changed:
            self._all.discard(worker_)
            self._changed.notify()
        worker_.stop(grace=0.1)
