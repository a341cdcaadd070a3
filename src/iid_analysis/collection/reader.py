"""Reading one filled collection workbook (the cell checks of ``iid-analysis collect``).

:class:`WorkbookReader` reads the *Inovasi* and *SPD* sheets of one workbook into rows in the
output format and findings (:mod:`.quality`). It decides per row: a row with an error is left out
with its findings, the other rows are kept. A structural problem (merged cells holding a value,
formula without a saved value, hidden sheet, second header row, a workbook of another year, no
header) raises :class:`~iid_analysis.errors.IIDDataError`, and collect leaves the whole workbook
out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import (
    DuplicateKeyError,
    HiddenSheetError,
    IIDDataError,
    MissingColumnError,
    SecondHeaderRowError,
    SheetNotFoundError,
    WorkbookYearError,
)
from ..inputs.dataset import (
    FastWorkbook,
    WorkbookFallback,
    cell_text,
    open_workbook,
    sheet_rows,
    sheet_source,
)
from ..inputs.validation import (
    STAGES,
    STATUS_ACCEPTED,
    STATUSES,
    check_indicator,
    indicator_label,
    normalize_choice,
    parse_level,
)
from ..messages import Message
from ..methodology import Methodology, basic_urusan_in
from .opds import ALIAS_SEPARATOR, OpdList
from .quality import KEPT, LEFT_OUT, SHEET_MISSING, Finding, finding
from .template import (
    EVIDENCE_LINK_PREFIX,
    JENIS,
    META_KEYS,
    OPD_SHORT_FORMS_LIST,
    SHEET_INNOVATIONS,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_SPD,
    SPD_COLUMNS,
    URUSAN,
    header_aliases,
    header_key,
    innovation_columns,
    keywords_year,
    level_choices,
)
from .words import nearest

IMPLEMENTATION_INDICATORS = ("28", "29", "31", "33", "34")
"""Indicators that measure an innovation in use: time to a result, complaints settled,
replication, beneficiaries, monitoring of use. An innovation still at the *inisiatif* stage has
none of these yet, so a level there is flagged (this package's reading of the indicator words,
not an official rule)."""

_HEADER_SEARCH_ROWS = 10
_UNKNOWN = object()
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?: 00:00:00)?$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_LIST_FIRST_COLUMN = 4
_LIST_MAX_COLUMNS = 60


@dataclass
class BookRows:
    """What one workbook holds once read: rows in the output format and its own findings."""

    file: str
    innovations: list[dict] = field(default_factory=list)
    """Rows without an error (collected unless merging finds a duplicate)."""
    rejected: list[dict] = field(default_factory=list)
    """Rows left out for an error, kept to find the same innovation in another workbook."""
    spd: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    row_opds: dict[int, str] = field(default_factory=dict)
    """Every innovation data row read (good or bad): sheet row -> OPD named on it."""
    opd_list: OpdList | None = None
    """The OPD list the workbook was checked against (--opds, else the template's own)."""

    @property
    def opd(self) -> str:
        """The OPD most rows name (the file's stem when none does)."""
        names = Counter(r["opd"] for r in self.innovations + self.rejected if r["opd"])
        return names.most_common(1)[0][0] if names else Path(self.file).stem


class WorkbookReader:
    """Reads the workbooks of one year (levels parsed with that year's dropdown words)."""

    def __init__(self, methodology: Methodology, opds: OpdList | None) -> None:
        self.methodology = methodology
        self.opds = opds
        self.numbers = methodology.innovation_numbers
        self.spd_numbers = methodology.spd_numbers
        self.columns = innovation_columns(methodology)
        self.innovation_aliases = header_aliases(self.columns)
        self.spd_aliases = header_aliases(SPD_COLUMNS)
        self.dropdowns = {
            ind.number: level_choices(methodology, ind.number) for ind in methodology.indicators
        }
        self.choices = {
            number: {_normal_text(choice): level for level, choice in enumerate(items)}
            for number, items in self.dropdowns.items()
        }
        self.urusan = {normalize_choice(u): u for u in URUSAN}
        self.headers = {c.key: c.header for c in self.columns}
        self.link_keys = {n: EVIDENCE_LINK_PREFIX + n for n in self.numbers}
        self.early_numbers = [n for n in IMPLEMENTATION_INDICATORS if n in self.numbers]
        self._cell_keys: dict | None = None
        self._cell_letters: dict[str, str] = {}
        # Workbooks of one template repeat the same texts: each is normalised and parsed once.
        self._choices: dict[str, str] = {}
        self._header_keys: dict[tuple[str, int], str | None] = {}
        self._levels: dict[tuple[str, str], tuple[int, tuple | None]] = {}

    def _choice(self, text: str) -> str:
        """:func:`normalize_choice` of ``text``, cached."""
        normal = self._choices.get(text)
        if normal is None:
            normal = self._choices[text] = normalize_choice(text)
        return normal

    # -- workbook ---------------------------------------------------------------------------
    def read(self, path: Path) -> BookRows:
        """Read one workbook; a structural problem raises :class:`IIDDataError`, cell problems
        become findings."""
        try:
            return self._read(path, open_fast(path))
        except WorkbookFallback:
            return self._read(path, OpenpyxlWorkbook(path))

    def peek(self, path: Path) -> list[dict]:
        """The id, name and OPD of each innovation row of a workbook left out for its structure,
        read without the cell checks, so that its innovations are still found in other
        workbooks; [] when even that fails."""
        try:
            workbook = FastWorkbook(path)
        except (IIDDataError, WorkbookFallback, OSError, ValueError):
            return []
        try:
            sheet = next(
                (
                    ws
                    for ws in workbook.worksheets
                    if ws.title.strip().casefold() == SHEET_INNOVATIONS.casefold()
                ),
                None,
            )
            if sheet is None:
                return []
            rows = sheet.rows(path.name, checked=False)
            start, keys = self._header(
                rows, path.name, self.innovation_aliases, self.numbers, ("innovation_id",)
            )
            by_key = {key: j for j, key in keys.items()}
            records = []
            for line, cells in rows[start + 1 :]:
                values = {
                    k: (cells[by_key[k]] if k in by_key and by_key[k] < len(cells) else "")
                    for k in ("innovation_id", "name", "opd")
                }
                if values["innovation_id"] or values["name"]:
                    records.append(
                        {
                            **values,
                            "source_file": path.name,
                            "source_sheet": sheet.title,
                            "source_row": line,
                        }
                    )
            return records
        except (IIDDataError, WorkbookFallback, OSError, ValueError):
            return []
        finally:
            workbook.close()

    def _read(self, path: Path, workbook) -> BookRows:
        result = BookRows(path.name)
        try:
            sheets = {ws.title.strip().casefold(): ws for ws in workbook.worksheets}
            lists = sheets.get(SHEET_LISTS.casefold())
            self._check_year(workbook, lists, path)
            result.opd_list = self.opds or _template_opds(lists)
            spd_sheet = sheets.get(SHEET_SPD.casefold())
            innovation_sheet = sheets.get(SHEET_INNOVATIONS.casefold())
            if spd_sheet is None and innovation_sheet is None:
                raise SheetNotFoundError(
                    f"no sheet named {SHEET_SPD!r} or {SHEET_INNOVATIONS!r} (sheets: "
                    f"{', '.join(repr(ws.title) for ws in workbook.worksheets)}); "
                    "use the workbook made by 'iid-analysis template'",
                    source=path.name,
                )
            for sheet in (spd_sheet, innovation_sheet):
                if sheet is not None and sheet.sheet_state != "visible":
                    raise HiddenSheetError(
                        f"sheet {sheet.title!r} is {sheet.sheet_state}; unhide it if its rows "
                        "are meant to be collected, or delete it",
                        source=sheet_source(path, sheet),
                    )
            for name, sheet in ((SHEET_INNOVATIONS, innovation_sheet), (SHEET_SPD, spd_sheet)):
                if sheet is None:
                    # The Inovasi sheet holds the innovations: without it they are missing.
                    missing = name == SHEET_INNOVATIONS
                    result.findings.append(
                        self._finding(
                            result,
                            name,
                            None,
                            "",
                            "missing_sheet",
                            "error" if missing else "warning",
                            SHEET_MISSING if missing else KEPT,
                            name=name,
                        )
                    )
            if innovation_sheet is not None:
                self._read_innovations(path, innovation_sheet, result)
            if spd_sheet is not None:
                self._read_spd(path, spd_sheet, result)
            for sheet in workbook.worksheets:
                known = sheet in (spd_sheet, innovation_sheet) or sheet.title in (
                    SHEET_LISTS,
                    SHEET_INSTRUCTIONS,
                )
                if not known:
                    check = (
                        "other_sheet" if sheet.sheet_state == "visible" else "other_sheet_hidden"
                    )
                    result.findings.append(
                        self._finding(
                            result,
                            sheet.title,
                            None,
                            "",
                            "other_sheet",
                            "info",
                            KEPT,
                            detail_key=check,
                            name=sheet.title,
                        )
                    )
        finally:
            workbook.close()
        return result

    def _check_year(self, workbook, lists, path: Path) -> None:
        year = keywords_year(workbook.keywords)
        if year is None and lists is not None:
            meta = {}
            for row in range(1, len(META_KEYS) + 1):
                meta[str(lists.cell_value(row, 1))] = lists.cell_value(row, 2)
            year = cell_text(meta.get("tahun"))
        # No year: a workbook made by hand; its headers and levels are checked all the same.
        if year and year != str(self.methodology.year):
            raise WorkbookYearError(
                f"the workbook was made for {year} but {self.methodology.year} is being "
                "collected (the level words differ between years); fill a template of "
                f"{self.methodology.year}",
                source=f"{path.name} [sheet {SHEET_LISTS}]",
                cell="B3",
            )

    def _finding(
        self,
        book,
        sheet,
        row,
        column,
        check,
        severity,
        action,
        *,
        opd=None,
        cell="",
        detail_key=None,
        todo_key=None,
        **params,
    ) -> Finding:
        return finding(
            check,
            severity,
            action,
            detail=_message("detail", detail_key, params),
            todo=_message("todo", todo_key, params),
            opd=opd or book.opd,
            file=book.file,
            sheet=sheet,
            row=row,
            column=column,
            cell=cell,
            **params,
        )

    # -- header -----------------------------------------------------------------------------
    def _header(self, rows, source, aliases, numbers, required):
        """(index of the header in ``rows``, {column position: key}); raises when not found."""
        for index, (line, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            cache = self._header_keys  # by (text, which aliases: one per sheet kind)
            keys = {}
            for j, c in enumerate(cells):
                key = cache.get((c, id(aliases)), _UNKNOWN)
                if key is _UNKNOWN:
                    key = cache[(c, id(aliases))] = header_key(c, numbers, aliases)
                if key is not None:
                    keys[j] = key
            if required[0] in keys.values():
                found = list(keys.values())
                repeated = [k for k in dict.fromkeys(found) if found.count(k) > 1]
                if repeated:
                    raise DuplicateKeyError(
                        f"column {repeated[0]!r} appears more than once in the header",
                        source=source,
                        rows=(line,),
                        column=repeated[0],
                    )
                missing = [k for k in required if k not in found]
                if missing:
                    raise MissingColumnError(
                        f"required column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(repr(self.headers.get(k, k)) for k in missing)} not found "
                        "in the header",
                        source=source,
                        rows=(line,),
                        column=self.headers.get(missing[0], missing[0]),
                    )
                return index, keys
        raise MissingColumnError(
            f"no header row with {required[0]!r} in the first {_HEADER_SEARCH_ROWS} rows",
            source=source,
        )

    def _second_header(self, line, cells, header_texts, source, first):
        header_like = sum(map(header_texts.__contains__, cells))
        # A numbering row under the header: (1), (2), (3)... or 1, 2, 3...
        numbered = first and [re.sub(r"[()]", "", c) for c in cells[:5]]
        if header_like >= 3 or numbered == ["1", "2", "3", "4", "5"]:
            raise SecondHeaderRowError(
                "this row repeats the column names (or numbers the columns) below the header; "
                "delete it: the header must be one row",
                source=source,
                rows=(line,),
            )

    # -- Inovasi ----------------------------------------------------------------------------
    def _read_innovations(self, path: Path, sheet, book: BookRows) -> None:
        source = sheet_source(path, sheet)
        rows = sheet.rows(source)
        required = ("innovation_id", "name", "opd", "stage") + self.numbers
        start, keys = self._header(rows, source, self.innovation_aliases, self.numbers, required)
        header_line, header_cells = rows[start]
        # A repeated header is a copy of this one or of the template's (cheap set lookups).
        header_texts = {c for c in header_cells if c} | {c.header for c in self.columns}
        for j, text in enumerate(header_cells):
            if text and j not in keys:
                book.findings.append(
                    self._finding(
                        book,
                        sheet.title,
                        header_line,
                        text,
                        "column_ignored",
                        "info",
                        KEPT,
                        text=text,
                    )
                )
        body = [(line, cells) for line, cells in rows[start + 1 :] if any(cells)]
        first_data = True
        previous = header_line
        # One C-level lookup of the template's columns per row.
        names = list(keys.values())
        pick = itemgetter(*keys)
        needed = max(keys) + 1
        for line, cells in body:
            # Readers give only rows with a value: a gap in the numbers is a row left empty.
            for empty in range(previous + 1, line):
                book.findings.append(
                    self._finding(book, sheet.title, empty, "", "empty_row", "info", KEPT)
                )
            previous = line
            if len(cells) < needed:
                cells = cells + [""] * (needed - len(cells))
            values = dict(zip(names, pick(cells), strict=True))
            if not any(values.values()):
                continue  # text only outside the template's columns (a note in the margin)
            self._second_header(line, cells, header_texts, source, first_data)
            first_data = False
            book.row_opds[line] = values.get("opd", "").strip()
            record, ok = self._innovation_row(values, line, keys, sheet.title, book)
            record.update(source_file=book.file, source_sheet=sheet.title, source_row=line)
            (book.innovations if ok else book.rejected).append(record)

    def _cell(self, keys, key, line) -> str:
        if self._cell_keys is not keys:  # one sheet's header at a time
            self._cell_keys = keys
            self._cell_letters = {}
            for j, k in keys.items():
                self._cell_letters.setdefault(k, _column_letter(j + 1))
        letter = self._cell_letters.get(key)
        return f"{letter}{line}" if letter is not None else ""

    def _innovation_row(self, values, line, keys, sheet, book) -> tuple[dict, bool]:
        """(the row in the output format, whether it has no error); findings appended."""
        # (key, check, params[, detail key]) of each problem
        errors: list[tuple] = []
        warnings: list[tuple] = []
        opd = values.get("opd", "").strip()
        record = {
            "innovation_id": values.get("innovation_id", "").strip(),
            "name": values.get("name", "").strip(),
            "opd": opd,
        }
        if not record["innovation_id"]:
            errors.append(("innovation_id", "blank_id", {}))
        stage = self._choice(values.get("stage", ""))
        allowed = ", ".join(STAGES)
        if stage not in STAGES:
            got = values.get("stage", "")
            detail = "unknown_stage" if got else "blank_stage"
            errors.append(("stage", "unknown_stage", {"got": got, "allowed": allowed}, detail))
        record["stage"] = stage
        status = self._choice(values.get("status", "")) or STATUS_ACCEPTED
        if status not in STATUSES:
            params = {"got": values.get("status"), "allowed": ", ".join(STATUSES)}
            errors.append(("status", "unknown_status", params))
        record["status"] = status
        urusan = values.get("urusan", "").strip()
        record["urusan"] = self.urusan.get(self._choice(urusan), urusan)
        jenis = self._choice(values.get("jenis", "")).replace("nondigital", "non digital")
        record["jenis"] = jenis
        notes: list[tuple] = []
        listed = not urusan or self._choice(urusan) in self.urusan
        basic = () if listed else basic_urusan_in(urusan)
        if len(basic) == 1:
            # Another spelling of a basic urusan (the IID application's "Ketentraman, ...",
            # PUPR, Trantibumlinmas): taken as the list's word, and said so.
            (record["urusan"],) = basic
            notes.append(("urusan", "urusan_variant", {"got": urusan, "name": record["urusan"]}))
        elif not listed:
            near = nearest(urusan, URUSAN)
            detail = "unknown_urusan_near" if near else "unknown_urusan"
            warnings.append(("urusan", "unknown_urusan", {"got": urusan, "nearest": near}, detail))
        if jenis and jenis not in JENIS:
            params = {"got": values.get("jenis"), "allowed": ", ".join(JENIS)}
            warnings.append(("jenis", "unknown_jenis", params))
        opd_list = book.opd_list
        if opd and opd_list is not None:
            official = opd_list.match(opd)
            if official is None:
                near = opd_list.nearest(opd)
                detail = "unknown_opd" if near else "unknown_opd_far"
                errors.append(("opd", "unknown_opd", {"got": opd, "nearest": near}, detail))
            else:
                record["opd"] = official
        if not opd:
            warnings.append(("opd", "blank_opd", {}))
        without_evidence = []
        levels = self._levels
        get = values.get
        filled = False
        for number, link_key in self.link_keys.items():
            text = get(number, "")
            level, problem = levels.get((number, text)) or self._level(number, text)
            if problem:
                errors.append((number, "invalid_level", problem[1], problem[0]))
                level = 0
            record[number] = level
            link = get(link_key, "").strip()
            record[link_key] = link
            if level:
                filled = True
                if not link:
                    without_evidence.append(number)
        if not errors and not filled:
            warnings.append(("", "no_levels", {}))
        if without_evidence:
            numbers = ", ".join(without_evidence)
            warnings.append((without_evidence[0], "level_without_evidence", {"numbers": numbers}))
        early = [n for n in self.early_numbers if record[n]] if stage == "inisiatif" else []
        if early:
            warnings.append(
                (early[0], "inisiatif_with_implementation_levels", {"numbers": ", ".join(early)})
            )
        for severity, action, problems in (
            ("error", LEFT_OUT, errors),
            ("warning", KEPT, warnings),
            ("info", KEPT, notes),
        ):
            for key, check, params, *detail in problems:
                book.findings.append(
                    self._finding(
                        book,
                        sheet,
                        line,
                        self.headers.get(key, key),
                        check,
                        severity,
                        action,
                        opd=record["opd"] or None,
                        cell=self._cell(keys, key, line) if key else "",
                        detail_key=detail[0] if detail else None,
                        todo_key=detail[0] if detail and check == "invalid_level" else None,
                        **params,
                    )
                )
        return record, not errors

    def _level(self, number: str, text: str) -> tuple[int, tuple | None]:
        """(level, None) or (0, (detail key, params)) for one level cell (cached)."""
        result = self._levels.get((number, text))
        if result is None:
            result = self._levels[(number, text)] = self._parse_level(number, text)
        return result

    def _parse_level(self, number: str, text: str) -> tuple[int, tuple | None]:
        if text == "":
            return 0, None
        level = self.choices[number].get(_normal_text(text))
        if level is not None:
            return level, None
        if not text.strip().startswith(("0 -", "1 -", "2 -", "3 -")):
            parsed = parse_level(text)
            if parsed is not None:
                return parsed, None
        if _DATE_TEXT.match(text) or _DATETIME_TEXT.match(text):
            return 0, ("invalid_level_date", {"date": text[:10]})
        choices = self.dropdowns[number]
        near = nearest(text, choices)
        if near is not None:
            return 0, ("invalid_level_near", {"got": text, "number": number, "nearest": near})
        params = {"got": text, "number": number, "choices": "; ".join(choices)}
        return 0, ("invalid_level", params)

    # -- SPD --------------------------------------------------------------------------------
    def _read_spd(self, path: Path, sheet, book: BookRows) -> None:
        source = sheet_source(path, sheet)
        rows = sheet.rows(source)
        start, keys = self._header(rows, source, self.spd_aliases, (), ("indicator", "level"))
        spd_headers = {c.key: c.header for c in SPD_COLUMNS}
        header_texts = {c for c in rows[start][1] if c} | set(spd_headers.values())
        seen: dict[str, int] = {}
        for line, cells in rows[start + 1 :]:
            values = {key: (cells[j] if j < len(cells) else "") for j, key in keys.items()}
            if not any(values.values()):
                continue
            self._second_header(line, cells, header_texts, source, False)
            label = indicator_label(values["indicator"])
            where = {"book": book, "sheet": sheet.title, "row": line}
            if label is None or label not in self.spd_numbers:
                try:
                    check_indicator(
                        label or str(values["indicator"]),
                        self.methodology,
                        "SPD",
                        source,
                        (line,),
                        spd_headers["indicator"],
                    )
                except IIDDataError as exc:
                    book.findings.append(
                        self._finding(
                            **where,
                            column=spd_headers["indicator"],
                            check="spd_indicator",
                            severity="error",
                            action=LEFT_OUT,
                            cell=self._cell(keys, "indicator", line),
                            got=values["indicator"],
                            technical=exc.detail,
                        )
                    )
                continue
            if label in seen:
                book.findings.append(
                    self._finding(
                        **where,
                        column=spd_headers["indicator"],
                        check="duplicate_indicator",
                        severity="error",
                        action=LEFT_OUT,
                        cell=self._cell(keys, "indicator", line),
                        indicator=label,
                        other_row=seen[label],
                    )
                )
                continue
            seen[label] = line
            level, problem = self._level(label, values["level"])
            if problem:
                key, params = problem
                book.findings.append(
                    self._finding(
                        **where,
                        column=spd_headers["level"],
                        check="invalid_level",
                        severity="error",
                        action=LEFT_OUT,
                        cell=self._cell(keys, "level", line),
                        detail_key=key,
                        todo_key=key,
                        **params,
                    )
                )
                continue
            if values["level"] == "":
                continue  # not answered in this workbook: another workbook may answer it
            evidence = {
                c.key: _date_text(values.get(c.key, ""))
                for c in SPD_COLUMNS
                if c.key.startswith("evidence_")
            }
            if level and not any(evidence.values()):
                book.findings.append(
                    self._finding(
                        **where,
                        column=spd_headers["evidence_nomor_surat"],
                        check="spd_level_without_evidence",
                        severity="warning",
                        action=KEPT,
                        indicator=label,
                        level=level,
                    )
                )
            book.spd.append(
                {
                    "indicator": label,
                    "level": level,
                    **evidence,
                    "source_file": book.file,
                    "source_sheet": sheet.title,
                    "source_row": line,
                }
            )


def _message(kind: str, key: str | None, params: dict):
    """``collection.<kind>.<key>`` with ``params``; None (the check's own key) without a key."""
    return Message(f"collection.{kind}.{key}", params) if key else None


def _template_opds(lists) -> OpdList | None:
    """The OPD list the template was made with: its hidden list sheet's ``opd`` column, with the
    short forms of its ``opd_singkatan`` column."""
    if lists is None:
        return None
    columns = {}
    for column in range(_LIST_FIRST_COLUMN, _LIST_FIRST_COLUMN + _LIST_MAX_COLUMNS):
        title = lists.cell_value(1, column)
        if title is None:
            break
        if str(title).strip() in ("opd", OPD_SHORT_FORMS_LIST):
            items = []
            row = 2
            while (value := lists.cell_value(row, column)) is not None:
                items.append(str(value))
                row += 1
            columns[str(title).strip()] = items
    if not columns.get("opd"):
        return None
    entries = [[name] for name in columns["opd"]]
    entries += [line.split(ALIAS_SEPARATOR) for line in columns.get(OPD_SHORT_FORMS_LIST, [])]
    return OpdList.from_names(entries)


_LETTERS: dict[int, str] = {}


def _column_letter(column: int) -> str:
    """:func:`get_column_letter`, cached."""
    letter = _LETTERS.get(column)
    if letter is None:
        letter = _LETTERS[column] = get_column_letter(column)
    return letter


def _normal_text(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _date_text(text: str) -> str:
    return text[:10] if _DATE_TEXT.match(text) else text.strip()


# --- reading a workbook ----------------------------------------------------------------------
# Two readers give the same sheets, rows and errors: python-calamine through
# dataset.FastWorkbook (the default: a folder of 50 workbooks is read many times faster than by
# openpyxl) and the package's openpyxl helpers (dataset.open_workbook / sheet_rows), used when
# calamine cannot read a workbook. Both apply the same cell checks: merged range holding a
# value, formula without a saved value, spreadsheet error value.


class OpenpyxlSheet:
    def __init__(self, worksheet, path: Path) -> None:
        self.worksheet = worksheet
        self.path = path
        self.title = worksheet.title
        self.sheet_state = worksheet.sheet_state

    def cell_value(self, row: int, column: int):
        return self.worksheet.cell(row, column).value

    def rows(self, source: str) -> list[tuple[int, list[str]]]:
        return list(sheet_rows(self.worksheet, source, path=self.path))


class OpenpyxlWorkbook:
    def __init__(self, path: Path) -> None:
        self.book = open_workbook(path)
        self.worksheets = [OpenpyxlSheet(ws, path) for ws in self.book.worksheets]
        self.keywords = self.book.properties.keywords

    def close(self) -> None:
        self.book.close()


def open_fast(path: Path):
    """The workbook at ``path`` through python-calamine, or openpyxl when calamine cannot."""
    try:
        return FastWorkbook(path)
    except WorkbookFallback:
        return OpenpyxlWorkbook(path)
