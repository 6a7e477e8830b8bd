"""Team-scoped lookups: own-team objects are found, anything else is a 404 (never a 500)."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from apps.accounts.models import Team, User
from apps.accounts.services import membership_set
from apps.core.models import Job
from apps.core.scoping import get_for_team_or_404, get_for_user_or_404, scope_to_user


def test_a_member_gets_their_own_team_object(teammate: User, make_job: Callable) -> None:
    job = make_job()
    assert get_for_user_or_404(Job.objects.all(), teammate, pk=job.pk) == job
    assert get_for_user_or_404(Job.objects.all(), teammate, pk=str(job.pk)) == job


def test_another_team_object_is_404(outsider: User, make_job: Callable) -> None:
    job = make_job()
    with pytest.raises(Http404):
        get_for_user_or_404(Job.objects.all(), outsider, pk=job.pk)


def test_a_user_in_both_teams_reaches_objects_of_both(
    owner: User, other_team: Team, make_job: Callable
) -> None:
    membership_set(team=other_team, user=owner, role="viewer")
    theirs = make_job(team=other_team)
    assert get_for_user_or_404(Job.objects.all(), owner, pk=theirs.pk) == theirs


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "", 12, None, "'; DROP TABLE core_job; --"])
def test_an_invalid_id_is_404_not_500(owner: User, bad_id: object) -> None:
    with pytest.raises(Http404):
        get_for_user_or_404(Job.objects.all(), owner, pk=bad_id)


def test_anonymous_users_reach_nothing(make_job: Callable) -> None:
    job = make_job()
    assert not scope_to_user(Job.objects.all(), AnonymousUser()).exists()
    with pytest.raises(Http404):
        get_for_user_or_404(Job.objects.all(), AnonymousUser(), pk=job.pk)


def test_team_lookup_finds_only_that_team_objects(
    team: Team, other_team: Team, make_job: Callable
) -> None:
    job = make_job()
    assert get_for_team_or_404(Job.objects.all(), team.pk, pk=job.pk) == job
    with pytest.raises(Http404):
        get_for_team_or_404(Job.objects.all(), other_team.pk, pk=job.pk)
    with pytest.raises(Http404):
        get_for_team_or_404(Job.objects.all(), team.pk, pk="nope")
