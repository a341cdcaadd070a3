"""Feasibility: what each lever is worth, scenarios, the cheapest path to a target IID, the
uncertainty of a plan, and each OPD's part. See docs/feasibility.md."""
