"""Helpers of scripts/bench: corpora, query set, engine runners, measurement and report."""
