"""Re-sync the templates: three ML Test Score items are now answered from datasets and runs.

(data_schema ← schema_captured, model_simpler_baseline ← simpler_model_beaten,
infra_validate_before_serving ← quality_gated.) The sync only updates wording and the
`auto` provider of the same items, so answers keep their meaning.
"""

from django.db import migrations


def resync_templates(apps, schema_editor):  # noqa: ANN001, ANN201
    from apps.checklists.services import checklist_templates_sync

    checklist_templates_sync(registry=apps)


class Migration(migrations.Migration):
    dependencies = [("checklists", "0002_load_templates"), ("runs", "0005_gates")]

    operations = [migrations.RunPython(resync_templates, migrations.RunPython.noop)]
