"""POST /api/v1/credentials: a new credential; its secret is in this response and nowhere else."""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from aws_lambda_powertools.metrics import MetricUnit

    from credentials_service.http.api import body, build_resolver, principal, respond
    from credentials_service.models.create import CreateCredentialRequest, CreatedCredentialView
    from credentials_service.observability import API_REQUEST_ID, logger, metrics
    from credentials_service.repository.client import dynamodb_client
    from credentials_service.repository.credentials import CredentialRepository
    from credentials_service.usecases.credentials import create_credential

    app = build_resolver()
    dynamodb_client()  # cached; created at init, not in the first request


@app.post("/api/v1/credentials")
def create_route():
    caller = principal(app)
    created = create_credential(caller, body(app, CreateCredentialRequest), CredentialRepository())
    metrics.add_metric(name="CredentialsCreated", unit=MetricUnit.Count, value=1)
    return respond(app, 201, CreatedCredentialView.with_secret(created.credential, created.secret).to_json_dict())


@metrics.log_metrics
@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID, log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
