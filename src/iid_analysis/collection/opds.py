"""The region's OPD list (``--opds`` of ``template`` and ``collect``): official names and their
short forms.

A text file holds one OPD per line, the official name first and its short forms after it,
separated by semicolons (``Dinas Kesehatan; Dinkes``). A CSV or XLSX table holds an ``opd``
column (else the first column) and optionally an ``alias`` (or ``aliases``) column with short
forms separated by semicolons. The template's OPD dropdown offers the official names; collect
reads any official name or short form as the official name, compared ignoring case, width and
spacing, and flags every other name (never a new OPD).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InvalidValueError
from ..inputs.dataset import check_input_file, read_table
from .words import nearest, word_key

ALIAS_SEPARATOR = ";"
OPD_CUTOFF = 0.8
"""OPD names share words (``Dinas``, ``Badan``): a name is offered as the nearest only when it is
this alike (``Dinas Kesehtan`` -> ``Dinas Kesehatan``, ``Dinas Rahasia`` -> none)."""
_TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xlsm"}
_NAME_COLUMNS = ("opd", "nama_opd", "perangkat_daerah")
_ALIAS_COLUMNS = ("alias", "aliases", "singkatan")


@dataclass(frozen=True)
class OpdList:
    """Official OPD names in the list's order, {compared spelling: official name} and
    {official name: its short forms as written}."""

    names: tuple[str, ...]
    keys: dict[str, str]
    short_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_names(cls, entries, source: str = "") -> OpdList:
        """From ``entries``: each an official name or a sequence (official name, aliases...).
        A short form naming two different OPDs is an :class:`InvalidValueError`."""
        names: list[str] = []
        keys: dict[str, str] = {}
        forms: dict[str, list[str]] = {}
        for entry in entries:
            spellings = [entry] if isinstance(entry, str) else list(entry)
            spellings = [s.strip() for s in spellings if s and s.strip()]
            if not spellings:
                continue
            official = spellings[0]
            if word_key(official) in keys:
                official = keys[word_key(official)]
            elif official not in names:
                names.append(official)
            for spelling in spellings:
                key = word_key(spelling)
                if keys.get(key, official) != official:
                    raise InvalidValueError(
                        f"the short form {spelling!r} names two OPDs: {keys[key]!r} and "
                        f"{official!r}",
                        source=source or None,
                    )
                if key not in keys and key != word_key(official):
                    forms.setdefault(official, []).append(spelling)
                keys[key] = official
        if not names:
            raise InvalidValueError("the OPD list has no names", source=source or None)
        return cls(tuple(names), keys, {k: tuple(v) for k, v in forms.items()})

    def match(self, text: object) -> str | None:
        """The official name ``text`` stands for (an official name or a short form), else None."""
        return self.keys.get(word_key(text))

    def nearest(self, text: object) -> str | None:
        """The official name nearest to ``text`` (through its short forms too), else None."""
        spelling = nearest(text, self.keys, cutoff=OPD_CUTOFF)
        return self.keys[spelling] if spelling is not None else None

    def __len__(self) -> int:
        return len(self.names)


def read_opd_list(path: str | Path) -> OpdList:
    """The OPD list in ``path`` (see the module docstring). Blank lines and repeats are dropped;
    order is kept."""
    path = Path(path)
    check_input_file(path, source=f"--opds {path.name}")  # a pipe or device is never opened
    if path.suffix.lower() in _TABLE_SUFFIXES:
        frame = read_table(path)
        column = next((c for c in _NAME_COLUMNS if c in frame.columns), frame.columns[0])
        alias = next((c for c in _ALIAS_COLUMNS if c in frame.columns), None)
        entries = []
        for index, value in frame[column].items():
            raw = frame.at[index, alias] if alias is not None else None
            aliases = "" if raw is None or pd.isna(raw) else str(raw)
            entries.append([str(value), *aliases.split(ALIAS_SEPARATOR)])
    else:
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidValueError(f"cannot read the OPD list: {exc}", source=path.name) from None
        entries = [line.split(ALIAS_SEPARATOR) for line in lines]
    return OpdList.from_names(entries, source=path.name)
