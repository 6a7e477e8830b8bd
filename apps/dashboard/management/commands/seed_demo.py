"""Create the local demo: user demo / password demo, owner of team `demo`, with a problem.

Lives in the dashboard app, the end of the app chain, because the demo spans every app.
Idempotent: running it again changes nothing that exists.
"""

from datetime import timedelta

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from apps.accounts import services as account_services
from apps.accounts.models import Role, Team, User
from apps.core.jobs import run_job
from apps.core.models import Job
from apps.datasets import services as dataset_services
from apps.datasets.models import DatasetVersion
from apps.monitors import services as monitor_services
from apps.monitors.models import Check, Monitor, ProductionBatch
from apps.problems import services as problem_services
from apps.problems.models import Problem, RevisionSource
from apps.runs import baselines
from apps.runs import leaderboard as board_services
from apps.runs import services as run_services
from apps.runs.models import ModelRun, RunKind

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DEMO_TEAM_SLUG = "demo"
DEMO_PROBLEM_TITLE = "Breast-mass malignancy triage"
DEMO_RUN_NAME = "Logistic regression"
# Noise added to the features of each weekly production batch (in feature standard
# deviations): the model holds up, then degrades in week 4.
DEMO_BATCH_NOISE = (0.0, 0.3, 0.6, 1.5)
# Short enough for `make run` to stay quick; the page lets users give AutoML more.
DEMO_AUTOML_BUDGET_S = 10
DEMO_REFERENCE = {
    "name": "Original study (MSM-T, 3 features)",
    "reference_kind": "published",
    "metrics": {"accuracy": {"value": 0.975}},
    "source": "UCI Breast Cancer Wisconsin (Diagnostic), wdbc.names: “Estimated accuracy "
    "97.5% using repeated 10-fold crossvalidations” (Street, Wolberg and Mangasarian, 1993).",
    "url": "https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic",
    "date": "1995",
    "sample_size": 569,
    "notes": "Cross-validated on the whole dataset, not on our test split: not paired.",
}
DEMO_PROBLEM = {
    "summary": "Put fine-needle-aspirate results that look malignant at the front of the "
    "pathologists' queue.",
    "desired_outcome": "Cut the time to diagnosis for malignant cases without adding "
    "unnecessary urgent reviews.",
    "decision": "Route a case to the same-day pathologist review queue.",
    "affected_users": "Patients waiting for results; pathologists who work the queue; "
    "clinicians who act on the diagnosis.",
    "task_type": "binary",
    "target_column": "malignant",
    "positive_label": "1",
    "primary_metric": "expected_cost",
    "metric_rationale": "A missed malignancy waits days longer for treatment (expensive, "
    "harmful); a false alarm costs one extra same-day review. The expected cost per case "
    "weighs both as they really are.",
    "currency": "USD",
    "cost_fp": 150,
    "cost_fn": 5000,
    "decisions_per_month": 4000,
    "positive_rate": 0.37,
    "existing_solution": "A nurse flags cases whose largest nucleus radius exceeds 15 µm; "
    "the rest are reviewed in arrival order.",
    "existing_performance": "Audited last quarter: catches about 80 % of malignant cases and "
    "flags about 10 % of benign ones.",
    "existing_tpr": 0.8,
    "existing_fpr": 0.1,
    "non_ml_mvp": "Codify the nurse's rule (radius > 15 µm) so it runs on every case.",
    "data_sources": "Digitised FNA images: 30 nucleus measurements per case (the Wisconsin "
    "diagnostic data that scikit-learn ships).",
    "label_availability": "Histology confirms every diagnosis within 10 days.",
    "fallback_kind": "human_review",
    "fallback_description": "Cases the model is unsure about go to the standard queue, read "
    "by two pathologists.",
    "fallback_capacity_per_month": 1500,
    "fallback_cost_per_case": 40,
    "critical_segments": "age < 40\nfirst visit",
    "status": "in_review",
}


class Command(BaseCommand):
    help = "Seed the local demo user, team and problem (refused unless PREFLIGHT_ALLOW_DEMO)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.PREFLIGHT_ALLOW_DEMO:
            raise CommandError(
                "The demo login is for local use only; set PREFLIGHT_ALLOW_DEMO=true to seed it."
            )
        user = self._demo_user()
        team = Team.objects.filter(slug=DEMO_TEAM_SLUG).first()
        if team is None:
            team = account_services.team_create(name="Demo team", slug=DEMO_TEAM_SLUG, owner=user)
        account_services.membership_set(team=team, user=user, role=Role.OWNER)
        problem = self._demo_problem(team, user)
        self._demo_datasets(problem, user)
        self._demo_run(problem, user)
        self._demo_baselines(problem, user)
        self._demo_monitors(problem, user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: sign in as “{DEMO_USERNAME}” with password “{DEMO_PASSWORD}” "
                f"(team “{team.slug}”)."
            )
        )

    def _demo_user(self) -> User:
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "Demo", "last_name": "User", "email": "demo@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _demo_problem(self, team: Team, user: User) -> Problem:
        problem = Problem.objects.filter(team=team, title=DEMO_PROBLEM_TITLE).first()
        if problem is None:
            problem = problem_services.problem_create(
                team=team,
                user=user,
                source=RevisionSource.WEB,
                title=DEMO_PROBLEM_TITLE,
                **DEMO_PROBLEM,
            )
        return problem

    def _demo_datasets(self, problem: Problem, user: User) -> None:
        """scikit-learn's breast-cancer data, split 60/20/20 into train, validation and test."""
        for role, frame in demo_splits().items():
            dataset_services.dataset_version_create_from_frame(
                problem=problem,
                user=user,
                name=f"fna-{role}",
                role=role,
                frame=frame,
                filename=f"breast_cancer_{role}.csv",
            )

    def _demo_run(self, problem: Problem, user: User) -> None:
        """A scaled logistic regression fitted on the train split, scored on the test split."""
        if ModelRun.objects.filter(problem=problem, name=DEMO_RUN_NAME).exists():
            return
        splits = demo_splits()
        model, features = demo_model(splits)
        test = splits["test"]
        run_services.run_create_from_arrays(
            problem=problem,
            user=user,
            name=DEMO_RUN_NAME,
            model_version="1.0",
            y_true=test["malignant"].to_numpy(),
            scores=model.predict_proba(test[features])[:, 1],
            dataset_version=DatasetVersion.objects.filter(
                dataset__problem=problem, role="test"
            ).first(),
        )

    def _demo_baselines(self, problem: Problem, user: User) -> None:
        """The ladder trained on the train split and scored on the test split, a published
        reference and two gates, so a newcomer opens a full leaderboard."""
        if not ModelRun.objects.filter(problem=problem, kind=RunKind.BASELINE).exists():
            versions = DatasetVersion.objects.filter(dataset__problem=problem)
            params = {
                "problem_id": problem.pk,
                "user_id": user.pk,
                "train_version_id": versions.get(role="train").pk,
                "eval_version_id": versions.get(role="test").pk,
                "automl_budget_s": getattr(
                    settings, "PREFLIGHT_DEMO_AUTOML_BUDGET_S", DEMO_AUTOML_BUDGET_S
                ),
                "include_forest": False,
                "exclude_columns": ["case_id"],
            }
            # Run in this process (no worker needed to seed); the row keeps the job's record.
            job = Job.objects.create(
                team=problem.team,
                kind=baselines.TRAIN_KIND,
                title=f"Train baselines for {problem.title}",
                params=params,
                created_by=user,
            )
            run_job(
                str(job.pk),
                lambda job, progress: baselines.baseline_train(job=job, progress=progress),
            )
        if not ModelRun.objects.filter(problem=problem, kind=RunKind.EXTERNAL).exists():
            baselines.reference_create(problem=problem, user=user, **DEMO_REFERENCE)
        if not problem.gates.exists():
            board_services.gate_create(problem=problem, user=user, metric="roc_auc", threshold=0.95)
            board_services.gate_create(
                problem=problem, user=user, metric="expected_cost", baseline="best_simple"
            )

    def _demo_monitors(self, problem: Problem, user: User) -> None:
        """Two monitors on the deployed run and four weekly batches, the last one degraded,
        so the dashboard shows a monitor history and a breach."""
        run = ModelRun.objects.filter(problem=problem, name=DEMO_RUN_NAME).first()
        if run is None or Monitor.objects.filter(problem=problem).exists():
            return
        monitors = [
            monitor_services.monitor_create(
                problem=problem,
                user=user,
                name="ROC AUC floor",
                kind="threshold",
                target_run=run,
                metric="roc_auc",
                direction="higher",
                threshold=0.95,
                warning_band=0.02,
            ),
            monitor_services.monitor_create(
                problem=problem,
                user=user,
                name="Value floor",
                kind="break_even",
                target_run=run,
                metric="accuracy",
                warning_band=0.02,
            ),
        ]
        splits = demo_splits()
        model, features = demo_model(splits)
        pool = splits["validation"]
        for week, noise in enumerate(DEMO_BATCH_NOISE, start=1):
            rng = np.random.default_rng(week)
            rows = pool.sample(n=len(pool), replace=True, random_state=week)
            x = rows[features] + rng.normal(0, 1, rows[features].shape) * (
                noise * pool[features].std().to_numpy()
            )
            batch = monitor_services.batch_create_from_frame(
                run=run,
                predictions=pd.DataFrame(
                    {
                        "y_true": rows["malignant"].to_numpy(dtype=np.int8),
                        "score": model.predict_proba(x)[:, 1],
                    }
                ),
                label=f"Week {week}",
                user=user,
            )
            for monitor in monitors:
                monitor_services.monitor_check(
                    monitor_id=monitor.pk, batch_id=batch.pk, trigger="batch"
                )
            # Spread the history over the past weeks, as a deployed model's would be.
            when = timezone.now() - timedelta(weeks=len(DEMO_BATCH_NOISE) - week)
            ProductionBatch.objects.filter(pk=batch.pk).update(created_at=when)
            Check.objects.filter(batch=batch).update(created_at=when)


def demo_model(splits: dict[str, pd.DataFrame]) -> tuple[object, list[str]]:
    """The demo's deployed model: a scaled logistic regression on the train split."""
    features = [c for c in splits["train"].columns if c not in ("case_id", "malignant")]
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(splits["train"][features], splits["train"]["malignant"])
    return model, features


def demo_splits() -> dict[str, pd.DataFrame]:
    """The bundled Wisconsin diagnostic data with `malignant` = 1 for malignant masses."""
    data = load_breast_cancer(as_frame=True)
    frame = data.data.copy()
    frame.columns = [c.replace(" ", "_") for c in frame.columns]
    frame.insert(0, "case_id", range(100001, 100001 + len(frame)))
    frame["malignant"] = (data.target == 0).astype(int)  # sklearn codes malignant as 0
    train, rest = train_test_split(
        frame, test_size=0.4, stratify=frame["malignant"], random_state=7
    )
    validation, test = train_test_split(
        rest, test_size=0.5, stratify=rest["malignant"], random_state=7
    )
    return {
        "train": train.reset_index(drop=True),
        "validation": validation.reset_index(drop=True),
        "test": test.reset_index(drop=True),
    }
