"""The integration fixtures (a provisioned caller, the in-process gateway, every function's environment)."""

from tests.integration.conftest import caller, dynamodb_calls, function_env, gateway  # noqa: F401 - fixtures

__all__ = ["caller", "function_env", "gateway"]
