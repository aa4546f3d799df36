"""Edges of asw-guard: HTTP sidecar, PostgreSQL store, Redis worker.

They import the core; the core never imports them.
"""
