"""Reads of datasets and versions."""

from django.db.models import Count, QuerySet

from apps.accounts.models import Team
from apps.datasets.models import Dataset, DatasetVersion
from apps.problems.models import Problem


def dataset_list_for_team(team: Team) -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(problem__team=team)
        .select_related("problem")
        .annotate(version_count=Count("versions"))
        .order_by("problem__title", "name")
    )


def version_list_for_team(team: Team) -> QuerySet[DatasetVersion]:
    return (
        DatasetVersion.objects.filter(dataset__problem__team=team)
        .select_related("dataset__problem", "uploaded_by", "job")
        .order_by("-created_at")
    )


def version_list_for_problem(problem: Problem) -> QuerySet[DatasetVersion]:
    return (
        DatasetVersion.objects.filter(dataset__problem=problem)
        .select_related("dataset", "uploaded_by")
        .order_by("dataset__name", "-number")
    )


def version_siblings(version: DatasetVersion) -> QuerySet[DatasetVersion]:
    """Other versions of the same problem (candidates to compare with)."""
    return version_list_for_problem(version.dataset.problem).exclude(pk=version.pk)
