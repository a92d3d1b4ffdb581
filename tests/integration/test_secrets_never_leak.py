"""No secret, secret hash, X-Secret-Key or Authorization value in any log line or later response."""

import hashlib
import json
import logging

from credentials_service.domain import secrets
from tests.support.callers import Caller


def test_a_full_flow_logs_no_secret_and_returns_it_only_once(gateway, caller, capfd, caplog):
    from credentials_service.observability import logger

    logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    wrong = secrets.generate_secret()
    responses = []

    created = gateway.request("POST", "/api/v1/credentials", caller.headers, {"createdBy": "alice"})
    secret = created.body["data"]["plaintextSecret"]
    new = Caller(caller.account_id, created.body["data"]["apiKey"], secret)
    responses.append(gateway.request("GET", "/api/v1/credentials", new.headers))
    responses.append(gateway.request("GET", "/api/v1/credentials", {**new.headers, "X-Secret-Key": wrong}))
    responses.append(gateway.request("POST", "/api/v1/credentials", new.headers, {"createdBy": ""}))
    responses.append(gateway.request("POST", "/api/v1/credentials/1/archive", new.headers, {"archivedBy": "alice"}))
    responses.append(gateway.request("GET", "/api/v1/credentials", caller.headers))  # archived: 401

    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "authorization decided" in logged  # the logs were captured at all
    for value in (secret, caller.secret, wrong):
        for shown in (value, value[5:30], hashlib.sha256(value.encode()).hexdigest()):
            assert shown not in logged
            for response in responses:
                assert shown not in json.dumps(response.body)
    assert [r.status for r in responses] == [200, 401, 400, 204, 401]
