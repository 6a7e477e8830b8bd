from django.test import Client

from apps.problems.models import Problem


def test_the_form_renders(owner_client: Client) -> None:
    response = owner_client.get("/problems/new/")
    assert response.status_code == 200
    assert b'name="positive_label"' in response.content


def test_a_valid_post_creates_and_opens_the_editor(owner_client: Client) -> None:
    response = owner_client.post(
        "/problems/new/",
        {
            "title": "Churn",
            "task_type": "binary",
            "target_column": "churned",
            "positive_label": "yes",
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/problems/{problem.pk}/edit/"
    assert problem.revisions.get().source == "web"


def test_a_binary_problem_without_positive_label_shows_the_error_next_to_the_field(
    owner_client: Client,
) -> None:
    response = owner_client.post("/problems/new/", {"title": "Churn", "task_type": "binary"})
    assert response.status_code == 200
    assert b"needs the target value that counts as positive" in response.content
    assert b"is-invalid" in response.content
    assert not Problem.objects.exists()


def test_viewers_cannot_create_problems(viewer_client: Client) -> None:
    response = viewer_client.post("/problems/new/", {"title": "X", "task_type": "regression"})
    assert response.status_code == 403
    assert not Problem.objects.exists()
