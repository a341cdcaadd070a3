"""Forecasting a region's IID for a later year, and judging the forecasts.

- :mod:`.models`: the models (seeded draws of the target year's IID) and their refusals.
- :mod:`.scores`: the interval score, the CRPS and every score of one forecast.
- :mod:`.gate`: the ensemble's weights and the skill gate, with its cache object
  :class:`~.gate.SkillGate`.
- :mod:`.bands`: which year's predicate bands classify a forecast.
- :mod:`.notes`: what a forecast's numbers leave out, as catalogue messages.
- :mod:`.forecast`: :func:`~.forecast.forecast_region` and the :class:`~.forecast.Forecast`.
- :mod:`.backtest`: rolling-origin backtests and synthetic calibration of the models.

Arrows point down the list: no module imports one listed after it.
"""
