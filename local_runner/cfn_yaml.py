"""Read CloudFormation YAML: short-form tags (!Ref, !GetAtt, !Sub, ...) become their long form."""

from pathlib import Path
from typing import Any

import yaml

_SHORT_TAGS = (
    "And", "Base64", "Cidr", "Condition", "Equals", "FindInMap", "GetAtt", "GetAZs", "If",
    "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "ToJsonString", "Length",
)


class _CfnLoader(yaml.SafeLoader):
    pass


def _construct(tag: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        if tag == "Ref":
            return {"Ref": value}
        if tag == "Condition":
            return {"Condition": value}
        return {f"Fn::{tag}": value}

    return construct


_CfnLoader.add_constructor("!Ref", _construct("Ref"))
for _tag in _SHORT_TAGS:
    _CfnLoader.add_constructor(f"!{_tag}", _construct(_tag))


def load_cfn_yaml(path: str | Path) -> dict[str, Any]:
    """The template as plain dicts and lists, intrinsic functions in their long (JSON) form."""
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_CfnLoader)  # noqa: S506 - _CfnLoader is a SafeLoader
