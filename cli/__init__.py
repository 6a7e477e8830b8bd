"""`preflight`: a small command-line client of the JSON API, for CI jobs."""
