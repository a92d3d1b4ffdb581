"""The local DynamoDB endpoint (moto's server on loopback, or one you name) and the template's tables."""

from __future__ import annotations

import logging
import os
from typing import Any

import boto3

from local_runner.moto_atomic import make_moto_dynamodb_atomic
from local_runner.template import PSEUDO_PARAMETERS, Template, create_table_kwargs, table_logical_ids

DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class LocalDynamoDB:
    """moto's server when no endpoint is given (data lives as long as the process), else that endpoint."""

    def __init__(self, endpoint: str | None = None, host: str = "127.0.0.1"):
        self.endpoint = endpoint
        self.is_moto = endpoint is None
        self._host = host
        self._server: Any = None
        # Another endpoint may be a real table: use the caller's credentials and region for it.
        self._session = None if self.is_moto else boto3.Session()
        self.region = (self._session and self._session.region_name) or PSEUDO_PARAMETERS["AWS::Region"]

    def start(self) -> LocalDynamoDB:
        if self.is_moto and self._server is None:
            from moto.server import ThreadedMotoServer  # imported here: it loads Flask, only moto needs it

            make_moto_dynamodb_atomic()
            logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not one line per DynamoDB call
            self._server = ThreadedMotoServer(ip_address=self._host, port=0, verbose=False)
            self._server.start()
            host, port = self._server.get_host_and_port()
            self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> LocalDynamoDB:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def aws_environment(self) -> dict[str, str]:
        """Region, credentials and endpoints for the functions' environments."""
        if not self.endpoint:
            raise RuntimeError("start() the local DynamoDB first")
        environment = {
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint,
            # No ~/.aws profile: its settings must not send a local function to other endpoints.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            **self._credentials(),
        }
        if self.is_moto:
            environment["AWS_ENDPOINT_URL"] = self.endpoint  # moto answers SSM, SQS, ... too: nothing reaches AWS
        return environment

    def client(self, service: str = "dynamodb") -> Any:
        """A client of this endpoint (with moto, of any service it emulates: "ssm", ...)."""
        credentials = self._credentials()
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=self.region,
            aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=credentials.get("AWS_SESSION_TOKEN"),
        )

    def create_tables(self, template: Template) -> list[str]:
        """Create the template's tables that do not exist yet; returns the names created."""
        client = self.client()
        created = []
        for logical_id in table_logical_ids(template):
            kwargs = create_table_kwargs(template, logical_id)
            if _table_exists(client, kwargs["TableName"]):
                continue
            client.create_table(**kwargs)
            client.get_waiter("table_exists").wait(TableName=kwargs["TableName"],
                                                   WaiterConfig={"Delay": 1, "MaxAttempts": 120})
            created.append(kwargs["TableName"])
        return created

    def _credentials(self) -> dict[str, str]:
        found = self._session.get_credentials() if self._session else None
        if found is None:  # moto and DynamoDB Local accept any
            return dict(DUMMY_CREDENTIALS)
        frozen = found.get_frozen_credentials()
        credentials = {"AWS_ACCESS_KEY_ID": frozen.access_key, "AWS_SECRET_ACCESS_KEY": frozen.secret_key}
        if frozen.token:
            credentials["AWS_SESSION_TOKEN"] = frozen.token
        return credentials


def _table_exists(client: Any, name: str) -> bool:
    try:
        client.describe_table(TableName=name)
    except client.exceptions.ResourceNotFoundException:
        return False
    return True
