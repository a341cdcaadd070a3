"""The IID trend: models, the skill gate, rolling-origin backtests."""
