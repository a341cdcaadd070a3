"""Subcommands of the ``iid-analysis`` CLI, one module each (see :mod:`iid_analysis.cli`)."""
