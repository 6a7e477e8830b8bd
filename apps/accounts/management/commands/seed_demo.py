"""Create the local demo: user demo / password demo, owner of the team with slug demo."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.accounts import services
from apps.accounts.models import Role, Team, User

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"
DEMO_TEAM_SLUG = "demo"


class Command(BaseCommand):
    help = "Seed the local demo user and team (refused unless PREFLIGHT_ALLOW_DEMO)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.PREFLIGHT_ALLOW_DEMO:
            raise CommandError(
                "The demo login is for local use only; set PREFLIGHT_ALLOW_DEMO=true to seed it."
            )
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "Demo", "last_name": "User", "email": "demo@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        team = Team.objects.filter(slug=DEMO_TEAM_SLUG).first()
        if team is None:
            team = services.team_create(name="Demo team", slug=DEMO_TEAM_SLUG, owner=user)
        services.membership_set(team=team, user=user, role=Role.OWNER)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: sign in as “{DEMO_USERNAME}” with password “{DEMO_PASSWORD}” "
                f"(team “{team.slug}”)."
            )
        )
