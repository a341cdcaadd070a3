"""Everything that comes in: readers, format recognition, validation, published figures, datasheets
and the Region object.

The entry point is :func:`read_region` (:mod:`iid_analysis.inputs.read`): each file's bytes read
once and hashed, format and grain recognised by the columns, validated once.
"""

from .read import describe_region, load_region, read_region
from .region import GRAIN_LEVEL, GRAIN_MATURITY, Region, SourceFile

__all__ = [
    "GRAIN_LEVEL",
    "GRAIN_MATURITY",
    "Region",
    "SourceFile",
    "describe_region",
    "load_region",
    "read_region",
]
