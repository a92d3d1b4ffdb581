"""`python -m local_runner invoke FUNCTION -e events/x.json`: `sam local invoke`, without Docker.

Prints the function's result as JSON; on a function error prints Lambda's error payload and exits 1.
Without --dynamodb-endpoint the function talks to a fresh in-memory moto server with the template's
tables; point it at `run`'s endpoint (it prints it) to invoke against the running service's data.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from local_runner.dynamodb import LocalDynamoDB
from local_runner.runtime import LambdaRuntime
from local_runner.template import Template


def invoke(template: Template, function_id: str, event: Any, dynamodb_endpoint: str | None = None) -> int:
    if function_id not in template.functions:
        print(f"no function {function_id!r} in {template.path.name}; there are: "
              f"{', '.join(sorted(template.functions))}", file=sys.stderr)
        return 2
    with LocalDynamoDB(dynamodb_endpoint) as dynamodb:
        dynamodb.create_tables(template)
        with LambdaRuntime(template, dynamodb.aws_environment(), pool_size=1) as runtime:
            invocation = runtime.invoke(function_id, event)
    print(json.dumps(invocation.result if invocation.ok else invocation.error, indent=2))
    return 0 if invocation.ok else 1


def read_event(path: str | None) -> Any:
    """The event file's JSON; "-" reads standard input; no file is an empty event, as in SAM."""
    if path is None:
        return {}
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    return json.loads(text)
