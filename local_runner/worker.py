"""One Lambda execution environment: `python -m local_runner.worker`, running one function's handler.

Started by runtime.py as a fresh interpreter, so it shares no modules with the runner or with other
functions (each function has its own `app` module, as in Lambda). Imports only the standard library
before the handler, so the handler sees what it would see on Lambda: its code folder and its layers
on sys.path, its own environment variables, a context object.

Protocol, one JSON document per line (JSON in, JSON out, like Lambda's runtime API): the first line
on stdin is the function's spec; then each line is a request, answered by one line on the original
stdout: {"result": ...} or {"error": {"errorType", "errorMessage", "stackTrace"}}. EOF ends it.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any


class LambdaContext:
    """The attributes and method of Lambda's Python context object that handlers and Powertools use."""

    def __init__(self, spec: dict[str, Any], request_id: str, deadline: float):
        self.function_name = spec["name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = spec["arn"]
        self.memory_limit_in_mb = spec["memory_size"]
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{spec['name']}"
        self.log_stream_name = f"local/{os.getpid()}"
        self._deadline = deadline  # epoch seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.time()) * 1000))


def main() -> None:
    # The pipes are the runner's channel; the function gets /dev/null for stdin and stderr for stdout,
    # so its logs (print, Powertools) never mix with answers and reach the terminal like Lambda's logs.
    requests = os.fdopen(os.dup(sys.stdin.fileno()), "r", encoding="utf-8")
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    with open(os.devnull, "rb") as devnull:
        os.dup2(devnull.fileno(), sys.stdin.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(json.loads(requests.readline() or "null"), requests, answers)


def serve(spec: dict[str, Any] | None, requests: IO[str], answers: IO[str]) -> None:
    """Set up the environment, import the handler, answer requests until EOF."""
    if spec is None:
        return
    os.environ.clear()
    os.environ.update(spec["environment"])
    runtime_paths = [p for p in sys.path if _is_runtime_path(p)]
    sys.path[:] = [*spec["paths"], *runtime_paths]  # /var/task, /opt/python..., then the runtime's own
    os.chdir(spec["code_uri"])  # Lambda's working directory is the code folder

    handler, init_error = _init(spec["handler"])
    for line in requests:  # one invocation at a time, until the runner closes the pipe
        answers.write(_run(json.loads(line), spec, handler, init_error) + "\n")
        answers.flush()


def _is_runtime_path(path: str) -> bool:
    # Keep the interpreter's stdlib and site-packages (the stand-in for the runtime's boto3 and the
    # layer's installed requirements); drop the project root and anything else the runner had.
    resolved = Path(path or ".").resolve()
    prefixes = {Path(prefix).resolve() for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    return any(resolved.is_relative_to(prefix) for prefix in prefixes)


def _init(handler_name: str) -> tuple[Any, dict[str, Any] | None]:
    """Import the handler as Lambda does; an error is reported on every invocation, like Lambda's."""
    module_name, _, function_name = handler_name.rpartition(".")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except Exception as error:
        return None, _error(error, "Runtime.ImportModuleError")
    handler = getattr(module, function_name, None)
    if not callable(handler):
        return None, {"errorType": "Runtime.HandlerNotFound",
                      "errorMessage": f"Handler '{function_name}' missing on module '{module_name}'"}
    return handler, None


def _run(request: dict[str, Any], spec: dict[str, Any], handler: Any, init_error: dict[str, Any] | None) -> str:
    """Run one request; the answer as a JSON line."""
    if init_error:
        return json.dumps({"error": init_error})
    context = LambdaContext(spec, request["request_id"], request["deadline"])
    return _answer(lambda: handler(request["event"], context))


def _answer(call: Any) -> str:
    try:
        result = call()
    except Exception as error:
        return json.dumps({"error": _error(error)})
    try:
        return json.dumps({"result": result})  # Lambda serializes the result as JSON, so do we
    except (TypeError, ValueError) as error:
        return json.dumps({"error": {"errorType": "Runtime.MarshalError", "errorMessage": str(error)}})


def _error(error: Exception, error_type: str | None = None) -> dict[str, Any]:
    # The function's frames only, not this module's, in the form Lambda writes to the function's log.
    stack = traceback.format_list([f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__])
    print(f"[ERROR] {type(error).__name__}: {error}\nTraceback (most recent call last):\n{''.join(stack)}",
          file=sys.stderr, flush=True)
    return {"errorType": error_type or type(error).__name__, "errorMessage": str(error), "stackTrace": stack}


if __name__ == "__main__":
    main()
