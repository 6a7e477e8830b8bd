"""Load the checklist templates from apps/checklists/data.

Later versions of the data files are loaded by a new migration like this one (or by
`manage.py load_checklists`); the sync is idempotent.
"""

from django.db import migrations


def load_templates(apps, schema_editor):  # noqa: ANN001, ANN201
    from apps.checklists.services import checklist_templates_sync

    checklist_templates_sync(registry=apps)


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]

    operations = [migrations.RunPython(load_templates, migrations.RunPython.noop)]
