"""Turn pydantic errors and raw bodies into the API's one-line 400 messages."""

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from credentials_service.errors import InvalidRequest, PayloadTooLarge

MAX_BODY_BYTES = 16 * 1024
Model = TypeVar("Model", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "bool_type": "a boolean",
    "list_type": "a list of strings",
    "model_type": "a JSON object",
    "dict_type": "a JSON object",
}


def _field(error: dict[str, Any]) -> str:
    return ".".join(str(part) for part in error["loc"]) or "request body"


def describe(error: ValidationError) -> str:
    """The first problem, naming the field as the client spelled it."""
    first = error.errors(include_url=False)[0]
    field, kind = _field(first), first["type"]
    if kind == "missing":
        return f"{field} is required"
    if kind in _TYPE_NAMES:
        return f"{field} must be {_TYPE_NAMES[kind]}"
    if kind == "string_too_short":
        return f"{field} must not be empty"
    if kind == "string_too_long":
        return f"{field} must be at most {first['ctx']['max_length']} characters"
    if kind == "value_error":
        reason = str(first["ctx"]["error"])
        return f"{field}: {reason}" if first["loc"] else reason
    return f"{field}: {first['msg']}"


def parse_body(model: type[Model], raw: str | None) -> Model:
    if raw is not None and len(raw.encode("utf-8", "surrogatepass")) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"request body must be at most {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(raw) if raw and raw.strip() else {}
    except (ValueError, RecursionError):
        raise InvalidRequest("request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise InvalidRequest("request body must be a JSON object")
    return validate(model, data)


def validate(model: type[Model], data: dict[str, Any]) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidRequest(describe(error)) from None
