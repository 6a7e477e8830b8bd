"""Whatever bytes arrive, an upload ends in a clear answer: never a 500, never a crash."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import Job
from apps.datasets.models import DatasetVersion
from apps.problems.models import Problem

cells = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8),
    st.sampled_from(["", '"', '""', "a,b", "NA", "\\N", "1e309"]),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=6), min_size=0, max_size=12)
separators = st.sampled_from([",", ";", "\t", "|"])


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    sep = draw(separators)
    header = draw(st.lists(st.sampled_from(["churned", "a", "b", "", "a"]), min_size=0, max_size=5))
    lines = [sep.join(header)] + [sep.join(row) for row in draw(rows)]
    text = "\n".join(lines)
    return text.encode(
        draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"])), "replace"
    )


payloads = st.one_of(csv_bytes(), st.binary(max_size=2048))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(payload=payloads, name=st.sampled_from(["x.csv", "x.parquet", "x.tsv", "x"]))
def test_random_uploads_get_a_clear_answer(
    owner_client: Client,
    problem: Problem,
    django_capture_on_commit_callbacks,
    payload: bytes,
    name: str,
) -> None:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            f"/datasets/problems/{problem.pk}/upload/",
            {"name": "fuzz", "role": "train", "file": SimpleUploadedFile(name, payload)},
        )
    assert response.status_code in (302, 422), response.status_code
    for job in Job.objects.filter(kind="dataset_ingest"):
        assert job.status in ("succeeded", "failed")
        assert not job.error.startswith("Internal error"), job.error
    # A version exists only for a job that succeeded.
    succeeded = Job.objects.filter(kind="dataset_ingest", status="succeeded").count()
    assert DatasetVersion.objects.count() <= succeeded
