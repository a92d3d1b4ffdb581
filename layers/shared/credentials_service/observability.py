"""Powertools Logger, Tracer and Metrics, configured by POWERTOOLS_* environment variables."""

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
tracer = Tracer()
metrics = Metrics()
API_REQUEST_ID = correlation_paths.API_GATEWAY_REST
