"""How drift statistics become a status: the rule, separate from computing the statistics,
so a user can change thresholds and see new statuses without recomputing anything."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DriftRule:
    psi_warn: float = 0.1
    psi_drift: float = 0.25
    p_value: float = 0.01


def classify_drift(psi: float | None, p_value: float | None, rule: DriftRule) -> tuple[str, str]:
    """ok / warn / drift and the sentence that says why.

    PSI measures how far the distribution moved (0.1 is a noticeable shift, 0.25 a large
    one); the test's p-value says whether a shift is real. With large samples a tiny,
    harmless shift is "significant", so significance alone only warns.
    """
    if psi is not None and psi >= rule.psi_drift:
        return "drift", f"PSI {psi:.3f} ≥ {rule.psi_drift:g}: the distribution moved a lot."
    if psi is not None and psi >= rule.psi_warn:
        return "warn", f"PSI {psi:.3f} ≥ {rule.psi_warn:g}: a noticeable shift."
    if p_value is not None and p_value < rule.p_value:
        return (
            "warn",
            f"p = {p_value:.2g} < {rule.p_value:g}: a small but statistically real shift.",
        )
    if psi is None and p_value is None:
        return "ok", "No statistic could be computed (no values on one side)."
    return "ok", "No meaningful shift."
