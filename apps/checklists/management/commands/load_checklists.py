"""Load the checklist templates from apps/checklists/data (safe to run any number of times)."""

from django.core.management.base import BaseCommand, CommandError

from apps.checklists.services import TemplateFileError, checklist_templates_sync


class Command(BaseCommand):
    help = "Load checklist templates from their data files (new versions added, wording updated)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = checklist_templates_sync()
        except TemplateFileError as exc:
            raise CommandError(str(exc)) from exc
        for label in result.created:
            self.stdout.write(f"created  {label}")
        for label in result.updated:
            self.stdout.write(f"updated  {label}")
        for label in result.unchanged:
            self.stdout.write(f"current  {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Checklist templates: {len(result.created)} created, "
                f"{len(result.updated)} updated, {len(result.unchanged)} already current."
            )
        )
