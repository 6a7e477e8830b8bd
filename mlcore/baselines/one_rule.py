"""One-rule baseline: the single most predictive feature as a depth-1..3 tree, read out in words."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlcore.baselines.data import Prepared
from mlcore.baselines.results import BaselineResult, finish, metric_value

DEPTHS = (1, 2, 3)
CV_FOLDS = 3
# Selection runs on a fixed sample: the ranking of features is stable long before 50k rows.
MAX_SELECTION_ROWS = 50_000
MISSING = "(missing)"
# Score a deeper rule must gain (relative, or absolute for scores within ±1) to be chosen.
DEPTH_TOLERANCE = 0.002


def _category_ranks(codes: np.ndarray, y: np.ndarray, task: str, levels: int) -> np.ndarray:
    """Rank of each code (missing = code `levels`) by its target rate, so a split is a cut."""
    filled = np.where(np.isnan(codes), levels, codes).astype(np.int64)
    if task == "multiclass":
        target = (y == np.bincount(y).argmax()).astype(np.float64)
    else:
        target = y.astype(np.float64)
    counts = np.bincount(filled, minlength=levels + 1)
    sums = np.bincount(filled, weights=target, minlength=levels + 1)
    # Unseen levels sit at the overall rate rather than at an arbitrary end.
    rate = np.where(counts > 0, sums / np.maximum(counts, 1), target.mean())
    ranks = np.empty(levels + 1, dtype=np.float64)
    ranks[np.argsort(rate, kind="stable")] = np.arange(levels + 1)
    return ranks


def _encode(codes: np.ndarray, ranks: np.ndarray | None) -> np.ndarray:
    if ranks is None:
        return codes.reshape(-1, 1)
    filled = np.where(np.isnan(codes), ranks.size - 1, codes).astype(np.int64)
    return ranks[filled].reshape(-1, 1)


def _tree(task: str, depth: int, n_rows: int) -> Any:
    # A floor on leaf size keeps a rule from describing a handful of rows.
    leaf = max(1, min(50, n_rows // 50))
    cls = DecisionTreeRegressor if task == "regression" else DecisionTreeClassifier
    return cls(max_depth=depth, min_samples_leaf=leaf, random_state=0)


def _tree_predict(tree: Any, x: np.ndarray, task: str, n_classes: int) -> np.ndarray:
    if task == "regression":
        return tree.predict(x).astype(np.float64)
    proba = tree.predict_proba(x)
    full = np.zeros((x.shape[0], n_classes))
    full[:, tree.classes_.astype(np.int64)] = proba
    return full[:, 1] if task == "binary" else full


@dataclass(frozen=True)
class OneRuleModel:
    """A tree on one feature; categoricals enter as ranks of their target rate."""

    feature: str
    task: str
    n_classes: int
    tree: Any = field(repr=False)
    ranks: np.ndarray | None = field(repr=False)

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        values = x[self.feature].to_numpy(dtype=np.float64)
        return _tree_predict(self.tree, _encode(values, self.ranks), self.task, self.n_classes)


def _folds(prepared: Prepared, y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    if prepared.task != "regression":
        smallest = int(np.bincount(y).min(initial=0) if y.size else 0)
        if smallest >= 2:
            splitter: Any = StratifiedKFold(min(CV_FOLDS, smallest), shuffle=True, random_state=0)
            return list(splitter.split(np.zeros(y.size), y))
    return list(KFold(CV_FOLDS, shuffle=True, random_state=0).split(np.zeros(y.size)))


def _selection_score(task: str, y: np.ndarray, predictions: np.ndarray) -> float:
    """Negative Brier score (classification) or RMSE (regression): larger is better."""
    # Not ROC AUC: it rewards every extra leaf for breaking ties, so it always picks depth 3.
    if task == "regression":
        return -metric_value("rmse", y, predictions)
    if task == "binary":
        return -float(np.mean((predictions - y) ** 2))
    onehot = np.eye(predictions.shape[1])[y]
    return -float(np.mean(np.sum((predictions - onehot) ** 2, axis=1)))


def _cv_scores(
    prepared: Prepared, name: str, values: np.ndarray, y: np.ndarray, folds: list
) -> dict[int, float]:
    categorical = name in prepared.categories
    levels = len(prepared.categories.get(name, []))
    k = len(prepared.classes)
    totals = dict.fromkeys(DEPTHS, 0.0)
    for train_idx, test_idx in folds:
        # Ranks come from the fold's own training rows: ranking on all rows would leak.
        ranks = (
            _category_ranks(values[train_idx], y[train_idx], prepared.task, levels)
            if categorical
            else None
        )
        x_fit, x_test = _encode(values[train_idx], ranks), _encode(values[test_idx], ranks)
        for depth in DEPTHS:
            tree = _tree(prepared.task, depth, train_idx.size).fit(x_fit, y[train_idx])
            pred = _tree_predict(tree, x_test, prepared.task, k)
            totals[depth] += _selection_score(prepared.task, y[test_idx], pred)
    return {depth: total / len(folds) for depth, total in totals.items()}


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _leaf_text(tree: Any, node: int, prepared: Prepared, short: bool) -> str:
    value = np.asarray(tree.tree_.value[node][0], dtype=np.float64)
    if prepared.task == "regression":
        return _fmt(value[0]) if short else f"{prepared.target}={_fmt(value[0])}"
    proba = value / value.sum()
    classes = [prepared.classes[int(c)] for c in tree.classes_]
    if prepared.task == "binary":
        p = proba[list(tree.classes_).index(1)] if 1 in tree.classes_ else 0.0
        return f"{p:.2f}" if short else f"P({prepared.positive_label})={p:.2f}"
    best = int(np.argmax(proba))
    return f"{classes[best]} (P={proba[best]:.2f})"


def _condition(
    model: OneRuleModel, prepared: Prepared, node: int, bounds: tuple[float, float]
) -> str:
    tree = model.tree.tree_
    threshold = float(tree.threshold[node])
    if model.ranks is None:
        has_missing = bool(np.isnan(prepared.x_train[model.feature].to_numpy()).any())
        missing = " (or missing)" if has_missing and tree.missing_go_to_left[node] else ""
        return f"{model.feature} <= {_fmt(threshold)}{missing}"
    names = [*prepared.categories[model.feature], MISSING]
    lo, hi = bounds
    order = np.argsort(model.ranks)
    left = [names[code] for code in order if lo < model.ranks[code] <= threshold]
    right = [names[code] for code in order if threshold < model.ranks[code] <= hi]
    # Name the shorter side: "not in {a, b}" reads better than eight names.
    negate = len(right) < len(left)
    chosen = right if negate else left
    shown = ", ".join(chosen[:6]) + (f", … (+{len(chosen) - 6} more)" if len(chosen) > 6 else "")
    return f"{model.feature} {'not in' if negate else 'in'} {{{shown}}}"


def rule_text(model: OneRuleModel, prepared: Prepared) -> str:
    """The fitted rule in plain words: one line at depth 1, nested lines below."""
    tree = model.tree.tree_

    def render(node: int, indent: int, bounds: tuple[float, float]) -> list[str]:
        pad = "  " * indent
        left, right = int(tree.children_left[node]), int(tree.children_right[node])
        if left == -1:
            return [f"{pad}{_leaf_text(model.tree, node, prepared, short=False)}"]
        threshold = float(tree.threshold[node])
        cond = _condition(model, prepared, node, bounds)
        left_bounds, right_bounds = (bounds[0], threshold), (threshold, bounds[1])
        left_leaf, right_leaf = tree.children_left[left] == -1, tree.children_left[right] == -1
        if left_leaf and right_leaf:
            then = _leaf_text(model.tree, left, prepared, short=False)
            other = _leaf_text(model.tree, right, prepared, short=True)
            return [f"{pad}if {cond} then {then} else {other}"]
        lines = [f"{pad}if {cond}:"]
        lines += render(left, indent + 1, left_bounds)
        if right_leaf:
            lines.append(f"{pad}else: {_leaf_text(model.tree, right, prepared, short=False)}")
        else:
            lines.append(f"{pad}else:")
            lines += render(right, indent + 1, right_bounds)
        return lines

    if tree.children_left[0] == -1:
        return f"always {_leaf_text(model.tree, 0, prepared, short=False)}"
    return "\n".join(render(0, 0, (-np.inf, np.inf)))


def one_rule(prepared: Prepared) -> BaselineResult:
    """Pick the feature and depth (1..3) with the best cross-validated score; refit on all rows."""
    started = time.perf_counter()
    y_all = prepared.y_train
    sample = np.arange(y_all.size)
    if y_all.size > MAX_SELECTION_ROWS:
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(y_all.size, MAX_SELECTION_ROWS, replace=False))
    y = y_all[sample]
    folds = _folds(prepared, y)
    ranking = []
    for name in prepared.features:
        values = prepared.x_train[name].to_numpy(dtype=np.float64)[sample]
        scores = _cv_scores(prepared, name, values, y, folds)
        # A deeper tree must earn its extra lines: near-ties go to the simpler rule.
        top = max(scores.values())
        tolerance = DEPTH_TOLERANCE * max(1.0, abs(top))
        depth = min(d for d in DEPTHS if scores[d] >= top - tolerance)
        ranking.append({"feature": name, "depth": depth, "cv_score": scores[depth]})
    ranking.sort(key=lambda r: -r["cv_score"])
    best = ranking[0]
    feature, depth = best["feature"], best["depth"]
    values = prepared.x_train[feature].to_numpy(dtype=np.float64)
    ranks = (
        _category_ranks(values, y_all, prepared.task, len(prepared.categories[feature]))
        if feature in prepared.categories
        else None
    )
    tree = _tree(prepared.task, depth, y_all.size).fit(_encode(values, ranks), y_all)
    model = OneRuleModel(feature, prepared.task, len(prepared.classes), tree, ranks)
    seconds = time.perf_counter() - started
    text = rule_text(model, prepared)
    return finish(
        prepared,
        name="one_rule",
        label=f"One rule: {feature}",
        family="one_rule",
        params={"feature": feature, "depth": depth},
        model=model,
        fit_seconds=seconds,
        details={
            "feature": feature,
            "depth": depth,
            "rule_text": text,
            "cv_score": best["cv_score"],
            "feature_ranking": ranking[:10],
        },
    )
