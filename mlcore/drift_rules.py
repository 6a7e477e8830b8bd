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

    PSI measures how far a distribution moved (0.1 noticeable, 0.25 large); the test's
    p-value says whether the move is real or sampling noise. Drift needs both: on a few
    hundred rows PSI alone is inflated by noise, and on millions of rows every harmless
    wobble is "significant". Without a p-value, PSI decides alone.
    """
    if psi is None and p_value is None:
        return "ok", "No statistic could be computed (no values on one side)."
    significant = p_value is None or p_value < rule.p_value
    psi = psi or 0.0
    p_text = "" if p_value is None else f" (p = {p_value:.2g})"
    if significant and psi >= rule.psi_drift:
        return "drift", f"PSI {psi:.3f} ≥ {rule.psi_drift:g}{p_text}: the distribution moved a lot."
    if significant and psi >= rule.psi_warn:
        return "warn", f"PSI {psi:.3f} ≥ {rule.psi_warn:g}{p_text}: a noticeable, real shift."
    if psi >= rule.psi_drift:
        return (
            "warn",
            f"PSI {psi:.3f} looks large, but the test cannot tell it from sampling noise"
            f"{p_text}: compare with more rows.",
        )
    if p_value is not None and significant:
        return "ok", f"A real but small shift: PSI {psi:.3f} < {rule.psi_warn:g}{p_text}."
    return "ok", "No meaningful shift."
