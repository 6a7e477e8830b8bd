"""A role counts in the object's own team, not in whichever team is current."""

from django.test import Client

from apps.accounts.models import Role, Team, User
from apps.accounts.services import membership_set
from apps.core.models import Job
from apps.problems import services as problem_services


def test_an_owner_of_one_team_cannot_write_where_they_only_view(
    owner: User, owner_client: Client, other_team: Team, outsider: User
) -> None:
    membership_set(team=other_team, user=owner, role=Role.VIEWER)
    problem = problem_services.problem_create(
        team=other_team, user=outsider, source="web", title="Theirs", task_type="regression"
    )
    job = Job.objects.create(team=other_team, kind="selfcheck", title="theirs")
    # Readable: the owner is a member of the other team...
    assert owner_client.get(f"/problems/{problem.pk}/").status_code == 200
    # ...but only as a viewer there, whatever their role in their current team.
    response = owner_client.post(f"/problems/{problem.pk}/edit/overview/", {"title": "mine now"})
    assert response.status_code == 403
    assert owner_client.post(f"/jobs/{job.pk}/cancel/").status_code == 403
    assert owner_client.get(f"/datasets/problems/{problem.pk}/upload/").status_code == 403
    problem.refresh_from_db()
    assert problem.title == "Theirs"
