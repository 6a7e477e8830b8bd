"""The baseline ladder: dummy, one rule, linear, gradient boosting, forest and AutoML-lite.

Pure functions on pandas frames and scikit-learn; results are frozen dataclasses with
`to_dict()`. Predictions stay on the result objects as numpy arrays and are not serialised.
"""

from mlcore.baselines.automl import automl
from mlcore.baselines.data import BaselineDataError, Prepared, prepare
from mlcore.baselines.ladder import train_ladder
from mlcore.baselines.models import dummy, gradient_boosting, linear, random_forest
from mlcore.baselines.one_rule import OneRuleModel, one_rule
from mlcore.baselines.results import BaselineResult, LadderResult, SklearnModel
from mlcore.baselines.robustness import FeatureRobustness, RobustnessReport, robustness

__all__ = [
    "BaselineDataError",
    "BaselineResult",
    "FeatureRobustness",
    "LadderResult",
    "OneRuleModel",
    "Prepared",
    "RobustnessReport",
    "SklearnModel",
    "automl",
    "dummy",
    "gradient_boosting",
    "linear",
    "one_rule",
    "prepare",
    "random_forest",
    "robustness",
    "train_ladder",
]
