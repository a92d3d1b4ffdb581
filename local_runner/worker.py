"""One Lambda execution environment: a process that imports one function's handler and runs it.

Started by runtime.py with multiprocessing's "spawn", so it shares no modules with the runner or
with other functions (each function has its own `app` module, as in Lambda). Imports only the
standard library before the handler, so the handler sees what it would see on Lambda: its code
folder and its layers on sys.path, its own environment variables, a context object.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any


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


def serve(spec: dict[str, Any], conn: Connection) -> None:
    """Process entry point: set up the environment, import the handler, answer requests until closed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the runner stops us
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # handler logs go to stderr: stdout is the runner's
    os.environ.clear()
    os.environ.update(spec["environment"])
    runtime_paths = [p for p in sys.path if _is_runtime_path(p)]
    sys.path[:] = [*spec["paths"], *runtime_paths]  # /var/task, /opt/python..., then the runtime's own
    os.chdir(spec["code_uri"])  # Lambda's working directory is the code folder

    handler, init_error = _init(spec["handler"])
    while True:  # one invocation at a time, until the runner closes the pipe or sends None
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        conn.send(_run(request, spec, handler, init_error))


def _is_runtime_path(path: str) -> bool:
    # Keep the interpreter's stdlib and site-packages (the stand-in for the runtime's boto3 and the
    # layer's installed requirements); drop the project root and anything else the runner had.
    resolved = str(Path(path or ".").resolve())
    return any(resolved.startswith(prefix) for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix})


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


def _run(request: dict[str, Any], spec: dict[str, Any], handler: Any,
         init_error: dict[str, Any] | None) -> dict[str, Any]:
    """Run one request; the answer is {"result": <JSON text>} or {"error": {errorType, errorMessage}}."""
    if request["kind"] == "call":  # a layer function, run in this function's environment (provisioning)
        module_name, _, function_name = request["target"].rpartition(".")
        target = None
        try:
            target = getattr(importlib.import_module(module_name), function_name)
        except Exception as error:
            return {"error": _error(error)}
        return _answer(lambda: _jsonable(target(**request["kwargs"])))
    if init_error:
        return {"error": init_error}
    context = LambdaContext(spec, request["request_id"], request["deadline"])
    return _answer(lambda: handler(request["event"], context))


def _answer(call: Any) -> dict[str, Any]:
    try:
        result = call()
    except Exception as error:
        return {"error": _error(error)}
    try:
        return {"result": json.dumps(result)}  # Lambda serializes the result as JSON, so do we
    except (TypeError, ValueError) as error:
        return {"error": {"errorType": "Runtime.MarshalError", "errorMessage": str(error)}}


def _error(error: Exception, error_type: str | None = None) -> dict[str, Any]:
    # The function's frames only, not this module's, in the form Lambda writes to the function's log.
    stack = traceback.format_list([f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__])
    print(f"[ERROR] {type(error).__name__}: {error}\nTraceback (most recent call last):\n{''.join(stack)}",
          file=sys.stderr, flush=True)
    return {"errorType": error_type or type(error).__name__, "errorMessage": str(error), "stackTrace": stack}


def _jsonable(value: Any) -> Any:
    """A use case may return a pydantic model or a dataclass; the runner needs plain JSON."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json.loads(json.dumps(dataclasses.asdict(value), default=str))
    return value
