"""Defensive checks on indicator data, in one module, so every entry point fails the same way.

The checks take DataFrames of text or numbers. A ``_row`` column, when present, holds each row's
line number in the source file (the header is line 1) and is used in error messages; otherwise
the DataFrame's index labels are named. ``df.attrs["source"]`` names the file.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd

from ..errors import (
    DuplicateKeyError,
    ForeignIndicatorError,
    InvalidLevelError,
    InvalidValueError,
    MissingColumnError,
    UnknownIndicatorError,
    UnknownStageError,
    UnknownStatusError,
)
from ..methodology import SPD, Methodology, indicator_numbers_by_year
from ..scoring import STATUS_ACCEPTED, STATUS_REJECTED
from .values import iso_date_text

ROW = "_row"
STATUSES = (STATUS_ACCEPTED, STATUS_REJECTED)
STAGES = ("inisiatif", "uji coba", "penerapan")
PROFILE_REQUIRED = ("innovation_id", "name", "opd", "stage", "status")

_INDICATOR_LABEL = re.compile(
    r"^(?:indikator|indicator|ind|i)?[\s_#-]*(\d{1,3})(?:[.,]0+)?([a-z]?)$"
)


def source_of(frame: pd.DataFrame, default: str) -> str:
    return str(frame.attrs.get("source", default))


def row_numbers(frame: pd.DataFrame, mask=None) -> list[int]:
    """Source line numbers of the rows selected by ``mask`` (all rows when None)."""
    selected = frame if mask is None else frame[np.asarray(mask, dtype=bool)]
    if ROW in selected.columns:
        return [int(r) for r in selected[ROW]]
    return [int(i) if isinstance(i, (int, np.integer)) else i for i in selected.index]


def normalize_header(name: object) -> str:
    """Lower-case, trimmed, inner spaces and hyphens as underscores (``Innovation ID`` ->
    ``innovation_id``)."""
    text = str(name).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def indicator_label(value: object) -> str | None:
    """The indicator number as the tables write it (``16``, ``2a``) or None if it is not one.

    Accepts the usual export quirks: ``16.0`` and ``16,0`` (numbers stored as decimals), ``2A``,
    ``I16``, ``indikator_16``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().lower()
    match = _INDICATOR_LABEL.match(text)
    if not match:
        return None
    return f"{int(match.group(1))}{match.group(2)}"


_LEVEL_TEXT = re.compile(r"^[0-3](?:[.,]0+)?$")


def parse_level(value: object) -> int | None:
    """A level 0..3 from text or number; blank is 0 (not answered); None if invalid.

    Text is one ASCII digit 0..3, optionally with zero decimals (``3``, ``3.0``, ``3,0``), with
    spaces (a no-break space included) around it trimmed. Refused: full-width (``３``) or other
    scripts' digits, exponents (``1e0``), signs (``+3``) and decimals that only round to a level
    (``2.9999999999999999``): a level is typed, not computed. A number cell of a workbook is a
    level when it is a whole number 0..3.
    """
    if value is None:
        return 0
    if isinstance(value, (int, np.integer)):
        number = float(value)
    elif isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return 0
        number = float(value)
    else:
        text = str(value).strip()
        if text == "" or text in {"-", "–"}:
            return 0
        if not _LEVEL_TEXT.match(text):
            return None
        return int(text[0])
    if not number.is_integer() or not 0 <= number <= 3:
        return None
    return int(number)


def invalid_level_detail(value: object) -> str:
    """The detail of an :class:`InvalidLevelError` for ``value``."""
    text = str(value)
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return f"got {value!r}; only the ASCII digits 0, 1, 2, 3 are levels (retype the digit)"
    return f"got {value!r}; a level is one of 0, 1, 2, 3"


def id_key(value: object) -> str:
    """An innovation id as compared for duplicates and matching: trimmed, Unicode NFKC, case
    folded, invisible format characters (zero-width space, joiners, byte-order mark) removed
    (``MJK-2023-001``, `` mjk-2023-001``, ``ＭＪＫ-2023-001`` and ``MJK-2023\u200b-001`` are
    one id)."""
    text = str(value)
    if text.isascii():  # nothing to normalise (the usual case; a large file has many ids)
        return text.strip().casefold()
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip().casefold()


def normalize_choice(value: object) -> str:
    """Lower-case, with underscores, hyphens and runs of spaces as one space."""
    text = re.sub(r"[\s_\-]+", " ", str(value).strip().lower())
    return {"ujicoba": "uji coba", "uji_coba": "uji coba"}.get(text, text)


def header_rows(frame: pd.DataFrame) -> tuple[int, ...]:
    """The header's line number (``attrs["header_row"]``) when the frame was read from a file."""
    line = frame.attrs.get("header_row")
    return (int(line),) if line is not None else ()


def _require_unique_columns(frame: pd.DataFrame, originals, source: str) -> None:
    """Raise :class:`DuplicateKeyError` if two columns mean one (``16``, ``Indikator 16``)."""
    keys = list(frame.columns)
    repeated = [k for k in dict.fromkeys(keys) if keys.count(k) > 1]
    if repeated:
        key = repeated[0]
        names = [repr(str(o)) for o, k in zip(originals, keys, strict=True) if k == key]
        raise DuplicateKeyError(
            f"column {key!r} appears more than once (as {', '.join(names)})",
            source=source,
            rows=header_rows(frame),
            column=str(key),
        )


def _require_columns(frame: pd.DataFrame, columns, source: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)} not found "
            f"(columns present: {', '.join(repr(str(c)) for c in frame.columns if c != ROW)})",
            source=source,
            rows=header_rows(frame),
            column=missing[0],
        )


def check_indicator(
    label: str, methodology: Methodology, aspect: str, source: str, rows, column: str
) -> None:
    """Raise the right error for an indicator that is not one of ``aspect`` in this year."""
    if methodology.has_indicator(label):
        if methodology.indicator(label).aspect == aspect:
            return
        other = "an SPD" if aspect != SPD else "a per-innovation"
        where = "the SPD file" if aspect != SPD else "the innovations file"
        raise UnknownIndicatorError(
            f"indicator {label} is {other} indicator in the {methodology.year} table; "
            f"its level belongs in {where}",
            source=source,
            rows=rows,
            column=column,
        )
    other_years = sorted(
        year
        for year, numbers in indicator_numbers_by_year(methodology.directory).items()
        if year != methodology.year and label in numbers
    )
    if other_years:
        raise ForeignIndicatorError(
            f"indicator {label} is in the {', '.join(map(str, other_years))} table, not in the "
            f"table used for {methodology.year}",
            source=source,
            rows=rows,
            column=column,
        )
    expected = methodology.spd_numbers if aspect == SPD else methodology.innovation_numbers
    hint = [n for n in expected if n.rstrip("abcdefghijklmnopqrstuvwxyz") == label]
    hint_text = f" (did you mean {' or '.join(hint)}?)" if hint else ""
    raise UnknownIndicatorError(
        f"'{label}' is not an indicator of the {methodology.year} table; expected one of "
        f"{', '.join(expected)}{hint_text}",
        source=source,
        rows=rows,
        column=column,
    )


def _parse_levels(series: pd.Series, frame: pd.DataFrame, source: str, column: str) -> np.ndarray:
    if pd.api.types.is_integer_dtype(series.dtype):
        # Already numbers (a frame built in code, or one validated before): check the range only.
        values = series.to_numpy()
        if values.size == 0 or (values.min() >= 0 and values.max() <= 3):
            return values.astype(np.int8)
    # Each distinct cell text is parsed once (a column holds a handful: '', '0'..'3').
    codes, distinct = factorize_values(series.to_numpy(dtype=object))
    parsed = [parse_level(v) for v in distinct]
    bad_codes = [code for code, value in enumerate(parsed) if value is None]
    if bad_codes:
        bad = np.flatnonzero(np.isin(codes, bad_codes))
        raise InvalidLevelError(
            invalid_level_detail(series.iloc[bad[0]]),
            source=source,
            rows=row_numbers(frame.iloc[bad]),
            column=column,
        )
    return np.array(parsed, dtype=np.int8)[codes]


def factorize_values(values) -> tuple[np.ndarray, list]:
    """(int32 codes, distinct values in order of appearance) of a sequence of hashable values.

    Lean where ``pd.factorize`` is not: its hash table is sized to the number of values (about
    65 bytes a value at the peak); here only the distinct values are held, beside the codes.
    """
    distinct = list(dict.fromkeys(values))
    index = {value: code for code, value in enumerate(distinct)}
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
    return codes, distinct


def _map_distinct(series: pd.Series, function) -> pd.Series:
    """``series.map(function)`` calling ``function`` once per distinct value (columns of
    stages, statuses and repeated texts hold a handful)."""
    codes, distinct = factorize_values(series.to_numpy(dtype=object))
    mapped = np.empty(len(distinct), dtype=object)
    mapped[:] = [function(v) for v in distinct]
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def _check_choices(
    frame: pd.DataFrame, column: str, allowed, error, source: str, default: str | None
) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([default] * len(frame), index=frame.index, dtype=object)
    values = _map_distinct(frame[column], normalize_choice)
    bad = ~values.isin(allowed)
    if bad.any():
        first = frame.loc[bad, column].iloc[0]
        raise error(
            f"got {first!r}; allowed: {', '.join(allowed)}",
            source=source,
            rows=row_numbers(frame, bad),
            column=column,
        )
    return values


def check_innovations(
    innovations: pd.DataFrame,
    methodology: Methodology,
    *,
    source: str | None = None,
    require_profile: bool = False,
) -> pd.DataFrame:
    """Validate wide-form innovations and return them normalised.

    The result has innovation_id, name, opd, stage, status (normalised text), the indicator
    columns ``16``..``35`` in table order as int8 levels, ``urusan`` (text) and ``_row`` when the
    input had them.
    ``require_profile`` makes name, opd and stage required (as for files); otherwise missing
    profile columns default to '' and stage 'penerapan', status 'diterima'.
    Raises a subclass of :class:`IIDDataError` on the first rule broken.
    """
    source = source or source_of(innovations, "<innovations>")
    frame = innovations.copy()
    originals = list(frame.columns)
    frame.columns = [c if c == ROW else _column_key(c) for c in frame.columns]
    _require_unique_columns(frame, originals, source)
    required = list(PROFILE_REQUIRED if require_profile else ("innovation_id",))
    _require_columns(frame, required, source)

    numbers = methodology.innovation_numbers
    for column in frame.columns:
        label = indicator_label(column) if column not in PROFILE_REQUIRED else None
        if label is not None and label not in numbers:
            check_indicator(label, methodology, "INOVASI", source, header_rows(frame), str(column))
    _require_columns(frame, numbers, source)

    ids = _map_distinct(frame["innovation_id"], lambda v: str(v).strip())
    blank = ids.isin(["", "nan", "None"])
    if blank.any():
        raise InvalidValueError(
            "innovation_id is blank",
            source=source,
            rows=row_numbers(frame, blank),
            column="innovation_id",
        )
    keys = _map_distinct(ids, id_key)
    duplicated = keys.duplicated(keep=False)
    if duplicated.any():
        same = ids[keys == keys[duplicated].iloc[0]]
        spellings = list(dict.fromkeys(same))
        how = (
            f" (as {', '.join(repr(s) for s in spellings)}; ids are compared ignoring case "
            "and character width)"
            if len(spellings) > 1
            else ""
        )
        raise DuplicateKeyError(
            f"innovation_id {spellings[0]!r} appears more than once{how}",
            source=source,
            rows=row_numbers(frame, duplicated),
            column="innovation_id",
        )

    result = pd.DataFrame(index=frame.index)
    result["innovation_id"] = ids
    for column in ("name", "opd"):
        result[column] = (
            _map_distinct(frame[column], lambda v: "" if _is_blank(v) else str(v).strip())
            if column in frame.columns
            else ""
        )
    result["stage"] = _check_choices(frame, "stage", STAGES, UnknownStageError, source, "penerapan")
    result["status"] = _check_choices(
        frame, "status", STATUSES, UnknownStatusError, source, STATUS_ACCEPTED
    )
    for number in numbers:
        result[number] = _parse_levels(frame[number], frame, source, number)
    if "urusan" in frame.columns:
        # Kept for the year rule on basic-service urusan (scoring.basic_urusan_covered).
        result["urusan"] = frame["urusan"].map(lambda v: "" if _is_blank(v) else str(v).strip())
    for column in ELIGIBILITY_COLUMNS:
        if column in frame.columns:  # iid_analysis.eligibility reads them; dates written ISO
            values = frame[column]
            if column in ELIGIBILITY_DATE_COLUMNS:
                values = values.map(iso_date_text)
            result[column] = values.to_numpy()
    for column in frame.columns:
        if EVIDENCE_COLUMN.match(str(column)):  # evidence links, for the plan's worklist
            result[column] = frame[column].map(lambda v: "" if _is_blank(v) else str(v).strip())
    if ROW in frame.columns:
        result[ROW] = frame[ROW].to_numpy()
    return result


ELIGIBILITY_COLUMNS = (
    "tanggal_penerapan",
    "tanggal_pengembangan",
    "pengembangan_terbaru",
    "rancang_bangun",
    "implementation_date",
    "development_date",
    "design_description",
)
"""Columns kept with the innovations for the 2026 eligibility rule (iid_analysis.eligibility):
implementation date, latest development date, design description (rancang bangun)."""

ELIGIBILITY_DATE_COLUMNS = frozenset(
    {
        "tanggal_penerapan",
        "tanggal_pengembangan",
        "pengembangan_terbaru",
        "implementation_date",
        "development_date",
    }
)

EVIDENCE_COLUMN = re.compile(r"^(?:bukti|evidence|evidence_link|link_bukti)_?(\d+[a-z]?)$")
"""Evidence columns kept with the innovations (``bukti_35``, ``evidence_link_35``, ...)."""


def _column_key(column: object) -> str:
    """Indicator columns as their table number, everything else as a normalised header."""
    header = normalize_header(column)
    label = indicator_label(header)
    return label if label is not None else header


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == ""


def check_spd(spd: pd.DataFrame, methodology: Methodology, *, source: str | None = None) -> dict:
    """Validate SPD rows (``indicator``, ``level``) and return {indicator number: level}.

    Indicators absent from the input are not in the result (they score as level 0).
    """
    source = source or source_of(spd, "<spd>")
    frame = spd.copy()
    originals = list(frame.columns)
    frame.columns = [c if c == ROW else normalize_header(c) for c in frame.columns]
    _require_unique_columns(frame, originals, source)
    _require_columns(frame, ("indicator", "level"), source)
    if frame.empty:
        return {}
    labels = frame["indicator"].map(indicator_label)
    unparsable = labels.isna()
    if unparsable.any():
        raise UnknownIndicatorError(
            f"{frame.loc[unparsable, 'indicator'].iloc[0]!r} is not an indicator number",
            source=source,
            rows=row_numbers(frame, unparsable),
            column="indicator",
        )
    for label in dict.fromkeys(labels):
        if not (methodology.has_indicator(label) and methodology.indicator(label).aspect == SPD):
            check_indicator(
                label, methodology, SPD, source, row_numbers(frame, labels == label), "indicator"
            )
    duplicated = labels.duplicated(keep=False)
    if duplicated.any():
        raise DuplicateKeyError(
            f"indicator {labels[duplicated].iloc[0]} appears more than once",
            source=source,
            rows=row_numbers(frame, duplicated),
            column="indicator",
        )
    levels = _parse_levels(frame["level"], frame, source, "level")
    return dict(zip(labels, (int(v) for v in levels), strict=True))
