"""``iid-analysis forecast``: a region's IID in a later year, as a distribution."""

from __future__ import annotations

import argparse
import json
import math

from ..errors import UsageError
from ..forecasting.backtest import BACKTEST_N_DRAWS, BacktestResult, backtest, backtest_statement
from ..forecasting.forecast import DEFAULT_N_DRAWS, QUANTILE_LEVELS, Forecast, forecast_region
from ..inputs.published import (
    PREFER_DECREE,
    PREFERENCES,
    load_innovation_counts,
    load_national_summary,
    load_published_scores,
    peer_panel,
    published_spelling,
)
from ..wording import describe_probability, format_probability

ORDER = 20
MAX_HORIZON = 10
MAX_N_DRAWS = 1_000_000


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "forecast",
        help="forecast a region's IID for a later year, with honest uncertainty",
        description=(
            "Forecast a region's published IID (0..100) for a target year from the figures "
            "published up to --as-of, as a distribution: median, quantiles, the probability of "
            "reaching a target and of each predicate, with the backtest beside every probability."
        ),
    )
    parser.add_argument("--region", required=True, help='region name, e.g. "Kota Mojokerto"')
    parser.add_argument("--target-year", type=int, required=True, help="year to forecast")
    parser.add_argument("--target", type=float, help="an IID target: report P(IID >= target)")
    parser.add_argument(
        "--as-of", type=int, help="use only figures published up to this year (default: latest)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--n-draws",
        type=int,
        default=DEFAULT_N_DRAWS,
        help=f"draws of the predictive distribution (default {DEFAULT_N_DRAWS})",
    )
    parser.add_argument(
        "--prefer",
        choices=PREFERENCES,
        default=PREFER_DECREE,
        help="which figure of a conflicting region-year to use (default: decree)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Every published table is read once, here; the forecast and the backtest read no file.
    scores = load_published_scores()
    panel = peer_panel(scores)
    latest = int(panel["year"].max())
    as_of = latest if args.as_of is None else int(args.as_of)
    _check_args(args, as_of, latest)
    # The region as published, matched as every command matches it (case, spaces, punctuation).
    region = published_spelling(args.region, scores) or args.region
    forecast = forecast_region(
        region,
        args.target_year,
        as_of=as_of,
        seed=args.seed,
        n_draws=args.n_draws,
        prefer=args.prefer,
        panel=panel,
        scores=scores,
        innovation_counts=load_innovation_counts(),
        national_summary=load_national_summary(),
    )
    checked = backtest(panel, seed=args.seed, n_draws=BACKTEST_N_DRAWS, as_of=as_of)
    if args.json:
        print(json.dumps(forecast_json(forecast, checked, args.target), ensure_ascii=False))
    else:
        print(format_forecast(forecast, checked, args.target))
    return 0


def _check_args(args: argparse.Namespace, as_of: int, latest: int) -> None:
    if args.target is not None and not (math.isfinite(args.target) and 0.0 <= args.target <= 100.0):
        raise UsageError(f"--target must lie in 0..100, got {args.target:g}")
    if args.target_year <= as_of:
        raise UsageError(f"--target-year {args.target_year} must be after the as-of year {as_of}")
    if as_of > latest:
        raise UsageError(f"--as-of {as_of} is after the latest published data ({latest})")
    # Bounds named in the message (hostile input: a horizon or draws that never finish).
    if not 0 <= args.seed <= 2**32 - 1:
        raise UsageError(f"--seed must lie in 0..{2**32 - 1}, got {args.seed}")
    if args.target_year - as_of > MAX_HORIZON:
        raise UsageError(
            f"--target-year {args.target_year} is more than the horizon bound of {MAX_HORIZON} "
            f"years after the as-of year {as_of}"
        )
    if not 1 <= args.n_draws <= MAX_N_DRAWS:
        raise UsageError(f"--n-draws must lie in 1..{MAX_N_DRAWS}, got {args.n_draws}")


def _number(value: float, column: str = "") -> float | int | None:
    if value is None or not math.isfinite(value):
        return None
    if column.startswith("n_"):
        return int(value)
    return round(float(value), 6)


def _models_json(forecast: Forecast) -> list[dict]:
    rows = []
    for row in forecast.model_table().to_dict(orient="records"):
        cases = {"backtest_cases": int(row["backtest_cases"])}
        if row["model"] in forecast.refused:
            rows.append(
                {"name": row["model"], "weight": 0.0, "refused": row["refused_reason"]} | cases
            )
            continue
        rows.append(
            {"name": row["model"], "description": row["description"], "scale": row["scale"]}
            | {k: int(row[k]) for k in ("n_obs", "n_params", "residual_df")}
            | {k: _number(row[k]) for k in ("weight", "median", "q05", "q95")}
            | cases
            | ({"no_weight": row["refused_reason"]} if row["refused_reason"] else {})
        )
    return rows


def forecast_json(forecast: Forecast, checked: BacktestResult, target: float | None) -> dict:
    """The ``--json`` object: exactly the keys of the CLI contract."""
    notes = list(forecast.notes_in("en"))
    result: dict = {
        "region": forecast.region,
        "target_year": forecast.target_year,
        "as_of": forecast.as_of,
        "median": _number(forecast.median),
        "mean": _number(forecast.mean),
        "quantiles": {f"{q:.2f}": _number(v) for q, v in forecast.quantiles.items()},
    }
    if target is not None:
        p = forecast.prob_at_least(target)
        result["prob_at_least_target"] = _number(p)
        notes.append(
            f"P(IID {forecast.target_year} >= {target:g}) = {p:.0%}: "
            f"{describe_probability(p, 'id')} / {describe_probability(p, 'en')}."
        )
    result["prob_predicate"] = {k: _number(v) for k, v in forecast.prob_predicate().items()}
    result["models"] = _models_json(forecast)
    backtests: dict = {}
    for row in checked.summary.to_dict(orient="records"):
        backtests.setdefault(row["scheme"], {})[row["model"]] = {
            k: _number(v, k) for k, v in row.items() if k not in ("model", "scheme")
        }
    result["backtest"] = backtests
    notes.append(backtest_statement(checked))
    result["notes"] = notes
    return result


def format_forecast(forecast: Forecast, checked: BacktestResult, target: float | None) -> str:
    """The forecast as plain text, every probability with its verbal band and the backtest."""
    s = forecast.series
    q = forecast.quantiles
    published = ", ".join(f"{y}: {v:g}" for y, v in zip(s.years, s.values, strict=True))
    lines = [
        f"{forecast.region}: IID {forecast.target_year} as of {forecast.as_of} "
        f"(seed {forecast.seed})",
        f"  published 0..100: {published}",
        f"  median {forecast.median:.1f}, mean {forecast.mean:.1f}",
        f"  80 % interval {q[0.10]:.1f} .. {q[0.90]:.1f}; 90 % interval {q[0.05]:.1f} .. "
        f"{q[0.95]:.1f}",
        "  quantiles: " + ", ".join(f"{level:.0%} {q[level]:.1f}" for level in QUANTILE_LEVELS),
    ]
    if target is not None:
        p = forecast.prob_at_least(target)
        lines.append(f"  P(IID >= {target:g}) = {_both(p)}")
    lines.append(f"  P(IID > {s.last_value:g}) = {_both(forecast.prob_increase())}")
    lines.append(f"  predicate under the {forecast.bands_year} bands:")
    for predicate, p in forecast.prob_predicate().items():
        lines.append(f"    {predicate:<20} {_both(p)}")
    lines.append(f"  {backtest_statement(checked)}")
    lines.append("  models:")
    for row in _models_json(forecast):
        if "refused" in row:
            lines.append(f"    {row['name']:<12} refused: {row['refused']}")
        else:
            lines.append(
                f"    {row['name']:<12} weight {row['weight']:.2f}  median {row['median']:.1f}  "
                f"90 % {row['q05']:.1f} .. {row['q95']:.1f}  backtest cases "
                f"{row['backtest_cases']}  ({row['description']})"
            )
            if "no_weight" in row:
                lines.append(f"    {'':<12} no weight: {row['no_weight']}")
    lines.append("  notes:")
    lines.extend(f"    - {note}" for note in forecast.notes_in("en"))
    return "\n".join(lines)


def _both(p: float) -> str:
    return f"{format_probability(p, 'id')} / {describe_probability(p, 'en')}"
