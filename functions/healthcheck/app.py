"""GET /api/v1/healthcheck: no auth, no database; says the API and its functions answer."""

from credentials_service.startup import loading

# Everything this module loads and creates, without the GC's passes (see credentials_service/startup.py).
with loading():
    from credentials_service.http.api import build_resolver, respond
    from credentials_service.observability import API_REQUEST_ID, logger

    app = build_resolver()


@app.get("/api/v1/healthcheck")
def healthcheck_route():
    return respond(app, 200, {"status": "healthy", "service": "scheduler0-credentials"})


@logger.inject_lambda_context(correlation_id_path=API_REQUEST_ID, log_event=False)
def lambda_handler(event: dict, context: object) -> dict:
    return app.resolve(event, context)
