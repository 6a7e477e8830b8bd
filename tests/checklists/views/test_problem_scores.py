"""checklists:problem_scores — out-of-band score cells for the rows of the problem list."""

import re
from collections.abc import Callable

from django.test import Client

from apps.problems import services as problem_services
from apps.problems.models import Problem


def url(*problems: Problem) -> str:
    return "/checklists/scores/?ids=" + ",".join(str(p.pk) for p in problems)


def cells(body: str) -> dict[int, str]:
    found = re.findall(
        r'<td id="checklist-score-(\d+)"[^>]*hx-swap-oob="true"[^>]*>(.*?)</td>', body, re.S
    )
    return {int(pk): re.sub(r"<[^>]+>", "", html).strip() for pk, html in found}


def test_it_answers_one_oob_cell_per_problem_with_the_headline_scores(
    owner_client: Client, problem: Problem, owner, team, answer_items: Callable
) -> None:
    second = problem_services.problem_create(
        team=team, user=owner, source="web", title="Churn", task_type="regression"
    )
    answer_items(problem, "is_ml_right", {"start_small": "yes", "baselines": "partial"})
    answer_items(problem, "ml_test_score", {s: "1" for s in ["data_schema", "model_slices"]})
    response = owner_client.get(url(problem, second), headers={"HX-Request": "true"})
    assert response.status_code == 200
    found = cells(response.content.decode())
    assert set(found) == {problem.pk, second.pk}
    # Automatic: problem defined → no, existing → no, MVP → no, metric → no, costs → no,
    # fallback → no; by hand: start small yes, baselines partly → 1.5 of 12.
    assert found[problem.pk] == "Is-ML 1.5/12 · Test score 0"
    assert found[second.pk].startswith("Is-ML 0/")
    assert "Test score —" in found[second.pk]


def test_it_leaves_out_problems_of_other_teams(
    owner_client: Client, problem: Problem, foreign_problem: Problem
) -> None:
    body = owner_client.get(url(problem, foreign_problem)).content.decode()
    assert set(cells(body)) == {problem.pk}
    assert f"checklist-score-{foreign_problem.pk}" not in body


def test_outsider_gets_no_cells(outsider_client: Client, problem: Problem) -> None:
    response = outsider_client.get(url(problem))
    assert response.status_code == 200
    assert cells(response.content.decode()) == {}


def test_junk_ids_are_ignored(owner_client: Client, problem: Problem) -> None:
    response = owner_client.get(f"/checklists/scores/?ids=abc,,{problem.pk},-3,{problem.pk}")
    assert response.status_code == 200
    assert set(cells(response.content.decode())) == {problem.pk}


def test_the_problem_list_asks_for_the_cells_of_its_rows(
    owner_client: Client, problem: Problem
) -> None:
    body = owner_client.get("/problems/").content.decode()
    assert f'hx-get="/checklists/scores/?ids={problem.pk}"' in body
    assert f'id="checklist-score-{problem.pk}"' in body


def test_the_cells_cost_the_same_queries_for_one_problem_or_twenty(
    owner_client: Client, owner, team, django_assert_max_num_queries: Callable
) -> None:
    problems = [
        problem_services.problem_create(
            team=team, user=owner, source="web", title=f"P{i}", task_type="binary",
            positive_label="yes",
        )
        for i in range(20)
    ]  # fmt: skip
    owner_client.get(url(*problems))  # starts the checklists
    with django_assert_max_num_queries(14):
        response = owner_client.get(url(*problems))
    assert len(cells(response.content.decode())) == 20
