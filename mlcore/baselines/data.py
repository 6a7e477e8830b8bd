"""Split, encode and validate the training and evaluation frames for the baseline ladder."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

TASKS = ("binary", "multiclass", "regression")
# HistGradientBoosting needs category codes below max_bins (255); the rarest levels share a code.
MAX_CATEGORIES = 250
OTHER = "(other)"


class BaselineDataError(ValueError):
    """The frames cannot be used for baselines; the message names the column or row."""


@dataclass(frozen=True)
class Prepared:
    """Model-ready features (float64; categoricals as codes, NaN = missing) and encoded targets."""

    task: str
    target: str
    positive_label: str | None
    classes: list[str]
    numeric: list[str]
    categorical: list[str]
    categories: dict[str, list[str]]
    dropped: dict[str, str]
    excluded: list[str]
    x_train: pd.DataFrame = field(repr=False, compare=False)
    y_train: np.ndarray = field(repr=False, compare=False)
    x_eval: pd.DataFrame = field(repr=False, compare=False)
    y_eval: np.ndarray = field(repr=False, compare=False)

    @property
    def features(self) -> list[str]:
        return [*self.numeric, *self.categorical]

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "target": self.target,
            "positive_label": self.positive_label,
            "classes": list(self.classes),
            "numeric": list(self.numeric),
            "categorical": list(self.categorical),
            "categories": {k: list(v) for k, v in self.categories.items()},
            "dropped": dict(self.dropped),
            "excluded": list(self.excluded),
            "n_train": int(len(self.y_train)),
            "n_eval": int(len(self.y_eval)),
        }


def label_text(value: object) -> str:
    """The label as compared with the positive label: 1.0 reads as "1", whitespace stripped."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    return str(value).strip()


def _label_texts(column: pd.Series) -> pd.Series:
    """label_text of every value, computed once per distinct value."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    texts = np.array([label_text(v) for v in uniques], dtype=object)
    return pd.Series(texts[codes], index=column.index)


def _missing_mask(column: pd.Series) -> np.ndarray:
    mask = column.isna().to_numpy().copy()
    if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
        # A blank cell in a CSV is as missing as an empty one.
        mask |= column.astype(str).str.strip().eq("").to_numpy() & ~mask
    return mask


def _check_target(frame: pd.DataFrame, target: str, which: str) -> pd.Series:
    if target not in frame.columns:
        raise BaselineDataError(f"target column '{target}' is not in the {which} data")
    column = frame[target]
    missing = np.flatnonzero(_missing_mask(column))
    if missing.size:
        raise BaselineDataError(
            f"{which} data row {missing[0] + 1} has no value in target column '{target}'"
            f" ({missing.size} such rows)"
        )
    return column


def _class_key(label: str) -> tuple[int, float, str]:
    # Numeric labels sort as numbers ("2" before "10"), the rest as text after them.
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def _encode_target(
    train: pd.Series, evaluation: pd.Series, target: str, task: str, positive_label: str | None
) -> tuple[np.ndarray, np.ndarray, list[str], str | None]:
    if task == "regression":
        encoded = []
        for which, column in (("training", train), ("evaluation", evaluation)):
            values = pd.to_numeric(column, errors="coerce")
            bad = np.flatnonzero(values.isna().to_numpy())
            if bad.size:
                raise BaselineDataError(
                    f"target column '{target}' must be numeric for regression: {which} data row"
                    f" {bad[0] + 1} has {column.iloc[bad[0]]!r}"
                )
            encoded.append(values.to_numpy(dtype=np.float64))
        return encoded[0], encoded[1], [], None
    train_text = _label_texts(train)
    eval_text = _label_texts(evaluation)
    if task == "binary":
        if positive_label is None or not str(positive_label).strip():
            raise BaselineDataError("a binary task needs the positive label")
        positive = str(positive_label).strip()
        seen = sorted(set(train_text) | set(eval_text), key=_class_key)
        others = [v for v in seen if v != positive]
        if positive not in seen or len(others) != 1:
            raise BaselineDataError(
                f"binary target '{target}' must hold the positive label '{positive}' and exactly"
                f" one other value; found {len(seen)} value(s): {', '.join(seen[:10])}"
            )
        if train_text.nunique() < 2:
            raise BaselineDataError(
                f"target column '{target}' has only the value '{train_text.iloc[0]}' in the"
                " training data; it needs both classes"
            )
        y_train = (train_text == positive).to_numpy().astype(np.int8)
        y_eval = (eval_text == positive).to_numpy().astype(np.int8)
        return y_train, y_eval, [others[0], positive], positive
    classes = sorted(set(train_text), key=_class_key)
    if len(classes) < 2:
        raise BaselineDataError(
            f"target column '{target}' has fewer than 2 classes in the training data"
        )
    codes = {label: i for i, label in enumerate(classes)}
    y_eval = eval_text.map(codes)
    unseen = np.flatnonzero(y_eval.isna().to_numpy())
    if unseen.size:
        raise BaselineDataError(
            f"evaluation data row {unseen[0] + 1} has class '{eval_text.iloc[unseen[0]]}' in"
            f" target column '{target}', which the training data does not have"
        )
    y_train = train_text.map(codes).to_numpy().astype(np.int64)
    return y_train, y_eval.to_numpy().astype(np.int64), classes, None


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
        column.dtype
    )


def _as_float(column: pd.Series) -> np.ndarray:
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    values = values.copy()  # pandas may hand out a read-only view
    values[~np.isfinite(values)] = np.nan  # sklearn rejects inf; treat it as missing
    return values


def _as_text(column: pd.Series) -> pd.Series:
    """Stripped text per value (computed once per distinct value); blanks and NA become NaN."""
    codes, uniques = pd.factorize(column)
    texts = np.array([str(v).strip() for v in uniques] + [np.nan], dtype=object)
    texts[:-1][texts[:-1] == ""] = np.nan
    return pd.Series(texts[codes], index=column.index)  # code -1 picks the trailing NaN


def _category_codes(
    train: pd.Series, evaluation: pd.Series
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    counts = train.value_counts(dropna=True)
    kept = [
        str(v) for v in counts.index[: MAX_CATEGORIES - 1 if len(counts) > MAX_CATEGORIES else None]
    ]
    levels = [*kept, OTHER] if len(counts) > MAX_CATEGORIES else kept
    index = pd.Index(kept, dtype=object)
    train_codes = index.get_indexer(train).astype(np.float64)
    rare = (train_codes < 0) & train.notna().to_numpy()
    train_codes[train_codes < 0] = np.nan
    train_codes[rare] = len(kept)  # only possible when the "(other)" level exists
    # Unseen evaluation levels read as missing: the models have no estimate for them.
    eval_codes = index.get_indexer(evaluation).astype(np.float64)
    seen_rare = (eval_codes < 0) & (pd.Index(counts.index).get_indexer(evaluation) >= 0)
    eval_codes[eval_codes < 0] = np.nan
    eval_codes[seen_rare] = len(kept)
    return train_codes, eval_codes, levels


def prepare(
    train: pd.DataFrame,
    evaluation: pd.DataFrame,
    target: str,
    task: str,
    positive_label: str | None = None,
    exclude: Iterable[str] = (),
) -> Prepared:
    """Split X/y, encode the target, type the features and drop the useless ones."""
    if task not in TASKS:
        raise BaselineDataError(f"task must be one of {', '.join(TASKS)}, not '{task}'")
    for which, frame in (("training", train), ("evaluation", evaluation)):
        if len(frame) == 0:
            raise BaselineDataError(f"the {which} data has no rows")
    y_train_raw = _check_target(train, target, "training")
    y_eval_raw = _check_target(evaluation, target, "evaluation")
    y_train, y_eval, classes, positive = _encode_target(
        y_train_raw, y_eval_raw, target, task, positive_label
    )
    excluded = [c for c in dict.fromkeys(exclude) if c in train.columns and c != target]
    candidates = [c for c in train.columns if c != target and c not in excluded]
    dropped: dict[str, str] = {}
    numeric: list[str] = []
    categorical: list[str] = []
    categories: dict[str, list[str]] = {}
    train_cols: dict[str, np.ndarray] = {}
    eval_cols: dict[str, np.ndarray] = {}
    for name in candidates:
        column = train[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype) or isinstance(
            column.dtype, pd.PeriodDtype
        ):
            dropped[name] = "date/time columns are not used by the baselines"
            continue
        numeric_col = _is_numeric(column)
        values = _as_float(column) if numeric_col else _as_text(column)
        if pd.isna(values).all():
            dropped[name] = "every training value is missing"
            continue
        if pd.Series(values).nunique(dropna=False) <= 1:
            dropped[name] = "constant in the training data"
            continue
        if name not in evaluation.columns:
            raise BaselineDataError(
                f"evaluation data has no column '{name}', which the training data has"
            )
        if numeric_col:
            numeric.append(name)
            train_cols[name] = values
            eval_cols[name] = _as_float(evaluation[name])
        else:
            categorical.append(name)
            codes, eval_codes, levels = _category_codes(values, _as_text(evaluation[name]))
            train_cols[name], eval_cols[name], categories[name] = codes, eval_codes, levels
    if not numeric and not categorical:
        reasons = "; ".join(f"'{k}': {v}" for k, v in list(dropped.items())[:5])
        raise BaselineDataError(
            "no usable feature column left" + (f" ({reasons})" if reasons else "")
        )
    order = [*numeric, *categorical]
    return Prepared(
        task=task,
        target=target,
        positive_label=positive,
        classes=classes,
        numeric=numeric,
        categorical=categorical,
        categories=categories,
        dropped=dropped,
        excluded=excluded,
        x_train=pd.DataFrame({c: train_cols[c] for c in order}, index=None),
        y_train=y_train,
        x_eval=pd.DataFrame({c: eval_cols[c] for c in order}, index=None),
        y_eval=y_eval,
    )
