from django.test import Client

from apps.problems.models import Problem

HX = {"HX-Request": "true"}


def _costs(**overrides: object) -> dict:
    data = {
        "currency": "EUR",
        "cost_fp": "4",
        "cost_fn": "120",
        "value_tp": "",
        "value_tn": "",
        "decisions_per_month": "1000",
        "positive_rate": "0.02",
    }
    return {**data, **overrides}


def test_the_editor_renders_every_section(owner_client: Client, problem: Problem) -> None:
    body = owner_client.get(f"/problems/{problem.pk}/edit/").content.decode()
    for key in (
        "overview",
        "decision",
        "task",
        "costs",
        "existing",
        "data",
        "fallback",
        "ownership",
    ):
        assert f'id="section-{key}"' in body
    assert 'id="completeness-meter"' in body


def test_htmx_save_returns_the_section_and_an_updated_meter(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(f"/problems/{problem.pk}/edit/costs/", _costs(), headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="card mb-3 pf-section" id="section-costs"')
    assert 'id="saved-costs"' in body
    assert 'id="completeness-meter" class="card mb-3" hx-swap-oob="true"' in body
    assert "Cost of a false positive" not in body.split('id="completeness-missing"')[1]
    problem.refresh_from_db()
    assert problem.cost_fn == 120
    assert problem.revisions.filter(field="cost_fn", source="web").exists()


def test_an_invalid_section_shows_errors_next_to_fields_and_saves_nothing(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(
        f"/problems/{problem.pk}/edit/costs/", _costs(cost_fp="-3", cost_fn="12"), headers=HX
    )
    body = response.content.decode()
    assert "Ensure this value is greater than or equal to 0" in body
    assert "Not saved" in body
    problem.refresh_from_db()
    assert problem.cost_fp is None
    assert problem.cost_fn is None
    assert problem.revisions.count() == 1


def test_a_cross_field_rule_error_lands_on_its_field(
    owner_client: Client, problem: Problem
) -> None:
    data = {
        "task_type": "binary",
        "target_column": "y",
        "positive_label": "1",
        "primary_metric": "rmse",
        "metric_rationale": "",
    }
    body = owner_client.post(
        f"/problems/{problem.pk}/edit/task/", data, headers=HX
    ).content.decode()
    field_block = body.split('id="field-primary_metric"')[1].split('id="field-')[0]
    assert "RMSE does not apply to binary classification" in field_block


def test_a_plain_post_redirects_back_to_the_editor(owner_client: Client, problem: Problem) -> None:
    response = owner_client.post(f"/problems/{problem.pk}/edit/costs/", _costs())
    assert response.status_code == 302


def test_a_plain_invalid_post_renders_the_page_with_422(
    owner_client: Client, problem: Problem
) -> None:
    response = owner_client.post(f"/problems/{problem.pk}/edit/costs/", _costs(currency="x"))
    assert response.status_code == 422
    assert b"three-letter ISO currency code" in response.content


def test_an_unknown_section_is_404(owner_client: Client, problem: Problem) -> None:
    assert owner_client.post(f"/problems/{problem.pk}/edit/secrets/", {}).status_code == 404


def test_viewers_cannot_save(viewer_client: Client, problem: Problem) -> None:
    response = viewer_client.post(f"/problems/{problem.pk}/edit/costs/", _costs(), headers=HX)
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.cost_fp is None
