"""Words that reach a reader: a message is a key and its parameters, never a finished sentence.

Every sentence shown on a page, in a worklist or to an OPD is looked up by key in one catalogue per
language (``catalogue/<domain>.<lang>.yaml``, merged; a key lives in exactly one domain file), and
its parameters are formatted for the language when it is rendered. Code never translates English
sentences by pattern: a sentence with no key cannot reach a page.

Template syntax is :meth:`str.format` with named fields and four language-aware format specs::

    {iid:num2}    a number with 2 decimals (``84,46`` / ``84.46``); ``num0``..``num3``
    {p:pct}       a share as a percentage (``42 %`` / ``42%``); ``pct1`` for one decimal
    {p:band}      the verbal band of a probability (``sangat mungkin`` / ``very likely``)
    {n:int}       an integer with thousands separators (``1.234`` / ``1,234``)

Any other field is inserted with ``str()``; a nested :class:`Message` is rendered first, a
:class:`Localized` text (a data file's label written in each language) gives the reader's
language, and a tuple or list is rendered item by item (with the field's format spec) and joined by
``"; "``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml

from .errors import UsageError
from .wording import LANGUAGES, format_number, format_percent, verbal_band

CATALOGUE_PACKAGE = "iid_analysis.catalogue"


@dataclass(frozen=True)
class Message:
    """A sentence to be rendered later: its catalogue ``key`` and named ``params``."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def render(self, lang: str) -> str:
        return render(self, lang)


@dataclass(frozen=True)
class Localized:
    """Text a data file writes in each language (a label with ``label_id`` and ``label_en``
    columns), used as a message parameter: rendered in the reader's language, never translated."""

    texts: Mapping[str, str]

    def __post_init__(self) -> None:
        if set(self.texts) != set(LANGUAGES):
            raise ValueError(f"Localized needs a text in each of {LANGUAGES}: {self.texts}")
        object.__setattr__(self, "texts", MappingProxyType(dict(self.texts)))

    def text(self, lang: str) -> str:
        return self.texts[lang]


class Term(Mapping[str, str]):
    """A word or short phrase of the catalogue in each language, read on first use: a mapping
    language -> text (``EFFORT_UNIT["id"]`` is ``hari kerja``) for the fixed terms code passes
    around, such as a unit or an owner's name, whose words stay in the catalogue."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __getitem__(self, lang: str) -> str:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return render(Message(self.key), lang)

    def __iter__(self):
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)

    def __repr__(self) -> str:
        return f"Term({self.key!r})"


def localized(**texts: str) -> Localized:
    """Shorthand: ``localized(id="inovasi baru", en="new innovation")``."""
    return Localized(texts)


def message(key: str, **params: object) -> Message:
    """Shorthand: ``message("plan.weeks_left", weeks=6)``."""
    return Message(key, params)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (the same values, parsed ten times faster:
the report loads every catalogue file), else PyYAML's own."""


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every key of ``lang``, merged from ``catalogue/*.<lang>.yaml``. A key in two files, or a
    value that is not text, is a :class:`UsageError` naming both files."""
    if lang not in LANGUAGES:
        raise UsageError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    folder = resources.files(CATALOGUE_PACKAGE)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(f".{lang}.yaml"):
            continue
        loaded = yaml.load(entry.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
        for key, text in _flatten(loaded):
            if not isinstance(text, str):
                raise UsageError(f"catalogue {entry.name}: {key}: the text must be a string")
            if key in merged:
                raise UsageError(
                    f"catalogue key {key!r} is in both {origin[key]} and {entry.name}"
                )
            merged[key] = text
            origin[key] = entry.name
    return MappingProxyType(merged)


def _flatten(tree: Mapping, prefix: str = ""):
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{full}.")
        else:
            yield full, value


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        lang = self.lang
        if isinstance(value, Message):
            return render(value, lang)
        if isinstance(value, Localized):
            return value.text(lang)
        if isinstance(value, tuple | list):
            return "; ".join(self.format_field(item, format_spec) for item in value)
        if format_spec.startswith("num"):
            return format_number(value, lang, int(format_spec[3:] or 2))
        if format_spec.startswith("pct"):
            return format_percent(value, lang, int(format_spec[3:] or 0))
        if format_spec == "band":
            return verbal_band(value, lang)
        if format_spec == "int":
            return format_number(value, lang, 0)
        return super().format_field(value, format_spec)


def render(item: Message | Localized | Term | str, lang: str) -> str:
    """The text of ``item`` in ``lang``. A plain string is returned as it is (for names and
    figures that need no words); a :class:`Localized` text gives ``lang``'s. An unknown key or a
    missing parameter is a :class:`UsageError` naming the key: a page never shows a half-rendered
    sentence."""
    if isinstance(item, str):
        return item
    if isinstance(item, Localized):
        return item.text(lang)
    if isinstance(item, Term):
        return item[lang]
    texts = catalogue(lang)
    try:
        template = texts[item.key]
    except KeyError:
        raise UsageError(f"no text for message key {item.key!r} in language {lang!r}") from None
    try:
        return _Formatter(lang).format(template, **item.params)
    except (KeyError, IndexError, ValueError) as exc:
        raise UsageError(f"message {item.key!r} ({lang}): {exc}") from None
