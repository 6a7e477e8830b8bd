"""Checklist scores: the ML Test Score rubric and yes/no readiness checklists.

The ML Test Score (Breck et al., 2017, "The ML Test Score: A Rubric for ML Production
Readiness and Technical Debt Reduction") has 28 tests in four sections of seven. Each
test earns 0 (not done), 0.5 (done by hand and documented) or 1 (automated and run
repeatedly). The points are summed per section, and the final score is the *minimum*
of the four section sums: a system is only as ready as its least tested part.

Yes/no checklists count a "yes" as 1 point and a "partly" as half a point; "not
applicable" items leave both the points and the maximum. Unanswered items count as 0.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

ML_TEST_SCORE_SECTIONS: tuple[str, ...] = ("data", "model", "infrastructure", "monitoring")
ML_TEST_SCORE_POINTS: tuple[float, ...] = (0.0, 0.5, 1.0)

YES, PARTIAL, NO, NOT_APPLICABLE = "yes", "partial", "no", "not_applicable"
YES_NO_POINTS: dict[str, float] = {YES: 1.0, PARTIAL: 0.5, NO: 0.0}
YES_NO_STATES: tuple[str, ...] = (YES, PARTIAL, NO, NOT_APPLICABLE)


@dataclass(frozen=True)
class Band:
    """One of the rubric's bands: what a final score says about the system."""

    key: str
    title: str
    description: str
    lower: float | None  # exclusive lower bound (None: the band starts at 0 inclusive)
    upper: float | None  # inclusive upper bound (None: no upper bound)

    @property
    def range_text(self) -> str:
        """The scores in the band, in words: “0”, “above 1, up to 2”, “above 5”."""
        if self.lower is None:
            return format_points(self.upper or 0.0)
        if self.upper is None:
            return f"above {format_points(self.lower)}"
        return f"above {format_points(self.lower)}, up to {format_points(self.upper)}"

    def to_dict(self) -> dict:
        return {**asdict(self), "range_text": self.range_text}


# The paper's bands, in our own words. A score sits in the band whose (lower, upper]
# interval holds it; exactly 0 has a band of its own.
BANDS: tuple[Band, ...] = (
    Band(
        "research",
        "Research project",
        "Still a research prototype: nothing is tested yet, so it is not a production system.",
        None,
        0.0,
    ),
    Band(
        "reliability_gaps",
        "Serious gaps likely",
        "Some testing exists, but the system probably has serious holes in its reliability.",
        0.0,
        1.0,
    ),
    Band(
        "first_pass",
        "First pass at production",
        "A first step towards production readiness; it needs further investment.",
        1.0,
        2.0,
    ),
    Band(
        "reasonably_tested",
        "Reasonably tested",
        "Tested reasonably well, though more of the testing could be automated.",
        2.0,
        3.0,
    ),
    Band(
        "strong",
        "Strong",
        "Strong automated testing and monitoring: fit for mission-critical use.",
        3.0,
        5.0,
    ),
    Band(
        "exceptional",
        "Exceptional",
        "Exceptional automated testing and monitoring, beyond what most systems reach.",
        5.0,
        None,
    ),
)
BANDS_BY_KEY: dict[str, Band] = {band.key: band for band in BANDS}


def ml_test_score_band(score: float) -> Band:
    """The band a final ML Test Score falls in."""
    if score < 0:
        raise ValueError(f"An ML Test Score cannot be negative, got {score}.")
    for band in BANDS:
        above = band.lower is None or score > band.lower
        below = band.upper is None or score <= band.upper
        if above and below:
            return band
    raise AssertionError("the bands cover every score ≥ 0")  # pragma: no cover


@dataclass(frozen=True)
class MlTestScore:
    """Per-section sums, the final score (their minimum), its band, and how much is done."""

    section_sums: dict[str, float]
    final: float
    weakest: tuple[str, ...]
    band: Band
    answered: int
    total: int

    def to_dict(self) -> dict:
        return {
            "section_sums": dict(self.section_sums),
            "final": self.final,
            "weakest": list(self.weakest),
            "band": self.band.to_dict(),
            "answered": self.answered,
            "total": self.total,
        }


def _test_points(value: float | None, section: str) -> float:
    if value is None:
        return 0.0
    points = float(value)
    if points not in ML_TEST_SCORE_POINTS:
        raise ValueError(
            f"A test in section “{section}” scored {value}; each test scores 0, 0.5 or 1."
        )
    return points


def ml_test_score(section_scores: Mapping[str, Iterable[float | None]]) -> MlTestScore:
    """Sum each section's test scores (None = not answered = 0); the final is the minimum."""
    unknown = set(section_scores) - set(ML_TEST_SCORE_SECTIONS)
    if unknown:
        names = ", ".join(sorted(unknown))
        raise ValueError(f"Unknown ML Test Score section(s): {names}.")
    sums: dict[str, float] = {}
    answered = total = 0
    for section in ML_TEST_SCORE_SECTIONS:
        values = list(section_scores.get(section, ()))
        total += len(values)
        answered += sum(value is not None for value in values)
        # Halves add up exactly in binary floating point: no rounding is needed.
        sums[section] = sum(_test_points(value, section) for value in values)
    final = min(sums.values())
    weakest = tuple(section for section in ML_TEST_SCORE_SECTIONS if sums[section] == final)
    return MlTestScore(sums, final, weakest, ml_test_score_band(final), answered, total)


@dataclass(frozen=True)
class YesNoScore:
    """Points (yes = 1, partly = ½) out of the applicable items, and the count of each state."""

    points: float
    applicable: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def share(self) -> float | None:
        """Points over applicable items; None when every item is not applicable."""
        return self.points / self.applicable if self.applicable else None

    def to_dict(self) -> dict:
        return {
            "points": self.points,
            "applicable": self.applicable,
            "total": self.total,
            "answered": self.answered,
            "share": self.share,
            "counts": dict(self.counts),
        }


def yes_no_score(states: Iterable[str | None]) -> YesNoScore:
    """Score a yes/no checklist from its items' states (None or "" = not answered)."""
    counts = dict.fromkeys(YES_NO_STATES, 0)
    total = 0
    points = 0.0
    for state in states:
        total += 1
        if not state:
            continue
        if state not in counts:
            allowed = ", ".join(YES_NO_STATES)
            raise ValueError(f"Unknown checklist state “{state}”; use one of {allowed}.")
        counts[state] += 1
        points += YES_NO_POINTS.get(state, 0.0)
    applicable = total - counts[NOT_APPLICABLE]
    return YesNoScore(points, applicable, total, counts)


def format_points(value: float) -> str:
    """Points as people write them: 9, 9.5, 0.5 (never 9.0)."""
    return f"{value:g}"
