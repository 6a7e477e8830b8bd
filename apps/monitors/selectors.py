"""Reads for monitors: lists, check history, sparkline series, the notification log."""

from dataclasses import dataclass, field

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from apps.accounts.models import Team
from apps.monitors.charts import sparkline_svg
from apps.monitors.models import Channel, Check, CheckState, Monitor, Notification
from apps.problems.models import Problem

# Worst first on lists and the dashboard.
STATE_ORDER = {CheckState.BREACH: 0, CheckState.WARN: 1, CheckState.NO_DATA: 2, CheckState.OK: 3}
HISTORY_LIMIT = 500
SPARK_POINTS = 20


def monitor_list_for_team(team: Team) -> QuerySet[Monitor]:
    return Monitor.objects.filter(problem__team=team).select_related("problem", "target_run")


def monitor_list_for_problem(problem: Problem) -> QuerySet[Monitor]:
    return Monitor.objects.filter(problem=problem).select_related("problem", "target_run")


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


def sparkline_values(monitor_ids: list[int], *, points: int = SPARK_POINTS) -> dict[int, list]:
    """The last `points` check values per monitor, oldest first: one query for all."""
    if not monitor_ids:
        return {}
    ranked = (
        Check.objects.filter(monitor_id__in=monitor_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("monitor_id")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=points)
        .values_list("monitor_id", "value", "state", "rank")
    )
    series: dict[int, list] = {pk: [] for pk in monitor_ids}
    for monitor_id, value, state, rank in ranked:
        series[monitor_id].append((rank, value, state))
    return {pk: [(v, s) for _, v, s in sorted(rows, reverse=True)] for pk, rows in series.items()}


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


@dataclass
class ProblemCard:
    """One problem on the team dashboard: its worst monitor state and the monitors to show."""

    problem: Problem
    state: str
    monitors: list[Monitor]
    hidden: int
    counts: dict[str, int] = field(default_factory=dict)


def problem_board(
    problems: list[Problem], *, state: str = "", card_monitors: int = CARD_MONITORS
) -> list[ProblemCard]:
    """Cards for the problems, worst state first, each with up to `card_monitors` monitors
    (breaches and warnings first) carrying a `spark` (inline SVG points).

    Two queries however many problems, monitors and checks: the monitors, and one window
    query for the sparkline values of the monitors shown.
    """
    by_problem: dict[int, list[Monitor]] = {p.pk: [] for p in problems}
    monitors = Monitor.objects.filter(problem_id__in=list(by_problem), active=True).only(
        "pk", "problem_id", "name", "kind", "metric", "state", "last_value", "last_checked_at"
    )
    for monitor in monitors:
        by_problem[monitor.problem_id].append(monitor)
    cards = []
    for problem in problems:
        ordered = sort_worst_first(by_problem[problem.pk])
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
    shown = [m.pk for card in cards for m in card.monitors]
    series = sparkline_values(shown)
    for card in cards:
        for monitor in card.monitors:
            monitor.spark = sparkline_svg(series.get(monitor.pk, []))
    cards.sort(key=lambda c: STATE_ORDER.get(c.state, 4) if c.state in ("breach", "warn") else 5)
    return cards
