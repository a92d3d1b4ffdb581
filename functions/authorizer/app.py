"""REQUEST authorizer: API key + secret, or operator Basic auth, for every credentials route."""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from aws_lambda_powertools.metrics import MetricUnit

    from credentials_service.auth.authorizer import authenticate
    from credentials_service.auth.headers import Headers
    from credentials_service.auth.operator_config import ssm_operator_credentials
    from credentials_service.auth.outcome import UNAVAILABLE
    from credentials_service.auth.policy import allow
    from credentials_service.config import settings
    from credentials_service.domain import clock
    from credentials_service.observability import API_REQUEST_ID, logger, metrics
    from credentials_service.repository.credentials import CredentialRepository

    repository = CredentialRepository()
    config = settings()
    read_operator = (
        ssm_operator_credentials(config.operator_credentials_parameter) if config.operator_auth_enabled else None
    )


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID, log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    result = authenticate(Headers(event), repository.find_key_lookup, read_operator, clock.now())
    metrics.add_dimension(name="Outcome", value=result.reason)
    metrics.add_metric(name="Authorizations", unit=MetricUnit.Count, value=1)
    logger.info("authorization decided", extra={"outcome": result.reason})
    if result.is_unauthorized:
        raise Exception("Unauthorized")  # noqa: TRY002 - the exact error API Gateway turns into a 401
    if result.reason == UNAVAILABLE and config.authorizer_cache_enabled:
        raise RuntimeError("credential store unavailable")  # a 503 gateway response, never a cached Allow
    return allow(result, event["methodArn"], config.authorizer_cache_enabled)
