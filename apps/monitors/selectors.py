"""Reads for monitors: lists, check history, sparkline series, the notification log."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from apps.accounts.models import Team
from apps.monitors.charts import sparkline_svg
from apps.monitors.models import Channel, Check, CheckState, Monitor, Notification
from apps.problems.models import Problem

# Worst first on lists and the dashboard.
STATE_ORDER = {CheckState.BREACH: 0, CheckState.WARN: 1, CheckState.NO_DATA: 2, CheckState.OK: 3}
HISTORY_LIMIT = 500


# A run row carries its whole evaluation (sweep, curves): lists need only names.
RUN_HEAVY = ("evaluation", "intervals", "abstention", "segments", "details", "columns")


def _for_lists(monitors: QuerySet[Monitor]) -> QuerySet[Monitor]:
    """Everything the list rows and rule sentences read, in one query."""
    heavy = [f"{run}__{name}" for run in ("target_run", "baseline_run") for name in RUN_HEAVY]
    return monitors.select_related(
        "problem", "target_run", "baseline_run", "reference_version__dataset"
    ).defer(*heavy, "reference_version__schema", "reference_version__profile")


def monitor_list_for_team(team: Team) -> QuerySet[Monitor]:
    return _for_lists(Monitor.objects.filter(problem__team=team))


def monitor_list_for_problem(problem: Problem) -> QuerySet[Monitor]:
    return _for_lists(Monitor.objects.filter(problem=problem))


def sort_worst_first(monitors: list[Monitor]) -> list[Monitor]:
    return sorted(monitors, key=lambda m: (STATE_ORDER.get(m.state, 9), m.name.lower(), m.pk))


def check_history(monitor: Monitor, *, limit: int = HISTORY_LIMIT) -> list[Check]:
    """The newest checks, oldest first (for the chart and the table)."""
    rows = list(
        Check.objects.filter(monitor=monitor)
        .select_related("batch")
        .order_by("-created_at", "-id")[:limit]
    )
    rows.reverse()
    return rows


def channel_list_for_team(team: Team) -> QuerySet[Channel]:
    return Channel.objects.filter(team=team)


def notification_list_for_team(team: Team, *, limit: int = 200) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(team=team)
        .select_related("channel", "check_row__monitor__problem")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")[:limit]
    )


CARD_MONITORS = 4
STATE_LABELS = dict(CheckState.choices)


@dataclass
class CardMonitor:
    """What a dashboard card shows of a monitor (plain values: 1,000 model instances cost)."""

    pk: int
    name: str
    state: str
    last_value: float | None
    spark: dict = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


@dataclass
class ProblemCard:
    """One problem on the team dashboard: its worst monitor state and the monitors to show."""

    problem: Problem
    state: str
    monitors: list[CardMonitor]
    hidden: int
    counts: dict[str, int] = field(default_factory=dict)


def problem_board(
    problems: list[Problem],
    *,
    state: str = "",
    card_monitors: int = CARD_MONITORS,
    sparklines_for: int | None = None,
) -> list[ProblemCard]:
    """Cards for the problems, worst state first, each with up to `card_monitors` monitors
    (breaches and warnings first); the first `sparklines_for` cards get sparklines.

    Two queries however many problems, monitors and checks: the monitors' states, and
    the `recent` values (kept by every check) of the monitors that draw a sparkline.
    """
    by_problem: dict[int, list[CardMonitor]] = {p.pk: [] for p in problems}
    rows = Monitor.objects.filter(problem_id__in=list(by_problem), active=True).values_list(
        "pk", "problem_id", "name", "state", "last_value"
    )
    for pk, problem_id, name, monitor_state, last_value in rows:
        by_problem[problem_id].append(CardMonitor(pk, name, monitor_state, last_value))
    cards = []
    for problem in problems:
        ordered = sorted(
            by_problem[problem.pk],
            key=lambda m: (STATE_ORDER.get(m.state, 9), m.name.lower(), m.pk),
        )
        counts: dict[str, int] = {}
        for monitor in ordered:
            counts[monitor.state] = counts.get(monitor.state, 0) + 1
        worst = ordered[0].state if ordered else ""
        if state and worst != state:
            continue
        cards.append(
            ProblemCard(
                problem=problem,
                state=worst,
                monitors=ordered[:card_monitors],
                hidden=max(0, len(ordered) - card_monitors),
                counts=counts,
            )
        )
    cards.sort(key=lambda c: STATE_ORDER.get(c.state, 4) if c.state in ("breach", "warn") else 5)
    drawn = [m for card in cards[:sparklines_for] for m in card.monitors]
    recent = dict(Monitor.objects.filter(pk__in=[m.pk for m in drawn]).values_list("pk", "recent"))
    for monitor in drawn:
        monitor.spark = sparkline_svg([tuple(p) for p in recent.get(monitor.pk) or []])
    return cards
