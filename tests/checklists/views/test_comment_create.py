"""checklists:comment_create — a comment on one item's answer."""

from django.test import Client

from apps.checklists.models import Answer, AnswerComment
from apps.problems.models import Problem
from tests.checklists.conftest import HTMX, checklist_url, comment_url


def test_htmx_comment_returns_the_item_with_the_comment(
    teammate_client: Client, problem: Problem
) -> None:
    response = teammate_client.post(
        comment_url(problem, "is_ml_right", "test_set_guarded"),
        {"text": "Who owns the holdout?"},
        headers=HTMX,
    )
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div class="list-group-item pf-check-item" id="item-test_set_guarded"')
    assert "Who owns the holdout?" in body
    comment = AnswerComment.objects.get()
    assert comment.author.username == "tariq"
    # The comment hangs off an answer that is not answered yet.
    assert comment.answer.state == ""


def test_a_plain_post_adds_the_comment_and_redirects(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(
        comment_url(problem, "data_readiness", "label_quality"), {"text": "Two raters, κ = 0.8"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#item-label_quality")
    assert AnswerComment.objects.get().text == "Two raters, κ = 0.8"


def test_an_empty_comment_is_refused(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(
        comment_url(problem, "is_ml_right", "start_small"), {"text": "   "}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Write something" in response.content.decode()
    assert not AnswerComment.objects.exists()
    assert not Answer.objects.exists()


def test_a_comment_on_an_automatic_item_keeps_it_automatic(
    owner_client: Client, problem: Problem
) -> None:
    owner_client.post(
        comment_url(problem, "is_ml_right", "error_costs"), {"text": "Check with finance"}
    )
    owner_client.get(checklist_url(problem))
    answer = Answer.objects.get(item__key="error_costs", checklist__problem=problem)
    assert answer.is_automatic
    assert answer.state == "no"
    assert answer.comments.count() == 1


def test_viewer_may_not_comment(viewer_client: Client, problem: Problem) -> None:
    response = viewer_client.post(
        comment_url(problem, "is_ml_right", "start_small"), {"text": "hi"}, headers=HTMX
    )
    assert response.status_code == 403
    assert not AnswerComment.objects.exists()


def test_outsider_gets_404(outsider_client: Client, problem: Problem) -> None:
    response = outsider_client.post(
        comment_url(problem, "is_ml_right", "start_small"), {"text": "hi"}, headers=HTMX
    )
    assert response.status_code == 404
    assert not AnswerComment.objects.exists()
