"""Databases built in bulk: the demo (``demo``, ``demo_build``, ``replay``) and the scale
generator's rows, values, workers and audit chain (``rows``, ``values``, ``workers``,
``chain``)."""

from caseintake.services import public_surface

_NAMES = {
    "build_demo": "demo",
}
__all__ = sorted(_NAMES)
__getattr__, __dir__ = public_surface(__name__, _NAMES)
