"""Drift status from PSI and the test's p-value."""

import pytest

from mlcore.drift_rules import DriftRule, classify_drift

RULE = DriftRule(psi_warn=0.1, psi_drift=0.25, p_value=0.01)


@pytest.mark.parametrize(
    ("psi", "p_value", "status", "words"),
    [
        (0.30, 0.001, "drift", "moved a lot"),
        (0.25, 0.0099, "drift", "moved a lot"),  # thresholds are inclusive for PSI
        (0.15, 0.001, "warn", "noticeable, real"),
        (0.40, 0.5, "warn", "sampling noise"),  # big PSI on few rows: not drift
        (0.15, 0.5, "ok", "No meaningful shift"),
        (0.02, 1e-9, "ok", "real but small"),  # huge samples: significant but harmless
        (0.02, 0.9, "ok", "No meaningful shift"),
        (0.30, None, "drift", "moved a lot"),  # no test available: PSI decides
        (None, None, "ok", "No statistic"),
    ],
)
def test_status_needs_a_large_and_real_shift(
    psi: float | None, p_value: float | None, status: str, words: str
) -> None:
    got, reason = classify_drift(psi, p_value, RULE)
    assert got == status
    assert words in reason


def test_changing_thresholds_changes_the_status() -> None:
    assert classify_drift(0.2, 0.001, RULE)[0] == "warn"
    assert classify_drift(0.2, 0.001, DriftRule(psi_drift=0.15))[0] == "drift"
    assert classify_drift(0.2, 0.001, DriftRule(psi_warn=0.5, psi_drift=0.6))[0] == "ok"
