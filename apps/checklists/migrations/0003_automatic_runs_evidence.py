"""Re-sync the templates: five ML Test Score items are now answered from Preflight's data.

(data_schema ← schema_captured, model_simpler_baseline ← simpler_model_beaten,
infra_validate_before_serving ← quality_gated, monitor_prediction_quality ←
quality_monitored, monitor_training_serving_skew ← skew_monitored.) The sync only updates wording and the
`auto` provider of the same items, so answers keep their meaning.
"""

from django.db import migrations


def resync_templates(apps, schema_editor):  # noqa: ANN001, ANN201
    from apps.checklists.services import checklist_templates_sync

    checklist_templates_sync(registry=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0002_load_templates"),
        ("runs", "0005_gates"),
        ("monitors", "0001_initial"),
    ]

    operations = [migrations.RunPython(resync_templates, migrations.RunPython.noop)]
