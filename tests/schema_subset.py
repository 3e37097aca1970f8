"""A small JSON Schema checker for exactly the keywords ``intake_schema`` emits (no dependency).

It refuses a schema that uses any other keyword, so the schema cannot grow a keyword this
checker would silently ignore. ``problems`` returns one line per violation (empty: valid).
"""

from __future__ import annotations

import re
from typing import Any

ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "default", "$defs"})
ASSERTIONS = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "$ref",
        "anyOf",
        "allOf",
        "if",
        "then",
    }
)
_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def problems(schema: dict[str, Any], value: Any) -> list[str]:
    out: list[str] = []
    _check(schema, schema, value, "$", out)
    return out


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``."""
    return type(a) is type(b) and a == b


def _check(
    root: dict[str, Any], schema: dict[str, Any], value: Any, at: str, out: list[str]
) -> None:
    unknown = set(schema) - ANNOTATIONS - ASSERTIONS
    if unknown:
        raise ValueError(f"keyword(s) this checker does not know: {sorted(unknown)}")
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        _check(root, root["$defs"][name], value, at, out)
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[n](value) for n in names):
            out.append(f"{at}: not of type {names}")
            return
    if "enum" in schema and not any(_same(value, e) for e in schema["enum"]):
        out.append(f"{at}: {value!r} not in enum")
    if "const" in schema and not _same(value, schema["const"]):
        out.append(f"{at}: {value!r} is not {schema['const']!r}")
    if isinstance(value, dict):
        for name in schema.get("required", ()):
            if name not in value:
                out.append(f"{at}.{name}: required")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                _check(root, props[key], item, f"{at}.{key}", out)
            elif schema.get("additionalProperties") is False:
                out.append(f"{at}.{key}: not allowed")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            out.append(f"{at}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(f"{at}: more than {schema['maxItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                _check(root, schema["items"], item, f"{at}[{i}]", out)
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            out.append(f"{at}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append(f"{at}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append(f"{at}: does not match {schema['pattern']}")
    if _TYPES["integer"](value):
        if "minimum" in schema and value < schema["minimum"]:
            out.append(f"{at}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            out.append(f"{at}: above {schema['maximum']}")
    if "anyOf" in schema and not any(not problems_at(root, s, value) for s in schema["anyOf"]):
        out.append(f"{at}: matches none of anyOf")
    for sub in schema.get("allOf", ()):
        _check(root, sub, value, at, out)
    if "if" in schema and not problems_at(root, schema["if"], value) and "then" in schema:
        _check(root, schema["then"], value, at, out)


def problems_at(root: dict[str, Any], schema: dict[str, Any], value: Any) -> list[str]:
    out: list[str] = []
    _check(root, schema, value, "$", out)
    return out
