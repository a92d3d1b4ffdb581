"""Powertools Logger and Metrics, configured by POWERTOOLS_* environment variables.

No Powertools Tracer: importing the X-Ray SDK costs more than a cold start's whole budget (see
docs/performance.md); the functions' `Tracing: Active` still traces every invocation.
"""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
metrics = Metrics()
API_REQUEST_ID = correlation_paths.API_GATEWAY_REST
