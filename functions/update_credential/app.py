"""PUT /api/v1/credentials/{id}: record who modified it, and archive or un-archive it."""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from credentials_service.http.api import body, build_resolver, credential_id, principal, respond
    from credentials_service.models.update import UpdateCredentialRequest
    from credentials_service.models.views import CredentialView
    from credentials_service.observability import API_REQUEST_ID, logger
    from credentials_service.repository.client import dynamodb_client
    from credentials_service.repository.credentials import CredentialRepository
    from credentials_service.usecases.credentials import update_credential

    app = build_resolver()
    dynamodb_client()  # cached; created at init, not in the first request


@app.put("/api/v1/credentials/<id>")
def update_route(id: str):  # noqa: A002 - the path parameter's name in template.yaml
    caller = principal(app)
    updated = update_credential(caller, credential_id(id), body(app, UpdateCredentialRequest), CredentialRepository())
    return respond(app, 200, CredentialView.of(updated).to_json_dict())


@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID, log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
