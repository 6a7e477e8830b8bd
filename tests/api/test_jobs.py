"""GET /api/v1/jobs/{job_id}: a job's state, for the token's team only."""

import uuid

import pytest
from django.test import Client

from apps.accounts.models import Team, User
from apps.accounts.services import membership_set
from apps.core.models import Job, JobStatus


def add_job(team: Team, user: User | None = None, **fields: object) -> Job:
    return Job.objects.create(
        team=team, kind="selfcheck", title="Self-check", created_by=user, **fields
    )


def test_a_job_of_the_token_s_team_is_returned_with_its_state(
    owner_api: Client, owner: User, team: Team
) -> None:
    job = add_job(
        team,
        owner,
        status=JobStatus.SUCCEEDED,
        progress=100,
        message="Done",
        attempts=1,
        result={"oof_auc": 0.99},
    )
    response = owner_api.get(f"/api/v1/jobs/{job.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(job.pk)
    assert body["kind"] == "selfcheck"
    assert body["status"] == "succeeded"
    assert body["progress"] == 100
    assert body["message"] == "Done"
    assert body["error"] == ""
    assert body["attempts"] == 1
    assert body["result"] == {"oof_auc": 0.99}
    assert body["finished_at"] is None
    assert body["created_at"]


def test_a_queued_job_has_no_result_yet(owner_api: Client, team: Team) -> None:
    body = owner_api.get(f"/api/v1/jobs/{add_job(team).pk}").json()
    assert (body["status"], body["progress"], body["result"], body["started_at"]) == (
        "queued",
        0,
        None,
        None,
    )


def test_another_team_s_job_is_a_json_404(owner_api: Client, other_team: Team) -> None:
    job = add_job(other_team)
    response = owner_api.get(f"/api/v1/jobs/{job.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": []}


def test_an_unknown_job_is_a_json_404(owner_api: Client) -> None:
    response = owner_api.get(f"/api/v1/jobs/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found."


def test_a_member_of_both_teams_still_sees_only_the_token_s_team(
    owner_api: Client, owner: User, other_team: Team
) -> None:
    membership_set(team=other_team, user=owner, role="owner")
    job = add_job(other_team)
    assert owner_api.get(f"/api/v1/jobs/{job.pk}").status_code == 404


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000Z"])
def test_a_malformed_job_id_is_answered_in_the_json_error_shape(
    owner_api: Client, bad_id: str
) -> None:
    response = owner_api.get(f"/api/v1/jobs/{bad_id}")
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    if response.status_code == 422:
        assert body["errors"][0]["field"] == "job_id"


def test_a_job_without_a_token_is_401(client: Client, team: Team) -> None:
    response = client.get(f"/api/v1/jobs/{add_job(team).pk}")
    assert response.status_code == 401
    assert "result" not in response.json()
