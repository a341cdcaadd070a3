"""Everything that comes in: readers, format recognition, validation, published figures, datasheets
and the Region object.

The entry point is :func:`read_region` (:mod:`iid_analysis.inputs.read`): each file's bytes read
once and hashed, format and grain recognised by the columns, validated once.

Names load on first use, so that a module of this package (``inputs.published``: the report
command's check of the published scores) is imported without the readers.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "describe_region": "read",
    "load_region": "read",
    "read_region": "read",
    "GRAIN_LEVEL": "region",
    "GRAIN_MATURITY": "region",
    "Region": "region",
    "SourceFile": "region",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
