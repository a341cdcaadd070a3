"""Message catalogues: ``<domain>.<lang>.yaml`` files read by :mod:`iid_analysis.messages`."""
