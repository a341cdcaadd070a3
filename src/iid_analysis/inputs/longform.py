"""Long-form innovation levels (rows of innovation_id, indicator, level) pivoted to the wide
table, onto the profile rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DuplicateKeyError, InvalidLevelError, InvalidValueError, MissingColumnError
from ..methodology import Methodology
from .validation import (
    ROW,
    check_indicator,
    factorize_values,
    header_rows,
    id_key,
    indicator_label,
    invalid_level_detail,
    parse_level,
)


def long_to_wide(
    levels: pd.DataFrame, profiles: pd.DataFrame | None, methodology: Methodology
) -> pd.DataFrame:
    """Long-form levels pivoted onto the profile rows, with integer codes, not copies.

    Every column is factorised once (distinct texts parsed once), so memory is a few integer
    arrays per row rather than several copies of the text table.
    """
    source = levels.attrs["source"]
    for column in ("innovation_id", "indicator", "level"):
        if column not in levels.columns:
            raise MissingColumnError(
                f"required column {column!r} not found",
                source=source,
                rows=header_rows(levels),
                column=column,
            )
    inline = profiles is None
    if not inline and "innovation_id" not in profiles.columns:
        raise MissingColumnError(
            "required column 'innovation_id' not found",
            source=profiles.attrs.get("source"),
            rows=header_rows(profiles),
            column="innovation_id",
        )
    lines = (
        levels[ROW].to_numpy(dtype=np.int64)
        if ROW in levels.columns
        else np.arange(len(levels), dtype=np.int64)
    )

    def rows_where(mask: np.ndarray) -> list[int]:
        return [int(r) for r in lines[mask]]

    # Innovation ids, compared as check_innovations compares them (trimmed, NFKC, any case).
    # Codes kept as int32/int8 (factorize returns int64): four bytes a row, not eight.
    raw_codes, raw_ids = _factorize(levels["innovation_id"])
    key_of_raw, key_list = factorize_values([id_key(v) for v in raw_ids])
    key_uniques = np.empty(len(key_list), dtype=object)
    key_uniques[:] = key_list
    id_codes = key_of_raw[raw_codes]
    # Indicators: validated with the wide-form rules, one distinct text at a time.
    numbers = list(methodology.innovation_numbers)
    position = {n: i for i, n in enumerate(numbers)}
    ind_codes, ind_texts = _factorize(levels["indicator"])
    ind_position = np.empty(len(ind_texts), dtype=np.int8)
    for code, text in enumerate(ind_texts):
        label = indicator_label(text) or str(text)
        if label not in position:
            check_indicator(
                label, methodology, "INOVASI", source, rows_where(ind_codes == code), "indicator"
            )
        ind_position[code] = position[label]
    positions = ind_position[ind_codes]
    del ind_codes
    flat = id_codes.astype(np.int64) * len(numbers) + positions
    counts = np.bincount(flat, minlength=len(key_uniques) * len(numbers))
    duplicated = counts[flat] > 1
    del counts
    if duplicated.any():
        first = int(np.argmax(duplicated))
        raise DuplicateKeyError(
            f"innovation {raw_ids[raw_codes[first]].strip()!r} has indicator "
            f"{numbers[positions[first]]} more than once",
            source=source,
            rows=rows_where(duplicated),
            column="indicator",
        )
    del duplicated, flat
    level_codes, level_texts = _factorize(levels["level"])
    parsed = [parse_level(v) for v in level_texts]
    bad_codes = [code for code, value in enumerate(parsed) if value is None]
    if bad_codes:
        bad = np.isin(level_codes, bad_codes)
        value = level_texts[level_codes[int(np.argmax(bad))]]
        raise InvalidLevelError(
            invalid_level_detail(value), source=source, rows=rows_where(bad), column="level"
        )
    level_values = np.array(parsed, dtype=np.int8)[level_codes]
    del level_codes
    matrix = np.zeros((len(key_uniques), len(numbers)), dtype=np.int8)
    matrix[id_codes, positions] = level_values
    del level_values, positions

    if inline:
        # The profile columns repeat on every level row: the first row of each innovation.
        _, first_rows = np.unique(id_codes, return_index=True)
        profile = levels.iloc[np.sort(first_rows)]
        profile_source = source
        profile_attrs = levels.attrs
    else:
        profile = profiles
        profile_source = str(profiles.attrs.get("source", "profiles"))
        profile_attrs = profiles.attrs
    profile_keys = np.array([id_key(v) for v in profile["innovation_id"]], dtype=object)
    known = set(profile_keys)
    unknown = sorted(k for k in key_uniques if k not in known)
    if unknown:
        code = int(pd.Index(key_uniques).get_loc(unknown[0]))
        mask = id_codes == code
        shown = raw_ids[raw_codes[int(np.argmax(mask))]].strip()
        raise InvalidValueError(
            f"innovation_id {shown!r} has levels but no profile row"
            f"{f' (and {len(unknown) - 1} more)' if len(unknown) > 1 else ''}",
            source=source,
            rows=rows_where(mask),
            column="innovation_id",
        )
    index_of = pd.Index(key_uniques).get_indexer(profile_keys)
    wide = matrix[np.where(index_of >= 0, index_of, 0)]
    wide[index_of < 0] = 0
    keep = [c for c in profile.columns if c not in ("indicator", "level", *numbers)]
    merged = profile[keep].reset_index(drop=True)
    for k, number in enumerate(numbers):
        merged[number] = wide[:, k]
    # The merged rows (and their _row line numbers) are the profile file's rows, so the errors
    # check_innovations finds from here on (stage, status, duplicate id) are in that file.
    merged.attrs["source"] = profile_source
    if "header_row" in profile_attrs:
        merged.attrs["header_row"] = profile_attrs["header_row"]
    return merged


def _factorize(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(int32 codes, distinct values as an object array) of a column."""
    codes, distinct = factorize_values(column.to_numpy(dtype=object))
    values = np.empty(len(distinct), dtype=object)
    values[:] = distinct
    return codes, values
