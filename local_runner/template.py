"""template.yaml, resolved for local use: functions, routes, the authorizer, Gateway Responses, the table.

Only what the runner needs is resolved, with the subset of intrinsic functions our template uses:
Ref, Fn::GetAtt, Fn::Sub, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Join, Fn::Select,
Condition and AWS::NoValue. Physical names are local stand-ins: a resource's name is its logical id
unless told otherwise, ARNs use the pseudo parameters below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_runner.cfn_yaml import load_cfn_yaml

PSEUDO_PARAMETERS = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "local",
    "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/local/00000000-0000-0000-0000-000000000000",
    "AWS::NotificationARNs": [],
}
REST_API_ID = "localapi"
FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
LAYER_TYPES = ("AWS::Serverless::LayerVersion",)
API_TYPE = "AWS::Serverless::Api"


class TemplateError(ValueError):
    """The template uses something the local runner cannot resolve."""


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE = _NoValue()  # what !Ref AWS::NoValue resolves to; dropped from the enclosing dict or list


@dataclass(frozen=True)
class Function:
    logical_id: str
    name: str  # the physical name: FunctionName if the template sets one, else the logical id
    code_uri: Path
    handler: str  # "module.function", as Lambda reads it
    timeout: int
    memory_size: int
    environment: dict[str, str]  # Globals merged with the function's own, every value a string
    layer_dirs: tuple[Path, ...]  # what Lambda would put under /opt/python
    event_types: tuple[str, ...]  # "Api", "EventBridgeRule", ...

    @property
    def arn(self) -> str:
        return arn("lambda", f"function:{self.name}")


@dataclass(frozen=True)
class Route:
    method: str  # upper case; ANY matches every method
    path: str  # e.g. /api/v1/credentials/{id}/archive
    function: str  # logical id
    authorizer: str | None  # name of the API's authorizer, None for Auth: {Authorizer: NONE}


@dataclass(frozen=True)
class Authorizer:
    name: str
    function: str  # logical id
    identity_headers: tuple[str, ...]  # API Gateway answers 401 itself when one is missing
    ttl_seconds: int  # ReauthorizeEvery; the result cache is on only with identity sources too


@dataclass
class Template:
    path: Path
    parameters: dict[str, Any]
    functions: dict[str, Function]
    routes: list[Route]
    authorizers: dict[str, Authorizer]
    default_authorizer: Authorizer | None  # the API's DefaultAuthorizer: what its routes use
    gateway_responses: dict[str, dict[str, Any]]  # response type -> resolved Gateway Response
    stage: str
    resources: dict[str, dict[str, Any]] = field(repr=False)
    resolver: _Resolver = field(repr=False)

    def functions_with_event(self, event_type: str) -> list[Function]:
        return [fn for fn in self.functions.values() if event_type in fn.event_types]


def load_template(path: str | Path = "template.yaml", parameter_overrides: dict[str, Any] | None = None,
                  *, resource_names: dict[str, str] | None = None) -> Template:
    """Read and resolve the template; resource_names renames resources locally (e.g. the table)."""
    path = Path(path).resolve()
    doc = load_cfn_yaml(path)
    parameters = _parameter_values(doc.get("Parameters") or {}, parameter_overrides or {})
    resolver = _Resolver(doc, parameters, resource_names or {})
    resources = {
        logical_id: resource
        for logical_id, resource in (doc.get("Resources") or {}).items()
        if "Condition" not in resource or resolver.condition(resource["Condition"])
    }
    globals_ = doc.get("Globals") or {}
    functions = {
        logical_id: _function(logical_id, resource, globals_.get("Function") or {}, resources, resolver,
                              path.parent)
        for logical_id, resource in resources.items()
        if resource.get("Type") in FUNCTION_TYPES
    }
    api_props = _api_properties(resources, globals_.get("Api") or {}, resolver)
    authorizers = _authorizers(api_props, functions)
    default_authorizer = authorizers.get(str((api_props.get("Auth") or {}).get("DefaultAuthorizer")))
    return Template(
        path=path,
        parameters=parameters,
        functions=functions,
        routes=_routes(resources, api_props, resolver),
        authorizers=authorizers,
        default_authorizer=default_authorizer,
        gateway_responses=api_props.get("GatewayResponses") or {},
        stage=str(api_props.get("StageName", "Prod")),
        resources=resources,
        resolver=resolver,
    )


def create_table_kwargs(template: Template, logical_id: str, table_name: str | None = None) -> dict[str, Any]:
    """boto3 create_table arguments from the table's own definition, so local tables match the template."""
    resource = template.resources[logical_id]
    if resource.get("Type") != "AWS::DynamoDB::Table":
        raise TemplateError(f"{logical_id} is not an AWS::DynamoDB::Table")
    props = template.resolver.resolve(resource.get("Properties") or {})
    kwargs: dict[str, Any] = {
        "TableName": table_name or template.resolver.physical_name(logical_id),
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PROVISIONED"),
    }
    provisioned = kwargs["BillingMode"] == "PROVISIONED"
    if provisioned:
        kwargs["ProvisionedThroughput"] = props["ProvisionedThroughput"]
    if props.get("LocalSecondaryIndexes"):
        kwargs["LocalSecondaryIndexes"] = [
            _pick(index, "IndexName", "KeySchema", "Projection") for index in props["LocalSecondaryIndexes"]
        ]
    if props.get("GlobalSecondaryIndexes"):
        kwargs["GlobalSecondaryIndexes"] = [
            _pick(index, "IndexName", "KeySchema", "Projection", *(["ProvisionedThroughput"] if provisioned else []))
            for index in props["GlobalSecondaryIndexes"]
        ]
    return kwargs


def table_logical_ids(template: Template) -> list[str]:
    return [lid for lid, res in template.resources.items() if res.get("Type") == "AWS::DynamoDB::Table"]


# --- parameters -------------------------------------------------------------------------------------


def _parameter_values(declared: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    unknown = set(overrides) - set(declared)
    if unknown:
        raise TemplateError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if name not in overrides and "Default" not in spec:
            raise TemplateError(f"parameter {name} has no Default; pass it in the overrides")
        value = to_string(overrides.get(name, spec.get("Default")))  # Ref of any parameter is a string
        allowed = [to_string(v) for v in spec.get("AllowedValues", [])]
        if allowed and value not in allowed:
            raise TemplateError(f"parameter {name}={value!r} is not one of {allowed}")
        is_list = spec.get("Type", "").startswith(("List<", "CommaDelimitedList"))
        values[name] = [v.strip() for v in value.split(",")] if is_list else value
    return values


def to_string(value: Any) -> str:
    """A value as CloudFormation and API Gateway write it into a string (booleans lower case)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- intrinsic functions ----------------------------------------------------------------------------


class _Resolver:
    def __init__(self, doc: dict[str, Any], parameters: dict[str, Any], names: dict[str, str]):
        self._doc = doc
        self._parameters = parameters
        self._names = names
        self._conditions: dict[str, bool] = {}
        self._intrinsics = {
            "Ref": self._ref,
            "Fn::GetAtt": self._get_att,
            "Fn::Sub": self._sub,
            "Fn::If": self._if,
            "Fn::Equals": lambda a: to_string(self.resolve(a[0])) == to_string(self.resolve(a[1])),
            "Fn::Not": lambda a: not self.resolve(a[0]),
            "Fn::And": lambda a: all(self.resolve(x) for x in a),
            "Fn::Or": lambda a: any(self.resolve(x) for x in a),
            "Fn::Join": lambda a: str(self.resolve(a[0])).join(to_string(x) for x in self.resolve(a[1])),
            "Fn::Select": lambda a: self.resolve(a[1])[int(self.resolve(a[0]))],
        }

    def resolve(self, node: Any) -> Any:
        if isinstance(node, dict):
            if len(node) == 1:
                (key, arg), = node.items()
                if key in self._intrinsics:
                    return self._intrinsics[key](arg)
                if key == "Condition" and isinstance(arg, str):  # inside Fn::And / Fn::Or / Fn::Not
                    return self.condition(arg)
                if key.startswith("Fn::"):
                    raise TemplateError(f"the local runner does not support {key}")
            resolved = {k: self.resolve(v) for k, v in node.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(node, list):
            return [v for v in (self.resolve(x) for x in node) if v is not NO_VALUE]
        return node

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            conditions = self._doc.get("Conditions") or {}
            if name not in conditions:
                raise TemplateError(f"unknown condition {name}")
            self._conditions[name] = bool(self.resolve(conditions[name]))
        return self._conditions[name]

    def physical_name(self, logical_id: str) -> str:
        if logical_id in self._names:
            return self._names[logical_id]
        props = (self._doc.get("Resources") or {}).get(logical_id, {}).get("Properties") or {}
        for name_property in ("TableName", "FunctionName", "QueueName", "Name"):
            if isinstance(props.get(name_property), str):
                return props[name_property]
        return logical_id

    def _resource_type(self, logical_id: str) -> str:
        resource = (self._doc.get("Resources") or {}).get(logical_id)
        if resource is None:
            raise TemplateError(f"unknown resource or parameter {logical_id}")
        return resource.get("Type", "")

    def _ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        if name in self._parameters:
            return self._parameters[name]
        type_ = self._resource_type(name)
        if type_ == API_TYPE:
            return REST_API_ID
        if type_ in LAYER_TYPES:
            return arn("lambda", f"layer:{name}:1")
        if type_ == "AWS::SQS::Queue":
            return f"https://sqs.{_region()}.amazonaws.com/{_account()}/{self.physical_name(name)}"
        return self.physical_name(name)

    def _get_att(self, arg: Any) -> str:
        logical_id, attribute = arg.split(".", 1) if isinstance(arg, str) else self.resolve(arg)
        name = self.physical_name(logical_id)
        type_ = self._resource_type(logical_id)
        arns = {
            "AWS::DynamoDB::Table": arn("dynamodb", f"table/{name}"),
            "AWS::Serverless::Function": arn("lambda", f"function:{name}"),
            "AWS::Lambda::Function": arn("lambda", f"function:{name}"),
            "AWS::SQS::Queue": arn("sqs", name),
        }
        if attribute == "Arn":
            service = type_.split("::")[1].lower() if type_.count("::") == 2 else "local"
            return arns.get(type_, arn(service, name))
        if attribute == "StreamArn":
            return arns["AWS::DynamoDB::Table"] + "/stream/local"
        if attribute in ("QueueName", "Name"):
            return name
        return f"{name}.{attribute}"  # a readable placeholder for attributes with no local meaning

    def _sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("!"):  # ${!Literal} is the escape for a literal ${Literal}
                return "${" + expression[1:] + "}"
            if expression in variables:
                return to_string(variables[expression])
            if "." in expression and expression not in self._parameters:
                return self._get_att(expression)
            return to_string(self._ref(expression))

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def _if(self, arg: list[Any]) -> Any:
        name, if_true, if_false = arg
        return self.resolve(if_true if self.condition(name) else if_false)


def _region() -> str:
    return PSEUDO_PARAMETERS["AWS::Region"]


def _account() -> str:
    return PSEUDO_PARAMETERS["AWS::AccountId"]


def arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:{_region()}:{_account()}:{resource}"


# --- functions, API, routes -------------------------------------------------------------------------


def _sam_merge(global_value: Any, local_value: Any) -> Any:
    """SAM's Globals rule: maps merge, lists append (globals first), scalars are overridden."""
    if isinstance(global_value, dict) and isinstance(local_value, dict):
        merged = dict(global_value)
        for key, value in local_value.items():
            merged[key] = _sam_merge(global_value[key], value) if key in global_value else value
        return merged
    if isinstance(global_value, list) and isinstance(local_value, list):
        return global_value + local_value
    return local_value


def _function(logical_id: str, resource: dict[str, Any], globals_: dict[str, Any],
              resources: dict[str, Any], resolver: _Resolver, root: Path) -> Function:
    raw = _sam_merge(globals_, resource.get("Properties") or {})
    code_uri = resolver.resolve(raw.get("CodeUri"))
    if not isinstance(code_uri, str):
        raise TemplateError(f"{logical_id}: only a local CodeUri folder can run locally")
    variables = resolver.resolve((raw.get("Environment") or {}).get("Variables") or {})
    return Function(
        logical_id=logical_id,
        name=resolver.physical_name(logical_id),
        code_uri=(root / code_uri).resolve(),
        handler=str(resolver.resolve(raw["Handler"])),
        timeout=int(resolver.resolve(raw.get("Timeout", 3))),
        memory_size=int(resolver.resolve(raw.get("MemorySize", 128))),
        environment={key: to_string(value) for key, value in variables.items()},
        layer_dirs=tuple(_layer_dirs(logical_id, raw.get("Layers") or [], resources, resolver, root)),
        event_types=tuple(event.get("Type", "") for event in (raw.get("Events") or {}).values()),
    )


def _layer_dirs(function: str, layers: list[Any], resources: dict[str, Any], resolver: _Resolver,
                root: Path) -> list[Path]:
    dirs = []
    for layer in layers:
        logical_id = layer.get("Ref") if isinstance(layer, dict) else None
        if logical_id not in resources or resources[logical_id].get("Type") not in LAYER_TYPES:
            raise TemplateError(f"{function}: only layers defined in the template can run locally: {layer}")
        content = (root / resolver.resolve(resources[logical_id]["Properties"]["ContentUri"])).resolve()
        # A built Python layer is mounted at /opt/python: SAM builds it from the folder itself (with
        # BuildMethod) or the folder already has the python/ layout.
        dirs.append(content / "python" if (content / "python").is_dir() else content)
    return dirs


def _api_properties(resources: dict[str, Any], globals_: dict[str, Any], resolver: _Resolver) -> dict[str, Any]:
    apis = [res for res in resources.values() if res.get("Type") == API_TYPE]
    if len(apis) > 1:
        raise TemplateError("the local runner serves one AWS::Serverless::Api; the template has several")
    own = (apis[0].get("Properties") or {}) if apis else {}
    return resolver.resolve(_sam_merge(globals_, own))


def _authorizers(api_props: dict[str, Any], functions: dict[str, Function]) -> dict[str, Authorizer]:
    by_arn = {fn.arn: fn.logical_id for fn in functions.values()}
    authorizers = {}
    for name, spec in ((api_props.get("Auth") or {}).get("Authorizers") or {}).items():
        if spec.get("FunctionPayloadType", "TOKEN") != "REQUEST":
            raise TemplateError(f"authorizer {name}: only REQUEST authorizers run locally")
        if spec.get("FunctionArn") not in by_arn:
            raise TemplateError(f"authorizer {name}: FunctionArn must be a function of this template")
        identity = spec.get("Identity") or {}
        authorizers[name] = Authorizer(
            name=name,
            function=by_arn[spec["FunctionArn"]],
            identity_headers=tuple(identity.get("Headers") or ()),
            ttl_seconds=int(identity.get("ReauthorizeEvery", 300)),  # SAM's default TTL
        )
    return authorizers


def _routes(resources: dict[str, Any], api_props: dict[str, Any], resolver: _Resolver) -> list[Route]:
    default_authorizer = (api_props.get("Auth") or {}).get("DefaultAuthorizer")
    routes = []
    for logical_id, resource in resources.items():
        if resource.get("Type") not in FUNCTION_TYPES:
            continue
        for event in ((resource.get("Properties") or {}).get("Events") or {}).values():
            if event.get("Type") != "Api":
                continue
            props = resolver.resolve(event.get("Properties") or {})
            authorizer = (props.get("Auth") or {}).get("Authorizer", default_authorizer)
            routes.append(Route(
                method=str(props["Method"]).upper(),
                path=str(props["Path"]),
                function=logical_id,
                authorizer=None if authorizer in (None, "NONE") else authorizer,
            ))
    return routes


def _pick(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: mapping[key] for key in keys if key in mapping}
