"""One DynamoDB client per Lambda environment, created on first use."""

import logging
from functools import cache
from typing import Any

# botocore's DEBUG output holds request and response bodies, and so secret hashes: never below INFO,
# whatever level the function's root logger is given.
logging.getLogger("botocore").setLevel(logging.INFO)

# Standard retry mode retries throttling and 5xx with backoff; short timeouts keep a slow
# dependency from eating the API Gateway's 29 s.
_RETRIES = {"mode": "standard", "max_attempts": 3}


@cache
def dynamodb_client() -> Any:
    import boto3
    from botocore.config import Config

    # AWS_ENDPOINT_URL_DYNAMODB (set by the local runner and tests) points it at moto.
    return boto3.client(
        "dynamodb",
        config=Config(retries=_RETRIES, connect_timeout=2, read_timeout=5, tcp_keepalive=True),
    )
