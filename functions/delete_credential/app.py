"""DELETE /api/v1/credentials/{id}: soft delete, kept for audit, never authenticates again."""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from aws_lambda_powertools.metrics import MetricUnit

    from credentials_service.http.api import body, build_resolver, credential_id, principal, respond
    from credentials_service.models.delete import DeleteCredentialRequest
    from credentials_service.observability import API_REQUEST_ID, logger, metrics
    from credentials_service.repository.client import dynamodb_client
    from credentials_service.repository.credentials import CredentialRepository
    from credentials_service.usecases.credentials import delete_credential

    app = build_resolver()
    dynamodb_client()  # cached; created at init, not in the first request


@app.delete("/api/v1/credentials/<id>")
def delete_route(id: str):  # noqa: A002 - the path parameter's name in template.yaml
    caller = principal(app)
    delete_credential(caller, credential_id(id), body(app, DeleteCredentialRequest), CredentialRepository())
    metrics.add_metric(name="CredentialsDeleted", unit=MetricUnit.Count, value=1)
    return respond(app, 204)


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID, log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
