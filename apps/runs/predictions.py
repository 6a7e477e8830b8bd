"""Reading a prediction file into the stored columns, for each task, with located errors.

Stored columns, whatever the file called them:
- binary: `y_true` (0/1, the problem's positive label is 1) and `score` (probability);
- multiclass: `y_true` (the class as text) and one `proba:<class>` column per class, or
  `predicted` (the class as text) when the file holds predicted labels only;
- regression: `y_true` and `prediction` (float64);
- any task: `segment:<name>` per segment column (values as text, missing kept missing).

Every error names the line (CSV, as an editor counts it) or row (Parquet) and the column.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd

from apps.core.jobs import JobDataError
from apps.datasets import services as dataset_services
from apps.problems.models import Problem, TaskType
from apps.runs import storage
from mlcore import tabular

Y_TRUE_NAMES = ("y_true", "label", "target", "y", "actual", "truth", "outcome")
SCORE_NAMES = ("score", "y_score", "proba", "probability", "prediction", "pred", "p")
PREDICTION_NAMES = (
    "prediction",
    "y_pred",
    "pred",
    "predicted",
    "forecast",
    "estimate",
    "score",
    "yhat",
)
PROBA_PREFIXES = ("proba:", "proba_", "prob_", "p_", "score_")
MAX_CLASSES = 100
# A CSV rounds probabilities; rows this close to 1 are renormalised, farther ones refused.
PROBA_SUM_TOLERANCE = 1e-3
SEGMENT_PREFIX = "segment:"
PROBA_PREFIX = "proba:"


def _norm(name: object) -> str:
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def guess_columns(columns: list[str], problem: Problem) -> dict[str, str | None]:
    """The likely true-value and score columns of a prediction file (None when no guess)."""
    by_norm = {_norm(c): str(c) for c in columns}
    y_true = None
    if problem.target_column and problem.target_column in columns:
        y_true = problem.target_column
    else:
        y_true = next((by_norm[n] for n in Y_TRUE_NAMES if n in by_norm), None)
    score = next((by_norm[n] for n in SCORE_NAMES if n in by_norm and by_norm[n] != y_true), None)
    if score is None:
        score = next(
            (
                str(c)
                for c in columns
                if str(c) != y_true and any(w in _norm(c) for w in ("score", "proba"))
            ),
            None,
        )
    return {"y_true": y_true, "score": score}


def _where(index: int, column: str, *, parquet: bool) -> str:
    # CSV: the line as an editor counts it (header is line 1); Parquet has no lines.
    place = f"Row {index + 1}" if parquet else f"Line {index + 2}"
    return f"{place}, column “{column}”"


def _pick_column(frame: pd.DataFrame, chosen: str, guessed: str | None, role: str) -> str:
    names = [str(c) for c in frame.columns]
    listed = ", ".join(f"“{n}”" for n in names[:20])
    if chosen:
        if chosen not in names:
            raise JobDataError(
                f"The {role} column “{chosen}” is not in the file. The columns are: {listed}."
            )
        return chosen
    if guessed is None:
        raise JobDataError(
            f"No {role} column could be guessed; choose it in the form. The columns are: {listed}."
        )
    return guessed


def label_key(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _refuse_missing(values: pd.Series, *, column: str, parquet: bool, reason: str) -> None:
    """JobDataError naming the first row whose value is missing."""
    missing = values.isna().to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise JobDataError(f"{_where(row, column, parquet=parquet)}: {reason}")


def map_labels(values: pd.Series, positive_label: str, *, column: str, parquet: bool) -> np.ndarray:
    """0/1 labels from the true-value column: the problem's positive label is 1."""
    _refuse_missing(
        values,
        column=column,
        parquet=parquet,
        reason="the true value is missing. Every row needs the outcome that happened.",
    )
    keys = values.map(label_key)
    distinct = sorted(keys.unique().tolist())
    if len(distinct) > 2:
        shown = ", ".join(f"“{d}”" for d in distinct[:6])
        raise JobDataError(
            f"Column “{column}” has {len(distinct)} distinct labels ({shown}); a binary problem "
            "needs exactly two."
        )
    positive = positive_label.strip()
    if not positive:
        if not set(distinct) <= {"0", "1"}:
            raise JobDataError(
                f"Column “{column}” holds {', '.join(distinct)}: set the problem's positive label "
                "so Preflight knows which one is the positive class."
            )
        positive = "1"
    if positive not in distinct and len(distinct) == 2:
        raise JobDataError(
            f"Column “{column}” holds “{distinct[0]}” and “{distinct[1]}”, but the problem's "
            f"positive label is “{positive}”: neither matches."
        )
    return (keys == positive).to_numpy(dtype=np.int8)


def check_scores(values: pd.Series, *, column: str, parquet: bool) -> np.ndarray:
    """Scores as float64 probabilities, or JobDataError naming the first bad row."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad_text = numbers.isna() & values.notna()
    if bad_text.any():
        row = int(np.flatnonzero(bad_text.to_numpy())[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: “{values.iloc[row]}” is not a number; "
            "scores must be probabilities between 0 and 1."
        )
    s = numbers.to_numpy(dtype=np.float64)
    nan = np.isnan(s)
    if nan.any():
        row = int(np.flatnonzero(nan)[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: the score is missing (NaN). Every row "
            "needs a score."
        )
    outside = (s < 0.0) | (s > 1.0)
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: {s[row]:g} is outside [0, 1]; scores must "
            "be probabilities of the positive class (apply a sigmoid to raw margins)."
        )
    return s


def guess_proba_columns(columns: list[str], y_true: str | None) -> dict[str, str]:
    """{class: column} for columns named like proba_<class> (the first prefix that matches ≥ 2)."""
    for prefix in PROBA_PREFIXES:
        found = {
            str(c)[len(prefix) :]: str(c)
            for c in columns
            if str(c).lower().startswith(prefix) and str(c) != y_true and len(str(c)) > len(prefix)
        }
        if len(found) >= 2:
            return found
    return {}


def parse_column_list(raw: str) -> list[str]:
    """Column names from "a, b, c" (comma-separated, without repeats)."""
    names: list[str] = []
    for part in (raw or "").split(","):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def check_numbers(values: pd.Series, *, column: str, parquet: bool, what: str) -> np.ndarray:
    """Finite float64 values, or JobDataError naming the first text, missing or infinite row."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad_text = numbers.isna() & values.notna()
    if bad_text.any():
        row = int(np.flatnonzero(bad_text.to_numpy())[0])
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: “{values.iloc[row]}” is not a number; "
            f"the {what} must be numeric."
        )
    x = numbers.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(x)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        shown = "missing" if np.isnan(x[row]) else f"{x[row]:g}"
        raise JobDataError(
            f"{_where(row, column, parquet=parquet)}: the {what} is {shown}. Every row needs a "
            f"finite {what}."
        )
    return x


def _text_labels(values: pd.Series, *, column: str, parquet: bool) -> pd.Series:
    _refuse_missing(
        values,
        column=column,
        parquet=parquet,
        reason="the value is missing. Every row needs a class.",
    )
    return values.map(label_key).astype(object)


def _classes_from_columns(frame: pd.DataFrame, p: dict, y_col: str) -> dict[str, str]:
    chosen = parse_column_list(p.get("proba_columns", ""))
    if not chosen:
        return guess_proba_columns([str(c) for c in frame.columns], y_col)
    out: dict[str, str] = {}
    for name in chosen:
        _pick_column(frame, name, None, "probability")
        label = next((name[len(x) :] for x in PROBA_PREFIXES if name.lower().startswith(x)), name)
        out[label] = name
    return out


def _check_probabilities(
    frame: pd.DataFrame, by_class: dict[str, str], *, parquet: bool
) -> np.ndarray:
    matrix = np.column_stack(
        [
            check_numbers(frame[col], column=col, parquet=parquet, what="probability")
            for col in by_class.values()
        ]
    )
    outside = (matrix < 0) | (matrix > 1)
    if outside.any():
        row, j = (int(v[0]) for v in np.nonzero(outside))
        col = list(by_class.values())[j]
        raise JobDataError(
            f"{_where(row, col, parquet=parquet)}: {matrix[row, j]:g} is outside [0, 1]; "
            "each class column must hold a probability."
        )
    sums = matrix.sum(axis=1)
    off = np.abs(sums - 1.0) > PROBA_SUM_TOLERANCE
    if off.any():
        row = int(np.flatnonzero(off)[0])
        shown = ", ".join(f"“{c}”" for c in by_class.values())
        place = f"Row {row + 1}" if parquet else f"Line {row + 2}"
        raise JobDataError(
            f"{place}: the class probabilities ({shown}) sum to {sums[row]:.4g}, not 1. "
            "Upload one probability column per class of the problem."
        )
    return matrix / sums[:, None]


def map_multiclass(frame: pd.DataFrame, p: dict, y_col: str, *, parquet: bool) -> tuple:
    """(stored frame, columns) for a multiclass file: probabilities per class, or labels."""
    y = _text_labels(frame[y_col], column=y_col, parquet=parquet)
    by_class = _classes_from_columns(frame, p, y_col)
    if len(by_class) == 1:
        raise JobDataError("Name one probability column per class (at least two).")
    if by_class:
        classes = list(by_class)
        unknown = ~y.isin(classes).to_numpy()
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            raise JobDataError(
                f"{_where(row, y_col, parquet=parquet)}: “{y.iloc[row]}” is not one of the "
                f"classes the probability columns name ({', '.join(classes)})."
            )
        matrix = _check_probabilities(frame, by_class, parquet=parquet)
        stored = pd.DataFrame({"y_true": y.to_numpy(dtype=object)})
        for j, label in enumerate(classes):
            stored[PROBA_PREFIX + label] = matrix[:, j]
        return stored, {"y_true": y_col, "proba": by_class}
    guess = next(
        (str(c) for c in frame.columns if _norm(c) in PREDICTION_NAMES and str(c) != y_col), None
    )
    pred_col = _pick_column(frame, p.get("score_column", ""), guess, "predicted-class")
    predicted = _text_labels(frame[pred_col], column=pred_col, parquet=parquet)
    classes = sorted(set(y.unique()) | set(predicted.unique()))
    if len(classes) > MAX_CLASSES:
        raise JobDataError(
            f"Columns “{y_col}” and “{pred_col}” hold {len(classes)} distinct classes; at most "
            f"{MAX_CLASSES} are supported."
        )
    stored = pd.DataFrame(
        {"y_true": y.to_numpy(dtype=object), "predicted": predicted.to_numpy(dtype=object)}
    )
    return stored, {"y_true": y_col, "predicted": pred_col}


def map_regression(frame: pd.DataFrame, p: dict, y_col: str, *, parquet: bool) -> tuple:
    """(stored frame, columns) for a regression file: numeric truth and prediction."""
    guess = next(
        (str(c) for c in frame.columns if _norm(c) in PREDICTION_NAMES and str(c) != y_col), None
    )
    pred_col = _pick_column(frame, p.get("score_column", ""), guess, "prediction")
    if pred_col == y_col:
        raise JobDataError(f"The true value and the prediction cannot both be column “{y_col}”.")
    y = check_numbers(frame[y_col], column=y_col, parquet=parquet, what="true value")
    f = check_numbers(frame[pred_col], column=pred_col, parquet=parquet, what="prediction")
    return pd.DataFrame({"y_true": y, "prediction": f}), {"y_true": y_col, "prediction": pred_col}


def map_binary(
    frame: pd.DataFrame, p: dict, y_col: str, problem: Problem, *, parquet: bool
) -> tuple:
    """(stored frame, columns) for a binary file: 0/1 truth and positive-class score."""
    guess = guess_columns([str(c) for c in frame.columns], problem)
    s_col = _pick_column(frame, p.get("score_column", ""), guess["score"], "score")
    if y_col == s_col:
        raise JobDataError(f"The true value and the score cannot both be column “{y_col}”.")
    y = map_labels(frame[y_col], problem.positive_label, column=y_col, parquet=parquet)
    s = check_scores(frame[s_col], column=s_col, parquet=parquet)
    return pd.DataFrame({"y_true": y, "score": s}), {"y_true": y_col, "score": s_col}


def add_segments(
    stored: pd.DataFrame, frame: pd.DataFrame, names: list[str], columns: dict
) -> None:
    """Copy each segment column (as text) into the stored frame; refuse mapped columns."""
    mapped = {v for v in columns.values() if isinstance(v, str)}
    mapped |= set(columns.get("proba", {}).values())
    for name in names:
        _pick_column(frame, name, None, "segment")
        if name in mapped:
            raise JobDataError(
                f"Column “{name}” cannot be both a segment and the true value or prediction."
            )
        values = frame[name]
        stored[SEGMENT_PREFIX + name] = values.where(values.isna(), values.map(label_key))
    if names:
        columns["segments"] = names


@contextmanager
def staged_file_errors(staging_key: str) -> Iterator[None]:
    """Read errors of a staged upload as a readable JobDataError; a bad file is deleted."""
    try:
        yield
    except tabular.TableError as exc:
        storage.delete_quietly(staging_key)
        raise JobDataError(exc.located_message()) from exc
    except JobDataError:
        storage.delete_quietly(staging_key)
        raise
    except FileNotFoundError as exc:
        raise JobDataError("The uploaded file is no longer available; upload it again.") from exc


def read_staged(p: dict) -> tuple[pd.DataFrame, bool]:
    """The staged file as a frame, and whether it was Parquet (errors then say "row")."""
    with storage.local_path(p["staging_key"]) as path:
        frame = tabular.read_table(
            path, filename=p["filename"], limits=dataset_services.read_limits()
        )
        with open(path, "rb") as handle:
            head = handle.read(dataset_services.HEAD_BYTES)
    return frame, tabular.detect_format(head, p["filename"]) == "parquet"


def map_frame(
    problem: Problem, p: dict, frame: pd.DataFrame, *, parquet: bool
) -> tuple[pd.DataFrame, dict]:
    """A read file validated and mapped to the stored columns of the problem's task."""
    guess = guess_columns([str(c) for c in frame.columns], problem)
    y_col = _pick_column(frame, p.get("y_true_column", ""), guess["y_true"], "true-value")
    task = p.get("task") or problem.task_type
    if task == TaskType.MULTICLASS:
        stored, columns = map_multiclass(frame, p, y_col, parquet=parquet)
    elif task == TaskType.REGRESSION:
        stored, columns = map_regression(frame, p, y_col, parquet=parquet)
    else:
        stored, columns = map_binary(frame, p, y_col, problem, parquet=parquet)
    add_segments(stored, frame, p.get("segment_columns") or [], columns)
    return stored, columns


def read_and_map(problem: Problem, p: dict) -> tuple[pd.DataFrame, dict]:
    """The staged file read, validated and mapped to the stored columns of the problem's task."""
    frame, parquet = read_staged(p)
    return map_frame(problem, p, frame, parquet=parquet)
