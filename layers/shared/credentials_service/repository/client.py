"""One DynamoDB client per Lambda environment, created on first use."""

import logging
from functools import cache
from typing import Any

# botocore's DEBUG output holds request and response bodies, and so secret hashes: never below INFO,
# whatever level the function's root logger is given.
logging.getLogger("botocore").setLevel(logging.INFO)

# Standard retry mode retries throttling, 5xx and timeouts with backoff. Three attempts of at most
# 1 + 2 s keep the worst case (~9 s) inside the functions' 15 s timeout: a stalled DynamoDB is then
# our 503, never a Lambda timeout (API Gateway's 502).
_RETRIES = {"mode": "standard", "total_max_attempts": 3}


@cache
def dynamodb_client() -> Any:
    import boto3
    from botocore.config import Config

    # AWS_ENDPOINT_URL_DYNAMODB (set by the local runner and tests) points it at moto.
    return boto3.client(
        "dynamodb",
        config=Config(retries=_RETRIES, connect_timeout=1, read_timeout=2, tcp_keepalive=True),
    )
