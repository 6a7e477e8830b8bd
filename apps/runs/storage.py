"""Where run files live: staged uploads and prediction Parquet under "runs/" in the dataset
storage (a prefix of their own, so the dataset sweeper never deletes them)."""

import os
import tempfile
import uuid
from pathlib import Path

import pandas as pd
from django.core.files import File

from apps.datasets import storage as dataset_storage

STAGING_PREFIX = "runs/staging/"
PREDICTIONS_PREFIX = "runs/predictions/"

local_path = dataset_storage.local_path
delete_quietly = dataset_storage.delete_quietly


def stage_upload(uploaded: File, filename: str) -> str:
    """Keep an uploaded prediction file under a random key until the job has validated it."""
    suffix = Path(filename).suffix.lower()[:10]
    return dataset_storage.dataset_storage().save(
        f"{STAGING_PREFIX}{uuid.uuid4().hex}{suffix}", uploaded
    )


def write_predictions(frame: pd.DataFrame) -> str:
    """Store the mapped predictions (y_true, score) as Parquet under a new random key."""
    key = f"{PREDICTIONS_PREFIX}{uuid.uuid4().hex}.parquet"
    with tempfile.NamedTemporaryFile(suffix=".parquet", delete=False) as tmp:
        tmp_path = tmp.name
    try:
        frame.to_parquet(tmp_path, index=False, compression="zstd")
        with open(tmp_path, "rb") as handle:
            return dataset_storage.dataset_storage().save(key, File(handle))
    finally:
        os.unlink(tmp_path)


def read_predictions(key: str) -> pd.DataFrame:
    return dataset_storage.read_parquet(key)
