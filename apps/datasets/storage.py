"""Where dataset files live: staged uploads and Parquet versions in the "datasets" storage."""

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from django.core.files import File
from django.core.files.storage import Storage, storages

STAGING_PREFIX = "staging/"
VERSION_PREFIX = "versions/"


def dataset_storage() -> Storage:
    return storages["datasets"]


def new_staging_key(filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"{STAGING_PREFIX}{uuid.uuid4().hex}{suffix}"


def new_version_key() -> str:
    return f"{VERSION_PREFIX}{uuid.uuid4().hex}.parquet"


def stage_upload(uploaded: File, filename: str) -> str:
    """Keep an uploaded file under a random key until the ingest job has validated it."""
    return dataset_storage().save(new_staging_key(filename), uploaded)


@contextlib.contextmanager
def local_path(key: str) -> Iterator[Path]:
    """A local filesystem path for a stored file (copied to a temp file for remote storage)."""
    storage = dataset_storage()
    try:
        direct = Path(storage.path(key))
    except NotImplementedError:  # remote storage has no local path
        direct = None
    if direct is not None:
        yield direct
        return
    with (
        tempfile.NamedTemporaryFile(suffix=Path(key).suffix, delete=False) as tmp,
        storage.open(key, "rb") as source,
    ):
        shutil.copyfileobj(source, tmp)
    try:
        yield Path(tmp.name)
    finally:
        os.unlink(tmp.name)


def write_parquet(frame: pd.DataFrame) -> tuple[str, int]:
    """Store a table as Parquet under a new random key; returns (key, bytes)."""
    key = new_version_key()
    with tempfile.NamedTemporaryFile(suffix=".parquet", delete=False) as tmp:
        tmp_path = tmp.name
    try:
        frame.to_parquet(tmp_path, index=False, compression="zstd")
        size = os.path.getsize(tmp_path)
        with open(tmp_path, "rb") as handle:
            saved = dataset_storage().save(key, File(handle))
    finally:
        os.unlink(tmp_path)
    return saved, size


def read_parquet(key: str, columns: list[str] | None = None) -> pd.DataFrame:
    with local_path(key) as path:
        return pd.read_parquet(path, columns=columns)


def delete_quietly(key: str) -> None:
    with contextlib.suppress(FileNotFoundError, OSError):
        dataset_storage().delete(key)
