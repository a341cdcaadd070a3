"""What differs between a report at level grain and one at maturity grain, decided once.

:func:`~.context.build_context` knows the grain of the innovations file when it reads the region;
it then builds the one view of that grain (:class:`LevelGrain` or :class:`MaturityGrain`) and the
context carries it as ``ctx.grain_view``. Both answer the same questions (:class:`GrainView`): the
file the figures come from, the note on the grain, the SPD notes, the assumptions of the data and
of the plan, the command that reproduces the result, and which of two section builders applies.
The sections ask the view and never test the grain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeVar

from ..feasibility.change import DEFAULT_EVIDENCE_CHANCE, change_class_table
from ..feasibility.maturity_grain import GRAIN as MATURITY_GRAIN
from ..feasibility.maturity_grain import SPD_FROM_PUBLISHED
from ..feasibility.urusan import UrusanLever
from ..inputs.region import Region
from ..messages import Message, message
from ..methodology import Methodology
from . import assumptions as log
from .analysis import MaturityPart, PlanPart
from .headline import HeadlinePart

LEVEL_GRAIN = "level"

T = TypeVar("T")


@dataclass(frozen=True)
class SpdNotice:
    """A note on where the SPD comes from: its words and its kind (``info``, ``warning``)."""

    text: Message
    kind: str


class GrainView(Protocol):
    """The grain-specific results of a report behind one interface."""

    key: str
    """``level`` or ``maturity``."""
    data_file: str
    """The name of the file the figures come from (named under a figure when the data is not
    synthetic)."""
    command: str
    """The command line that reproduces the report's main result."""

    @property
    def note(self) -> Message | None:
        """The first screen's note on the grain (None when there is nothing to say)."""

    @property
    def facts(self) -> dict:
        """What the header records about the grain."""

    @property
    def command_key(self) -> str:
        """The catalogue key (``report.<key>``) naming :attr:`command` in "about this report"."""

    @property
    def urusan(self) -> UrusanLever | None:
        """The urusan wajib pelayanan dasar lever."""

    def spd_notices(self) -> tuple[SpdNotice, ...]:
        """Where the SPD comes from, when it is not an SPD file."""

    def data_assumptions(self) -> list[log.Assumption]:
        """The assumptions the data of this grain makes."""

    def plan_assumptions(self) -> list[log.Assumption]:
        """The assumptions the plan of this grain makes."""

    def choose(self, level: T, maturity: T) -> T:
        """The one of ``level`` and ``maturity`` (e.g. two section builders) for this grain."""


@dataclass(frozen=True)
class LevelGrain:
    """A report on indicator levels: the plan, the headline and the region they come from."""

    plan: PlanPart
    headline: HeadlinePart
    region: Region
    data_rules: Methodology
    data_file: str
    key: ClassVar[str] = LEVEL_GRAIN
    note: ClassVar[None] = None
    command_key: ClassVar[str] = "about_command"

    @property
    def facts(self) -> dict:
        return {}

    @property
    def command(self) -> str:
        return self.headline.command

    @property
    def urusan(self) -> UrusanLever | None:
        return self.headline.urusan

    def spd_notices(self) -> tuple[SpdNotice, ...]:
        return ()

    def data_assumptions(self) -> list[log.Assumption]:
        return log.indicator_assumption(self.data_rules, log.levels_used(self.region))

    def plan_assumptions(self) -> list[log.Assumption]:
        plan = self.plan
        settings = plan.settings
        return [
            *log.plan_assumptions(plan.plan_uncertainty.acceptance),
            *log.calendar_assumptions(
                plan.robust.plan.calendar,
                settings.evidence_chance if settings is not None else DEFAULT_EVIDENCE_CHANCE,
            ),
            *log.effort_assumptions(change_class_table(), self.headline.effort_defaults),
        ]

    def choose(self, level: T, maturity: T) -> T:
        return level


@dataclass(frozen=True)
class MaturityGrain:
    """A report on innovations known by their *kematangan* only (coarser than levels)."""

    part: MaturityPart
    data_year: int
    """The year of the data (the published IID the SPD may come from)."""
    data_rules: Methodology
    data_file: str
    innovations_file: str
    """The innovations file's name (named in the note)."""
    key: ClassVar[str] = MATURITY_GRAIN
    command_key: ClassVar[str] = "mg_about_command"

    @property
    def note(self) -> Message:
        return message("report.grain_note", source=message(
            "report.file_and_format", file=self.innovations_file, format=self.part.source_format,
        ))

    @property
    def facts(self) -> dict:
        return {"grain": self.key}

    @property
    def command(self) -> str:
        return self.part.command

    @property
    def urusan(self) -> UrusanLever | None:
        return self.part.urusan

    def spd_notices(self) -> tuple[SpdNotice, ...]:
        score = self.part.data_score
        if score.spd_basis != SPD_FROM_PUBLISHED:
            return ()
        notices = [SpdNotice(message("report.grain_spd_published", spd=score.spd,
                                     year=self.data_year, iid=score.iid), "info")]
        if not 0 <= score.spd <= self.data_rules.max_spd:
            notices.append(SpdNotice(message("report.grain_spd_outside", spd=score.spd,
                                             max=self.data_rules.max_spd), "warning"))
        return tuple(notices)

    def data_assumptions(self) -> list[log.Assumption]:
        part = self.part
        score = part.data_score
        published = None
        if score.spd_basis == SPD_FROM_PUBLISHED:
            published = (self.data_year, score.iid, score.spd)
        return log.maturity_grain_assumptions(
            part.source_format, part.source_provenance, part.new_maturity, published,
            effort=part.effort,
        )

    def plan_assumptions(self) -> list[log.Assumption]:
        # The plan's window, the kinds of change and the first-year profile, as at level grain
        # (no evidence steps at this grain: the chance that one is true is not used).
        rows = log.calendar_assumptions(self.part.plan.calendar, DEFAULT_EVIDENCE_CHANCE)
        return [row for row in rows if row.key != "plan_evidence_chance"]

    def choose(self, level: T, maturity: T) -> T:
        return maturity


__all__ = ["GrainView", "LEVEL_GRAIN", "LevelGrain", "MaturityGrain", "SpdNotice"]
