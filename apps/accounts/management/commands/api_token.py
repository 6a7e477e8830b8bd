"""Mint, list or revoke API tokens from scripts: `api_token create USER TEAM` prints the token."""

from argparse import ArgumentParser

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from apps.accounts import services
from apps.accounts.models import ApiToken, Team, User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Print a new token alone on stdout.")
        create.add_argument("username")
        create.add_argument("team_slug")
        create.add_argument("--read-only", action="store_true")
        create.add_argument("--name", default="Command-line token")
        listing = actions.add_parser("list", help="List a team's tokens (never the secrets).")
        listing.add_argument("team_slug")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "list":
            self._list(options)
        else:
            self._revoke(options)

    def _create(self, options: dict) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named “{options['username']}”.")
        team = Team.objects.filter(slug=options["team_slug"]).first()
        if team is None:
            raise CommandError(f"No team with the slug “{options['team_slug']}”.")
        try:
            issued = services.api_token_create(
                user=user, team=team, name=options["name"], read_only=options["read_only"]
            )
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(issued.plaintext)

    def _list(self, options: dict) -> None:
        for token in ApiToken.objects.filter(team__slug=options["team_slug"]).select_related(
            "user"
        ):
            state = (
                "revoked"
                if token.revoked_at
                else ("read-only" if token.read_only else "read-write")
            )
            self.stdout.write(f"{token.prefix}\t{token.user.username}\t{state}\t{token.name}")

    def _revoke(self, options: dict) -> None:
        token = ApiToken.objects.filter(prefix=options["prefix"]).first()
        if token is None:
            raise CommandError(f"No token with the prefix “{options['prefix']}”.")
        services.api_token_revoke(token=token)
        self.stdout.write(f"Revoked {token.prefix} ({token.name}).")
