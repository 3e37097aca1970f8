"""Services: the application's use cases over one database, by capability, one package each.

Each service method opens its transaction, checks the principal's role, writes its audit event
in the same transaction and returns plain read models (``core.views``), never ORM rows. The
packages depend on each other in one direction (``pyproject.toml``'s layers contract, top
first): ``bulk`` > ``supervisor_desk`` > ``container`` > ``intake`` | ``referrals`` |
``statistics`` | ``admin`` > ``cases`` | ``access`` > ``routing`` | ``keys`` > ``audit`` >
``core``. The TUI and the CLI import a package's public surface (its ``__all__``), never its
modules: each name is imported from its module on first use, so naming a package costs
nothing before the first paint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def public_surface(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` (PEP 562) for ``names``: public name -> the
    module of the package that defines it (``module`` or ``module:name`` when the public name
    differs, as for a function named like its module), imported when first asked for."""

    def __getattr__(name: str) -> Any:
        where = names.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = where.partition(":")
        return getattr(importlib.import_module(f"{package}.{module}"), attribute or name)

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__
