"""Picking one segment of a production batch; the batch (or segment) is then evaluated by
`apps.runs.evaluation.evaluate_predictions`, exactly as a run is."""

import pandas as pd

from apps.runs.predictions import SEGMENT_PREFIX


def segment_key(column: str, value: str) -> str:
    return f"{column}={value}"


def segment_rows(predictions: pd.DataFrame, column: str, value: str) -> pd.DataFrame | None:
    """The rows of one segment value (None when the file has no such segment column)."""
    name = SEGMENT_PREFIX + column
    if name not in predictions.columns:
        return None
    return predictions[predictions[name].astype("string") == value]
