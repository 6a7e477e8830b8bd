"""Evidence providers: checklist items Preflight can answer from its own data.

A provider is a function of the Problem that returns Evidence (a state, a sentence, a
link to where the evidence lives) or None when the data cannot tell. Template items name
their provider in the data file (`"auto": "costs_recorded"`). Register a new one with

    @evidence_provider("baseline_exists")
    def baseline_exists(problem: Problem) -> Evidence | None: ...

Providers for later capabilities (datasets, runs, monitors) read those apps through their
selectors and live next to these; they must stay cheap, since the checklist page runs
them on every load.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator

from apps.problems.models import FallbackKind, Problem, TaskType
from apps.problems.sections import FIELD_LABELS, SECTIONS_BY_KEY


@dataclass(frozen=True)
class Evidence:
    """An automatic answer: the state, a sentence saying why, and a link to the source."""

    state: str
    text: str
    url: str = ""


Provider = Callable[[Problem], Evidence | None]
_PROVIDERS: dict[str, Provider] = {}
# Providers that query other apps (a few reads per problem): skipped where many problems
# are refreshed at once (the problem list's score cells), which keep their last answer.
_QUERYING: set[str] = set()


def evidence_provider(key: str, *, queries: bool = False) -> Callable[[Provider], Provider]:
    """Register `function` as the provider named `key` (names are unique).

    `queries=True` marks a provider that reads the database beyond the problem row.
    """

    def register(function: Provider) -> Provider:
        if key in _PROVIDERS and _PROVIDERS[key] is not function:
            raise ValueError(f"An evidence provider called “{key}” is already registered.")
        _PROVIDERS[key] = function
        if queries:
            _QUERYING.add(key)
        return function

    return register


def provider_keys() -> frozenset[str]:
    return frozenset(_PROVIDERS)


def provider_queries(key: str) -> bool:
    return key in _QUERYING


def evidence_for(key: str, problem: Problem) -> Evidence | None:
    """The provider's evidence for this problem; None for an unknown provider."""
    provider = _PROVIDERS.get(key)
    return provider(problem) if provider is not None else None


# --- from the problem definition ------------------------------------------------------


def _section_url(problem: Problem, section: str) -> str:
    return reverse("problems:problem_edit", args=[problem.pk]) + f"#section-{section}"


def _filled(problem: Problem, field: str) -> bool:
    value = getattr(problem, field)
    return value is not None and str(value).strip() != ""


def _quote(text: str, words: int = 18) -> str:
    return "“" + Truncator(" ".join(text.split())).words(words) + "”"


def _labels(fields: list[str]) -> str:
    return ", ".join(FIELD_LABELS[field].lower() for field in fields)


@evidence_provider("problem_defined")
def problem_defined(problem: Problem) -> Evidence:
    """Overview and decision sections complete: the outcome and the decision are stated."""
    sections = [SECTIONS_BY_KEY["overview"], SECTIONS_BY_KEY["decision"]]
    missing = [f for section in sections for f in section.fields if not _filled(problem, f)]
    first_gap = next((s.key for s in sections if set(s.fields) & set(missing)), "overview")
    url = _section_url(problem, first_gap)
    if not missing:
        return Evidence(
            "yes",
            f"Desired outcome {_quote(problem.desired_outcome)}; "
            f"decision {_quote(problem.decision)}.",
            url,
        )
    if set(missing) == {f for section in sections for f in section.fields} - {"title"}:
        # Every problem has a title; nothing else is written down.
        return Evidence("no", "The overview and the decision are not written down yet.", url)
    return Evidence("partial", f"Still missing: {_labels(missing)}.", url)


@evidence_provider("costs_recorded")
def costs_recorded(problem: Problem) -> Evidence | None:
    """Binary problems: the cost of a false positive and of a false negative are recorded."""
    if problem.task_type != TaskType.BINARY:
        return None
    url = _section_url(problem, "costs")
    fp, fn = problem.cost_fp, problem.cost_fn
    if fp is not None and fn is not None:
        return Evidence(
            "yes",
            f"A false positive costs {fp:,.2f} {problem.currency}, "
            f"a false negative {fn:,.2f} {problem.currency}.",
            url,
        )
    if fp is None and fn is None:
        return Evidence("no", "Neither mistake has a cost in the definition yet.", url)
    missing = "false negative" if fn is None else "false positive"
    return Evidence("partial", f"The cost of a {missing} is still missing.", url)


@evidence_provider("existing_solution")
def existing_solution(problem: Problem) -> Evidence:
    """Today's solution described, and measured when its TPR and FPR are recorded."""
    url = _section_url(problem, "existing")
    if not _filled(problem, "existing_solution"):
        return Evidence("no", "Today's solution is not described yet.", url)
    described = f"Described: {_quote(problem.existing_solution, 12)}"
    if problem.existing_tpr is not None and problem.existing_fpr is not None:
        return Evidence(
            "yes",
            f"{described}; it catches {problem.existing_tpr:.0%} of positives "
            f"with {problem.existing_fpr:.0%} false alarms.",
            url,
        )
    if _filled(problem, "existing_performance"):
        return Evidence(
            "partial", f"{described}; its performance is described but not measured.", url
        )
    return Evidence("partial", f"{described}; how well it works is not recorded.", url)


@evidence_provider("non_ml_mvp")
def non_ml_mvp(problem: Problem) -> Evidence:
    """A non-ML first version is described (whether it ran is for a person to confirm)."""
    url = _section_url(problem, "existing")
    if not _filled(problem, "non_ml_mvp"):
        return Evidence("no", "No version without ML is described.", url)
    return Evidence(
        "partial",
        f"Described: {_quote(problem.non_ml_mvp, 14)}. Answer yes once it has been tried.",
        url,
    )


@evidence_provider("metric_chosen")
def metric_chosen(problem: Problem) -> Evidence:
    """A primary metric chosen, and the reason for it written down."""
    url = _section_url(problem, "task")
    if not problem.primary_metric:
        return Evidence("no", "No primary metric is chosen.", url)
    metric = problem.get_primary_metric_display()
    if not _filled(problem, "metric_rationale"):
        return Evidence("partial", f"{metric} is chosen, but not why.", url)
    return Evidence("yes", f"{metric}, because {_quote(problem.metric_rationale, 16)}.", url)


@evidence_provider("fallback_planned")
def fallback_planned(problem: Problem) -> Evidence:
    """A fallback for low-confidence cases is chosen and described."""
    url = _section_url(problem, "fallback")
    if not problem.fallback_kind:
        return Evidence("no", "No fallback is chosen yet.", url)
    if problem.fallback_kind == FallbackKind.NONE:
        return Evidence("no", "The definition says there is no fallback.", url)
    kind = problem.get_fallback_kind_display()
    if not _filled(problem, "fallback_description"):
        return Evidence("partial", f"{kind}, but how it works is not described.", url)
    return Evidence("yes", f"{kind}: {_quote(problem.fallback_description, 14)}", url)


@evidence_provider("critical_segments_named")
def critical_segments_named(problem: Problem) -> Evidence:
    """The segments that must never be worse are named (their data is checked later)."""
    url = _section_url(problem, "ownership")
    segments = problem.segment_list
    if not segments:
        return Evidence("no", "No critical segments are named.", url)
    names = ", ".join(segments[:5]) + (
        f" and {len(segments) - 5} more" if len(segments) > 5 else ""
    )
    # Named is half of the item: whether each has enough rows needs the datasets.
    return Evidence("partial", f"Named: {names}. Check each has enough rows.", url)


@evidence_provider("label_availability_known")
def label_availability_known(problem: Problem) -> Evidence:
    """When and how true labels arrive is written down."""
    url = _section_url(problem, "data")
    if not _filled(problem, "label_availability"):
        return Evidence("no", "When labels become available is not recorded.", url)
    return Evidence("yes", _quote(problem.label_availability, 20), url)


@evidence_provider("data_sources_described")
def data_sources_described(problem: Problem) -> Evidence:
    """The data sources are listed."""
    url = _section_url(problem, "data")
    if not _filled(problem, "data_sources"):
        return Evidence("no", "The data sources are not listed.", url)
    return Evidence("yes", _quote(problem.data_sources, 20), url)


# --- from datasets and runs ------------------------------------------------------------


@evidence_provider("schema_captured", queries=True)
def schema_captured(problem: Problem) -> Evidence | None:
    """Each stored dataset version records its inferred schema (types, missing, ranges)."""
    from apps.datasets.models import DatasetVersion, VersionStatus

    version = (
        DatasetVersion.objects.filter(dataset__problem=problem, status=VersionStatus.READY)
        .select_related("dataset")
        .order_by("-created_at")
        .first()
    )
    if version is None:
        return None  # nothing stored yet: the item is for a person until data arrives
    url = reverse("datasets:version_detail", args=[version.pk])
    return Evidence(
        "0.5",
        f"The inferred schema of every version is recorded ({version} has "
        f"{version.column_count} typed columns with missing shares and ranges); the "
        "expectations beyond it are for a person to write down.",
        url,
    )


@evidence_provider("simpler_model_beaten", queries=True)
def simpler_model_beaten(problem: Problem) -> Evidence | None:
    """The best model beats the best trained simple baseline; 1 when a gate enforces it."""
    from apps.runs.leaderboard import best_simple_baseline, ready_runs
    from apps.runs.metrics import primary_metric, run_metric_value
    from apps.runs.models import GateBaseline, RunKind

    url = reverse("runs:leaderboard", args=[problem.pk])
    runs = ready_runs(problem)
    metric = primary_metric(problem)
    reference = best_simple_baseline(runs, metric)
    if reference is None:
        return None  # no simple baseline trained: nothing to compare yet
    models = [
        (value, run)
        for run in runs
        if run.kind == RunKind.UPLOADED and (value := run_metric_value(run, metric.key)) is not None
    ]
    if not models:
        return None
    pick = max if metric.higher_is_better else min
    value, best = pick(models, key=lambda pair: pair[0])
    base = run_metric_value(reference, metric.key)
    beats = value > base if metric.higher_is_better else value < base
    comparison = f"{best.name} {value:.4g} vs {reference.name} {base:.4g} ({metric.label})"
    if not beats:
        return Evidence("0", f"The simpler model does as well: {comparison}.", url)
    gated = problem.gates.filter(baseline=GateBaseline.BEST_SIMPLE).exists()
    if gated:
        return Evidence("1", f"{comparison}, and a gate checks every new run against it.", url)
    return Evidence("0.5", f"{comparison}; add a gate so every new run is checked.", url)


@evidence_provider("quality_gated", queries=True)
def quality_gated(problem: Problem) -> Evidence | None:
    """Gates check every uploaded run's quality before it may ship (no gates: unanswered)."""
    url = reverse("runs:leaderboard", args=[problem.pk])
    count = problem.gates.count()
    if not count:
        return None
    return Evidence(
        "1",
        f"{count} gate{'s' if count > 1 else ''} check every uploaded run automatically (the "
        "leaderboard, the API, and `preflight leaderboard --check` in CI).",
        url,
    )


# --- from monitors -----------------------------------------------------------------------


def _monitor_evidence(problem: Problem, kinds: tuple[str, ...], what: str) -> Evidence | None:
    """1 when active monitors of these kinds have checked real data, 0.5 when none has yet."""
    from django.db.models import Count

    from apps.monitors.models import Monitor

    monitors = list(
        Monitor.objects.filter(problem=problem, kind__in=kinds, active=True).annotate(
            checked=Count("checks")
        )
    )
    if not monitors:
        return None
    url = reverse("monitors:problem_monitors", args=[problem.pk])
    checked = [m for m in monitors if m.checked]
    names = ", ".join(m.name for m in monitors[:3]) + ("…" if len(monitors) > 3 else "")
    if not checked:
        return Evidence("0.5", f"{what} is set up ({names}) but has not checked any data yet.", url)
    return Evidence(
        "1",
        f"{what} runs on every production batch and on a schedule: {names}, "
        f"{sum(m.checked for m in monitors):,} checks so far.",
        url,
    )


@evidence_provider("quality_monitored", queries=True)
def quality_monitored(problem: Problem) -> Evidence | None:
    """Threshold or break-even monitors check the quality of predictions in production."""
    return _monitor_evidence(problem, ("threshold", "break_even"), "Quality monitoring")


@evidence_provider("skew_monitored", queries=True)
def skew_monitored(problem: Problem) -> Evidence | None:
    """Drift monitors compare production inputs with the training reference."""
    return _monitor_evidence(problem, ("drift",), "Drift monitoring against the reference")
