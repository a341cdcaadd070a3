"""The maturity grain's results are frozen rows (levers, OPDs), checked on a hand-worked case."""

from __future__ import annotations

import dataclasses

import pytest

from iid_analysis.report.analysis import MaturityLever, MaturityLevers, maturity_opds


def _lever(innovation_id, opd, status, maturity, gain):
    return MaturityLever(
        innovation_id=innovation_id, name=f"Inovasi {innovation_id}", opd=opd, status=status,
        maturity=maturity, headroom=0.0 if status == "ditolak" else 111 - maturity,
        iid_gain_per_point=0.0 if status == "ditolak" else 0.01, iid_gain_to_max=gain,
    )


LEVERS = MaturityLevers((
    _lever("A", "Dinas X", "diterima", 50.0, 1.0),
    _lever("B", "Dinas X", "ditolak", 0.0, 0.0),
    _lever("C", "Dinas Y", "diterima", 100.0, 0.5),
    _lever("D", "Dinas Z", "diterima", 30.0, 1.0),
))  # fmt: skip


def test_opds_group_the_levers_by_hand():
    opds = maturity_opds(LEVERS)
    # X: two innovations, one rejected, mean of the accepted one 50, gains 1.0 + 0.0; Z ties X
    # on 1.0 and follows it in name order; Y gains least.
    assert [(r.opd, r.n_innovations, r.n_rejected, r.mean_maturity, r.iid_gain_to_max)
            for r in opds] == [("Dinas X", 2, 1, 50.0, 1.0), ("Dinas Z", 1, 0, 30.0, 1.0),
                               ("Dinas Y", 1, 0, 100.0, 0.5)]
    assert [r.opd for r in opds.top(1)] == ["Dinas X"]


def test_an_opd_with_only_rejected_innovations_has_mean_zero():
    opds = maturity_opds(MaturityLevers((_lever("B", "Dinas X", "ditolak", 0.0, 0.0),)))
    assert opds[0].mean_maturity == 0.0 and opds[0].n_rejected == 1


def test_the_levers_are_frozen_and_give_their_frame():
    assert LEVERS.per_point == pytest.approx(0.01)
    assert MaturityLevers().per_point == 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        LEVERS[0].maturity = 111.0  # type: ignore[misc]
    frame = LEVERS.frame()
    assert list(frame.columns) == [f.name for f in dataclasses.fields(MaturityLever)]
    assert list(frame["innovation_id"]) == ["A", "B", "C", "D"]
