"""GET /api/v1/healthcheck: no auth, no database; says the API and its functions answer."""

from credentials_service.http.api import build_resolver, respond
from credentials_service.observability import API_REQUEST_ID, logger

app = build_resolver()


@app.get("/api/v1/healthcheck")
def healthcheck_route():
    return respond(app, 200, {"status": "healthy", "service": "scheduler0-credentials"})


@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
