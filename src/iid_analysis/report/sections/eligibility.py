"""Claimed and eligible: the IID as claimed and for the eligible innovations only, and the
innovations that fail which condition (the pre-check a planning office runs before sending).
Built from :attr:`ReportContext.eligibility`
(:class:`~iid_analysis.eligibility.ClaimedEligible`); words from ``catalogue/eligibility.*``."""

from __future__ import annotations

from ...eligibility import ClaimedEligible, failure_messages
from ...messages import message, render
from ..context import ReportContext
from ..i18n import provenance_word
from ..markup import Section, bullet_list, cited, notice, paragraph, table

KEY = "eligibility"


def eligibility_section(ctx: ReportContext) -> Section:
    """Claimed and eligible (both IIDs, the failing innovations, what was not checked)."""
    lang = ctx.lang
    result = ctx.eligibility
    title = render(message("eligibility.title"), lang)
    if result is None:
        blocks = (notice(render(message("eligibility.no_score"), lang), "missing"),)
        return Section(key=KEY, title=title, blocks=blocks, facts={"applies": None})
    if not result.applies:
        blocks = (paragraph(render(message("eligibility.no_rule", year=result.year), lang)),
                  *coverage_blocks(result, lang))
        return Section(key=KEY, title=title, blocks=blocks, facts=facts(result))
    return Section(key=KEY, title=title, blocks=tuple(blocks_of(result, lang)),
                   facts=facts(result))


def blocks_of(result: ClaimedEligible, lang: str) -> list:
    def words(key: str, **params) -> str:
        return render(message(f"eligibility.{key}", **params), lang)

    check = result.check
    start, end = check.window
    blocks = [paragraph(words("intro"))]
    blocks.append(paragraph(words(
        "headline", year=result.year, claimed=result.claimed.iid,
        claimed_predicate=result.claimed.predicate, eligible=result.eligible.iid,
        eligible_predicate=result.eligible.predicate)))
    rows = [
        [words(f"row_{name}"), str(score.n_innovations), words("iid_value", iid=score.iid),
         score.predicate]
        for name, score in (("claimed", result.claimed), ("eligible", result.eligible))
    ]
    blocks.append(table([words(k) for k in ("col_projection", "col_n", "col_iid",
                                            "col_predicate")], rows, numeric=(1, 2)))
    blocks.append(paragraph(words("counts", n_eligible=result.n_eligible,
                                  n_claimed=result.n_claimed, n_failing=check.n_failing)))
    if len(check.failures):
        conditions = [m.params["condition"] for m in failure_messages(check)]
        rows = [
            [f"{r.innovation_id} {r.name}".strip(), r.opd, render(condition, lang)]
            for r, condition in zip(check.failures.itertuples(index=False), conditions,
                                    strict=True)
        ]
        blocks.append(table([words("col_innovation"), words("col_opd"),
                             words("col_condition")], rows))
    else:
        blocks.append(paragraph(words("none_failing")))
    if check.unchecked:
        blocks.append(notice(bullet_list(
            words(f"unchecked.{name}") for name in check.unchecked), "warning"))
    blocks += coverage_blocks(result, lang)
    blocks.append(paragraph(words(
        "rule", year=result.year, start=start.isoformat(), end=end.isoformat(),
        mandatory=", ".join(check.mandatory), words=check.min_design_words,
        provenance=provenance_word(result.provenance, lang)), "iid-small"))
    blocks.append(paragraph(cited(result.source, result.source_id, lang), "iid-small"))
    return blocks


def coverage_blocks(result: ClaimedEligible, lang: str) -> list:
    """Both readings of the basic-urusan coverage where they change the count score."""
    lines = [render(m, lang) for m in result.coverage_messages()]
    return [notice(bullet_list(lines), "warning")] if lines else []


def facts(result: ClaimedEligible) -> dict:
    """The section's numbers, JSON-ready."""
    data = result.as_dict()
    return {k: data[k] for k in ("year", "applies", "n_claimed", "n_eligible", "iid_claimed",
                                  "iid_eligible", "failures", "unchecked", "window",
                                  "coverage_claimed", "coverage_eligible")}
