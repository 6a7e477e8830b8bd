"""Warnings about single columns and the target (missing, constant, ID-like, imbalance)."""

from mlcore.profile.results import (
    ID_DISTINCT_SHARE,
    ID_MIN_ROWS,
    IMBALANCE_CRITICAL,
    IMBALANCE_WARNING,
    MAX_NUMERIC_CLASSES,
    MISSING_CRITICAL,
    MISSING_WARNING,
    NEAR_CONSTANT_SHARE,
    OUTLIER_SHARE,
    DataWarning,
    _Column,
)


def _column_warnings(column: _Column, rows: int, *, is_target: bool) -> list[DataWarning]:
    p = column.profile
    out = []
    name = p.name
    if p.missing_share >= MISSING_WARNING:
        out.append(
            DataWarning(
                "high_missing",
                "critical" if p.missing_share >= MISSING_CRITICAL else "warning",
                name,
                f"“{name}” is missing in {p.missing_share:.1%} of rows ({p.missing:,} of "
                f"{rows:,}). Models must drop those rows or fill the gaps in, and values are "
                "rarely missing at random; find out why before filling them in, or drop the "
                "column.",
            )
        )
    if p.distinct == 1:
        out.append(
            DataWarning(
                "constant",
                "warning",
                name,
                f"“{name}” has the same value ({column.top_value}) in every row where it is "
                "present. A column that never changes cannot help a model; drop it.",
            )
        )
    elif p.distinct > 1 and column.top_share >= NEAR_CONSTANT_SHARE:
        out.append(
            DataWarning(
                "near_constant",
                "info",
                name,
                f"“{name}” is {column.top_value} in {column.top_share:.1%} of the rows where it "
                "is present. It carries almost no information and a rare value can make a "
                "model unstable; drop it unless the rare values matter.",
            )
        )
    if not is_target and _id_like(column):
        out.append(
            DataWarning(
                "id_like",
                "warning",
                name,
                f"“{name}” has a different value in almost every row ({p.distinct:,} distinct "
                f"of {p.count:,}), like an identifier. A model can memorise identifiers instead "
                "of learning patterns, which looks good in training and fails on new rows; "
                "leave it out of the features.",
            )
        )
    if p.kind == "numeric" and p.count and column.iqr > 0 and p.outliers >= OUTLIER_SHARE * p.count:
        out.append(
            DataWarning(
                "outliers",
                "info",
                name,
                f"{p.outliers:,} values of “{name}” ({p.outliers / p.count:.1%}) lie more than "
                "1.5 × the interquartile range beyond the quartiles. They may be errors or rare "
                "real cases that dominate squared-error losses; check a few, then fix, cap or "
                "keep them.",
            )
        )
    return out


def _id_like(column: _Column) -> bool:
    """Distinct in (nearly) every row and an integer or a short string: an identifier."""
    p = column.profile
    if p.count < ID_MIN_ROWS or p.distinct < ID_DISTINCT_SHARE * p.count:
        return False
    return (p.kind == "numeric" and column.integral) or p.kind == "categorical"


def _is_classification(goal: _Column) -> bool:
    """A target with few classes: booleans, short category lists, small integer codes."""
    p = goal.profile
    if goal.classes is None or p.distinct < 1 or p.kind == "datetime":
        return False
    if p.kind == "numeric":
        return p.distinct <= 2 or (goal.integral and p.distinct <= MAX_NUMERIC_CLASSES)
    return True


def _target_checks(goal: _Column) -> tuple[list[dict] | None, list[DataWarning]]:
    """Class balance of a classification target and the warnings about the target."""
    p = goal.profile
    name = p.name
    warnings = []
    if p.missing:
        warnings.append(
            DataWarning(
                "target_missing",
                "warning",
                name,
                f"The target “{name}” is missing in {p.missing:,} rows. Rows without an outcome "
                "cannot be used to train or evaluate a model; fill them in or drop them.",
            )
        )
    if p.distinct == 1:
        warnings.append(
            DataWarning(
                "target_single_class",
                "critical",
                name,
                f"The target “{name}” has one value only ({goal.classes[0][0]}). There is "
                "nothing to learn or evaluate; include rows with every outcome.",
            )
        )
    if not _is_classification(goal):
        return None, warnings
    balance = [{"value": v, "count": c, "share": c / p.count} for v, c in goal.classes]
    if len(balance) >= 2:
        rarest = balance[-1]
        # The rarest share against an even split 1/k: for two classes < 10 % and < 1 %.
        ratio = rarest["share"] * len(balance)
        if ratio < IMBALANCE_WARNING:
            warnings.append(
                DataWarning(
                    "class_imbalance",
                    "critical" if ratio < IMBALANCE_CRITICAL else "warning",
                    name,
                    f"The target “{name}” is imbalanced: its rarest class ({rarest['value']}) "
                    f"is {rarest['share']:.1%} of labelled rows ({rarest['count']:,}). Accuracy "
                    "looks good even for a model that never predicts it; judge models by "
                    "precision and recall or PR AUC, and consider class weights.",
                )
            )
    return balance, warnings
