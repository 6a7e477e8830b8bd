"""Framework-free computation for Preflight: pure functions on arrays and DataFrames.

Nothing here imports Django, Celery or the apps (import-linter enforces it).
"""
