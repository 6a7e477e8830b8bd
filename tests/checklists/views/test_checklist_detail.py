"""checklists:checklist_detail — one checklist of a problem: sections, items, answers, score."""

from collections.abc import Callable

import pytest
from django.test import Client

from apps.checklists.models import Answer, Checklist, ChecklistItem, ChecklistTemplate
from apps.checklists.services import answer_save, comment_create
from apps.problems.models import Problem
from tests.checklists.conftest import HTMX, checklist_url


def test_owner_sees_the_full_checklist_page(owner_client: Client, problem: Problem) -> None:
    response = owner_client.get(checklist_url(problem))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert "Is ML the right solution?" in body
    assert 'id="item-non_ml_mvp"' in body
    assert 'id="checklist-score"' in body
    # All twelve items, each with its own answer form.
    assert body.count('class="list-group-item pf-check-item"') == 12
    assert body.count('name="state" value="not_applicable"') == 12


def test_opening_the_page_starts_the_checklist_on_the_newest_template(
    owner_client: Client, problem: Problem
) -> None:
    assert not Checklist.objects.filter(problem=problem).exists()
    owner_client.get(checklist_url(problem, "ml_test_score"))
    checklist = Checklist.objects.get(problem=problem, key="ml_test_score")
    assert checklist.template.version == 1
    # The sibling checklists are started too, for the tabs.
    assert set(Checklist.objects.filter(problem=problem).values_list("key", flat=True)) == {
        "is_ml_right",
        "ml_test_score",
        "data_readiness",
    }


def test_the_rubric_page_shows_section_sums_final_score_band_and_chart(
    owner_client: Client, problem: Problem
) -> None:
    body = owner_client.get(checklist_url(problem, "ml_test_score")).content.decode()
    assert body.count('class="list-group-item pf-check-item"') == 28
    assert 'id="section-sums"' in body
    assert 'data-band="research"' in body
    assert 'id="score-chart"' in body
    assert "data-plotly=" in body
    assert "vendor/plotly/plotly.min.js" in body
    for title in ("Data and features", "Model development", "ML infrastructure", "Monitoring"):
        assert title in body


def test_teammate_sees_answers_given_by_the_owner(
    teammate_client: Client, problem: Problem, answer_items: Callable
) -> None:
    answer_items(problem, "is_ml_right", {"start_small": "yes"})
    body = teammate_client.get(checklist_url(problem)).content.decode()
    assert "Answered by olivia" in body


def test_htmx_get_returns_only_the_checklist_body(owner_client: Client, problem: Problem) -> None:
    response = owner_client.get(checklist_url(problem), headers=HTMX)
    body = response.content.decode().strip()
    assert response.status_code == 200
    assert body.startswith('<div id="checklist-body"')
    assert "<html" not in body


def test_viewer_sees_the_answers_with_disabled_controls_and_no_forms_to_fill(
    viewer_client: Client, problem: Problem
) -> None:
    response = viewer_client.get(checklist_url(problem))
    body = response.content.decode()
    assert response.status_code == 200
    assert "disabled" in body
    assert "Save answer" not in body
    assert 'name="text"' not in body  # no comment form


def test_outsider_gets_404(outsider_client: Client, problem: Problem) -> None:
    assert outsider_client.get(checklist_url(problem)).status_code == 404
    assert not Checklist.objects.filter(problem=problem).exists()


def test_an_unknown_checklist_is_404(owner_client: Client, problem: Problem) -> None:
    assert owner_client.get(checklist_url(problem, "no_such_list")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, problem: Problem) -> None:
    response = client.get(checklist_url(problem))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_comments_and_evidence_links_are_shown_with_their_authors(
    owner_client: Client, problem: Problem, owner, teammate
) -> None:
    owner_client.get(checklist_url(problem))
    checklist = Checklist.objects.get(problem=problem, key="is_ml_right")
    item = ChecklistItem.objects.get(template=checklist.template, key="baselines")
    answer_save(
        checklist=checklist,
        item=item,
        user=owner,
        state="partial",
        evidence_text="Human expert and dummy baselines only",
        evidence_url="https://wiki.example.com/baselines",
    )
    comment_create(checklist=checklist, item=item, user=teammate, text="AutoML run is next week.")
    body = owner_client.get(checklist_url(problem)).content.decode()
    assert "Human expert and dummy baselines only" in body
    assert 'href="https://wiki.example.com/baselines"' in body
    assert "AutoML run is next week." in body
    assert "tariq" in body


def test_the_page_does_not_issue_a_query_per_item(
    owner_client: Client,
    problem: Problem,
    owner,
    django_assert_max_num_queries: Callable,
) -> None:
    owner_client.get(checklist_url(problem, "ml_test_score"))
    checklist = Checklist.objects.get(problem=problem, key="ml_test_score")
    # Every one of the 28 tests answered, with evidence and a comment each.
    for item in ChecklistItem.objects.filter(template=checklist.template):
        answer_save(checklist=checklist, item=item, user=owner, state="1", evidence_text="CI")
        comment_create(checklist=checklist, item=item, user=owner, text=f"About {item.key}")
    assert Answer.objects.filter(checklist=checklist).count() == 28
    with django_assert_max_num_queries(20):
        response = owner_client.get(checklist_url(problem, "ml_test_score"))
    assert response.status_code == 200
    assert response.content.decode().count("About ") == 28


@pytest.mark.parametrize("key", ["is_ml_right", "ml_test_score", "data_readiness"])
def test_every_template_renders(owner_client: Client, problem: Problem, key: str) -> None:
    template = ChecklistTemplate.objects.filter(key=key).latest("version")
    body = owner_client.get(checklist_url(problem, key)).content.decode()
    assert template.title in body
    assert body.count('class="list-group-item pf-check-item"') == template.items.count()
