"""docs/openapi.yaml describes the contract, and stays equal to the routes of template.yaml."""

from pathlib import Path

import pytest
import yaml

from credentials_service.domain.ids import MAX_ID
from credentials_service.models.listing import MAX_LIMIT, MAX_OFFSET, ORDER_BY_FIELDS
from credentials_service.models.update import IMMUTABLE_FIELDS
from local_runner.template import load_template

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "docs" / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
ERROR_STATUSES = {"400", "401", "403", "404", "409", "413", "429", "503"}
CREDENTIAL_FIELDS = {"id", "accountId", "archived", "apiKey", "dateCreated", "dateModified", "dateDeleted",
                     "createdBy", "modifiedBy", "deletedBy", "archivedBy", "expiresAt", "scopes"}


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


@pytest.fixture(scope="module")
def routes():
    return load_template(ROOT / "template.yaml").routes


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def deref(spec: dict, node: dict) -> dict:
    """Follow local $refs until a node without one."""
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_the_spec_is_valid_openapi_3_0(spec):
    validator = pytest.importorskip("openapi_spec_validator")
    assert spec["openapi"] == "3.0.3"
    validator.validate(spec)


def test_the_spec_has_exactly_the_routes_of_the_template(spec, routes):
    documented = {(method, path) for method, path, _ in operations(spec)}
    deployed = {(route.method, route.path) for route in routes}
    assert documented == deployed


def test_only_the_healthcheck_is_without_security(spec, routes):
    default = spec["security"]
    unauthenticated_in_spec = {(method, path) for method, path, operation in operations(spec)
                               if operation.get("security", default) == []}
    unauthenticated_in_template = {(route.method, route.path) for route in routes if route.authorizer is None}
    assert unauthenticated_in_spec == unauthenticated_in_template == {("GET", "/api/v1/healthcheck")}


def test_the_security_schemes_are_the_contracts(spec):
    schemes = spec["components"]["securitySchemes"]
    headers = {scheme["name"] for scheme in schemes.values() if scheme["type"] == "apiKey"}
    assert headers == {"X-API-Key", "X-Secret-Key", "X-Account-ID", "X-Peer"}
    assert all(scheme["in"] == "header" for scheme in schemes.values() if scheme["type"] == "apiKey")
    assert [s["scheme"] for s in schemes.values() if s["type"] == "http"] == ["basic"]
    by_header = {scheme.get("name", scheme.get("scheme")): name for name, scheme in schemes.items()}
    key_and_secret = {by_header["X-API-Key"], by_header["X-Secret-Key"], by_header["X-Account-ID"]}
    operator = {by_header["basic"], by_header["X-Peer"], by_header["X-Account-ID"]}
    assert [set(requirement) for requirement in spec["security"]] == [key_and_secret, operator]


def test_path_parameters_are_declared_and_are_positive_int64(spec):
    for method, path, operation in operations(spec):
        declared = {p["name"]: p for p in map(lambda p: deref(spec, p), operation.get("parameters", []))
                    if p["in"] == "path"}
        in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert set(declared) == in_path, (method, path)
        for parameter in declared.values():
            assert parameter["required"] is True
            assert parameter["schema"] == {"type": "integer", "format": "int64", "minimum": 1,
                                           "maximum": MAX_ID}


def test_every_authenticated_operation_documents_the_contracts_errors(spec):
    for method, path, operation in operations(spec):
        if operation.get("security") == []:
            continue
        statuses = set(operation["responses"])
        expected = {"400", "401", "403", "429", "503"}
        if "{id}" in path:
            expected.add("404")
        if method != "GET":
            expected |= {"409", "413"}
        assert expected <= statuses <= ERROR_STATUSES | {"200", "201", "204"}, (method, path, statuses)
        for status in statuses & ERROR_STATUSES:
            response = deref(spec, operation["responses"][status])
            schema = deref(spec, response["content"]["application/json"]["schema"])
            assert schema == spec["components"]["schemas"]["Error"]
            assert "X-Request-Id" in response["headers"]


def test_successes_are_the_envelope_204_has_no_body(spec):
    expected = {("GET", "/api/v1/credentials"): "200", ("POST", "/api/v1/credentials"): "201",
                ("POST", "/api/v1/credentials/{id}/archive"): "204", ("GET", "/api/v1/credentials/{id}"): "200",
                ("PUT", "/api/v1/credentials/{id}"): "200", ("DELETE", "/api/v1/credentials/{id}"): "204",
                ("GET", "/api/v1/healthcheck"): "200"}
    for method, path, operation in operations(spec):
        success = [status for status in operation["responses"] if status.startswith("2")]
        assert success == [expected[(method, path)]], (method, path)
        response = deref(spec, operation["responses"][success[0]])
        if success[0] == "204":
            assert "content" not in response
            continue
        envelope = deref(spec, response["content"]["application/json"]["schema"])
        assert envelope["required"] == ["data", "success"] and envelope["additionalProperties"] is False
        assert deref(spec, envelope["properties"]["success"]) == {"type": "boolean", "enum": [True]}


def test_the_credential_schemas_have_every_field_and_only_create_has_the_secret(spec):
    schemas = spec["components"]["schemas"]
    credential, created = schemas["Credential"], schemas["CreatedCredential"]
    assert set(credential["properties"]) == set(credential["required"]) == CREDENTIAL_FIELDS
    assert set(created["properties"]) == set(created["required"]) == CREDENTIAL_FIELDS | {"plaintextSecret",
                                                                                          "apiSecret"}
    assert credential["additionalProperties"] is False and created["additionalProperties"] is False
    for name in CREDENTIAL_FIELDS:
        assert created["properties"][name] == credential["properties"][name]
    page = schemas["CredentialPage"]
    assert deref(spec, page["properties"]["credentials"]["items"]) is credential
    # The secret's schema is used by the 201 of create and nowhere else.
    text = SPEC_PATH.read_text()
    assert text.count("#/components/schemas/Secret\"") == 2
    assert text.count("#/components/schemas/CreatedCredential\"") == 1


def test_request_bodies_name_the_contracts_fields(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["CreateCredentialRequest"]["required"] == ["createdBy"]
    assert set(schemas["CreateCredentialRequest"]["properties"]) == {"createdBy", "scopes", "expiresInSeconds",
                                                                     "archived"}
    assert schemas["ArchiveCredentialRequest"]["required"] == ["archivedBy"]
    assert schemas["DeleteCredentialRequest"]["required"] == ["deletedBy"]
    assert schemas["UpdateCredentialRequest"]["required"] == ["modifiedBy"]
    forbidden = {branch["required"][0] for branch in schemas["UpdateCredentialRequest"]["not"]["anyOf"]}
    assert forbidden == set(IMMUTABLE_FIELDS)
    listing = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/credentials"]["get"]["parameters"]}
    assert listing["orderBy"]["enum"] == list(ORDER_BY_FIELDS)
    assert listing["limit"]["maximum"] == MAX_LIMIT and listing["offset"]["maximum"] == MAX_OFFSET
