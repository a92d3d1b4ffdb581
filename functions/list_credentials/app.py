"""GET /api/v1/credentials: a page of the account's active credentials."""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from credentials_service.http.api import build_resolver, principal, query, respond
    from credentials_service.models.listing import CredentialPage, ListCredentialsQuery
    from credentials_service.observability import API_REQUEST_ID, logger
    from credentials_service.repository.client import dynamodb_client
    from credentials_service.repository.credentials import CredentialRepository
    from credentials_service.usecases.credentials import list_credentials

    app = build_resolver()
    dynamodb_client()  # cached; created at init, not in the first request


@app.get("/api/v1/credentials")
def list_route():
    caller = principal(app)
    page = list_credentials(caller, ListCredentialsQuery.from_query(query(app)), CredentialRepository())
    return respond(app, 200, CredentialPage.of(page.total, page.offset, page.limit, page.credentials).to_json_dict())


@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID, log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
