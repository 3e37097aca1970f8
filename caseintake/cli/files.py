"""Reading input files with one clear sentence for every way they can be wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from caseintake.domain.errors import DomainError

MAX_INPUT_BYTES = 5_000_000
# An intake is four levels deep and its numbers are ages and codes: these bounds keep a hostile
# file from reaching Python's recursion limit or its 4,300-digit integer conversion limit.
MAX_JSON_DEPTH = 32
MAX_NUMBER_CHARS = 40


class _Refused(Exception):
    """Raised from inside the JSON parser's hooks, turned into one sentence by ``read_json``."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def read_text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise DomainError("cli.file_too_big", path=str(path), n=MAX_INPUT_BYTES)
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DomainError("cli.file_missing", path=str(path)) from None
    except IsADirectoryError:
        raise DomainError("cli.file_is_dir", path=str(path)) from None
    except UnicodeDecodeError:
        raise DomainError("cli.file_not_utf8", path=str(path)) from None


def read_json(path: Path) -> Any:
    """Standard JSON only (no NaN or Infinity), nested at most ``MAX_JSON_DEPTH`` deep."""
    text = read_text(path)
    try:
        data = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_no_constant)
    except json.JSONDecodeError as err:
        raise DomainError(
            "cli.bad_json", path=str(path), line=err.lineno, col=err.colno, msg=err.msg
        ) from None
    except RecursionError:
        raise DomainError("cli.json_too_deep", path=str(path), n=MAX_JSON_DEPTH) from None
    except _Refused as refused:
        raise DomainError(refused.key, path=str(path), **refused.params) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise DomainError("cli.json_too_deep", path=str(path), n=MAX_JSON_DEPTH)
    return data


def _integer(digits: str) -> int:
    if len(digits) > MAX_NUMBER_CHARS:
        raise _Refused("cli.json_number_too_long", n=MAX_NUMBER_CHARS)
    return int(digits)


def _float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_CHARS:
        raise _Refused("cli.json_number_too_long", n=MAX_NUMBER_CHARS)
    return float(digits)


def _no_constant(name: str) -> Any:
    raise _Refused("cli.json_constant", name=name)


def _depth(data: Any) -> int:
    """How deeply arrays and objects nest (0 for a plain value), without recursion."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level + 1)
            if level + 1 > MAX_JSON_DEPTH:
                break
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, level + 1) for child in children)
    return deepest
