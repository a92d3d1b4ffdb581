"""`python -m local_runner run`: local DynamoDB, the functions, the API and a demo account, until Ctrl-C."""

from __future__ import annotations

import shlex
import signal
import sys
import threading
from contextlib import ExitStack
from typing import Any

from local_runner.api import LocalApi, make_server
from local_runner.dynamodb import LocalDynamoDB
from local_runner.operator import OperatorLogin, seed_operator
from local_runner.provision import ProvisionedAccount, ProvisioningError, provision_account
from local_runner.runtime import LambdaRuntime
from local_runner.template import Template

SHUTDOWN_JOIN_SECONDS = 5


class LocalService:
    """Everything `run` starts, stopped in reverse order by stop(); the e2e tests use it too."""

    def __init__(self, template: Template, *, host: str = "127.0.0.1", port: int = 3000,
                 dynamodb_endpoint: str | None = None, pool_size: int = 4, log: Any = None):
        self.template = template
        self._host, self._port = host, port
        self._dynamodb_endpoint = dynamodb_endpoint
        self._pool_size = pool_size
        self._log = log
        self._stack = ExitStack()

    def start(self) -> LocalService:
        try:
            self.dynamodb = self._stack.enter_context(LocalDynamoDB(self._dynamodb_endpoint))
            self.created_tables = self.dynamodb.create_tables(self.template)
            self.operator = seed_operator(self.template, self.dynamodb)
            self.runtime = self._stack.enter_context(
                LambdaRuntime(self.template, self.dynamodb.aws_environment(), self._pool_size))
            self.server = make_server(LocalApi(self.template, self.runtime.invoke), self._host, self._port, self._log)
            self._stack.callback(self.server.server_close)
            thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name="local-api", daemon=True)
            thread.start()
            self._stack.callback(thread.join, SHUTDOWN_JOIN_SECONDS)
            self._stack.callback(self.server.shutdown)  # runs first: stop accepting, then the rest
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self._stack.close()

    def __enter__(self) -> LocalService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104 - comparing, not binding
        return f"http://{host}:{port}"

    def provision(self, account_id: int, created_by: str = "local-runner") -> ProvisionedAccount:
        return provision_account(self.template, self.runtime, account_id, created_by)


def run(template: Template, *, host: str, port: int, dynamodb_endpoint: str | None, account_id: int,
        pool_size: int) -> int:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    service = LocalService(template, host=host, port=port, dynamodb_endpoint=dynamodb_endpoint,
                           pool_size=pool_size, log=lambda line: print(f"[local-api] {line}", file=sys.stderr))
    try:
        service.start()
        account = service.provision(account_id)
        print(banner(service, account), flush=True)
        while not stop.wait(0.5):  # until Ctrl-C or SIGTERM
            pass
    except OSError as error:
        print(f"local runner: {error} (is the port {port} in use? try --port)", file=sys.stderr)
        return 1
    except ProvisioningError as error:
        print(f"local runner: {error}", file=sys.stderr)
        return 1
    finally:
        service.stop()
    print("stopped", file=sys.stderr)
    return 0


def banner(service: LocalService, account: ProvisionedAccount) -> str:
    """What a new user needs: where the API is, a working credential, and two ways to use it."""
    base_url = service.base_url
    database = f"{service.dynamodb.endpoint} ({'moto, in memory' if service.dynamodb.is_moto else 'yours'})"
    curl = " ".join([
        "curl -s", shlex.quote(f"{base_url}/api/v1/credentials"),
        "-H", shlex.quote(f"X-API-Key: {account.api_key}"),
        "-H", shlex.quote(f"X-Secret-Key: {account.secret}"),
        "-H", shlex.quote(f"X-Account-ID: {account.account_id}"),
    ])
    return f"""
Scheduler0 credentials service, running locally
  Base URL:   {base_url}
  Account ID: {account.account_id}
  API key:    {account.api_key}
  Secret:     {account.secret}
  DynamoDB:   {database}

Try it:
  {curl}

Or with the scheduler0 Python client:
  from scheduler0 import Client
  client = Client(base_url="{base_url}", api_key="{account.api_key}",
                  api_secret="{account.secret}", account_id="{account.account_id}")
  print(client.list_credentials())
{operator_lines(service.operator, base_url, account.account_id)}
Press Ctrl-C to stop.
"""


def operator_lines(login: OperatorLogin | None, base_url: str, account_id: int) -> str:
    if login is None:
        return "\nOperator Basic auth: not configured locally.\n"
    curl = " ".join([
        "curl -s", shlex.quote(f"{base_url}/api/v1/credentials"),
        "-u", shlex.quote(f"{login.username}:{login.password}"),
        "-H", shlex.quote("X-Peer: cmd"), "-H", shlex.quote(f"X-Account-ID: {account_id}"),
    ])
    return f"""
Operator (self-hosting) Basic auth, acting on any account:
  Username:   {login.username}
  Password:   {login.password}
  {curl}
"""
