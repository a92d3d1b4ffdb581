"""The resolver every HTTP function uses, and the helpers its routes call.

Routes stay a few lines: take the principal, parse the input, call a use case, respond. Errors are
raised, never caught in a route: the handlers registered here turn them into the envelope.
"""

import json
from typing import Any, TypeVar

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from pydantic import BaseModel

from credentials_service.domain.ids import parse_id
from credentials_service.domain.principal import Principal
from credentials_service.errors import CredentialsError, InvalidRequest
from credentials_service.http.errors import status_of
from credentials_service.http.principal import authorized_principal
from credentials_service.models.validation import parse_body
from credentials_service.observability import logger

Model = TypeVar("Model", bound=BaseModel)


def _headers(app: APIGatewayRestResolver, with_body: bool) -> dict[str, str]:
    headers = {"X-Request-Id": app.current_event.request_context.request_id or ""}
    if with_body:
        headers["Content-Type"] = "application/json"
    return headers


def respond(app: APIGatewayRestResolver, status: int, data: Any = None) -> Response:
    """The contract's envelope; 204 has no body."""
    if status == 204:
        return Response(status_code=204, body=None, headers=_headers(app, with_body=False))
    body = json.dumps({"data": data, "success": 200 <= status < 300}, ensure_ascii=False)
    return Response(status_code=status, body=body, headers=_headers(app, with_body=True))


def build_resolver() -> APIGatewayRestResolver:
    app = APIGatewayRestResolver()

    @app.exception_handler(CredentialsError)
    def _domain_error(error: CredentialsError) -> Response:
        status = status_of(error)
        logger.info("request refused", extra={"status": status, "error": type(error).__name__})
        return respond(app, status, error.message)

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        logger.exception("unexpected error")
        return respond(app, 500, "internal server error")

    @app.not_found
    def _no_route(_: Exception) -> Response:
        return respond(app, 404, "route not found")

    return app


def principal(app: APIGatewayRestResolver) -> Principal:
    event = app.current_event
    return authorized_principal(event.raw_event.get("requestContext") or {}, event.http_method)


def body(app: APIGatewayRestResolver, model: type[Model]) -> Model:
    return parse_body(model, app.current_event.decoded_body)


def query(app: APIGatewayRestResolver) -> dict[str, str]:
    return dict(app.current_event.query_string_parameters or {})


def credential_id(raw: str) -> int:
    """Path ids are positive 64-bit integers; anything else is a 400, before any read."""
    parsed = parse_id(raw)
    if parsed is None:
        raise InvalidRequest("credential id must be a positive integer")
    return parsed
