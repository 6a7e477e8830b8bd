"""monitors:batch_upload — upload form, htmx progress, valid/invalid POST, roles."""

import numpy as np
import pandas as pd
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.monitors.models import ProductionBatch


def csv(quality: float = 0.05) -> SimpleUploadedFile:
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 120)
    score = np.clip(quality * y + rng.uniform(0, 1 - quality, 120), 0, 1).round(4)
    frame = pd.DataFrame({"churned": np.where(y == 1, "yes", "no"), "score": score, "age": y})
    return SimpleUploadedFile("batch.csv", frame.to_csv(index=False).encode(), "text/csv")


def test_page_shows_the_form(owner_client: Client, make_monitor) -> None:  # noqa: ANN001
    monitor = make_monitor(threshold=0.9)
    body = owner_client.get(f"/monitors/{monitor.pk}/batches/new/").content.decode()
    assert 'id="upload-form"' in body


def test_htmx_post_starts_the_job_and_the_monitor_breaches(
    teammate_client: Client,
    make_monitor,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9)
    with django_capture_on_commit_callbacks(execute=True):
        response = teammate_client.post(
            f"/monitors/{monitor.pk}/batches/new/",
            {"file": csv(), "label": "wk 1"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert 'id="job-status"' in response.content.decode()
    batch = ProductionBatch.objects.get()
    assert batch.feature_columns == ["age"]
    monitor.refresh_from_db()
    assert monitor.state == "breach"


def test_post_without_a_file_is_422(owner_client: Client, make_monitor) -> None:  # noqa: ANN001
    monitor = make_monitor(threshold=0.9)
    response = owner_client.post(f"/monitors/{monitor.pk}/batches/new/", {"label": "x"})
    assert response.status_code == 422
    assert not ProductionBatch.objects.exists()


def test_viewer_403_outsider_404(
    viewer_client: Client,
    outsider_client: Client,
    make_monitor,  # noqa: ANN001
) -> None:
    monitor = make_monitor(threshold=0.9)
    assert viewer_client.get(f"/monitors/{monitor.pk}/batches/new/").status_code == 403
    assert outsider_client.get(f"/monitors/{monitor.pk}/batches/new/").status_code == 404
