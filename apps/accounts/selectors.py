"""Reads of users, teams and tokens used across views, the API and other apps."""

from django.db.models import QuerySet

from apps.accounts.models import ApiToken, Membership, Team, User


def team_list_for_user(user: User) -> QuerySet[Team]:
    """Teams the user belongs to, by name."""
    return Team.objects.filter(memberships__user=user).order_by("name")


def membership_get(*, user: User, team: Team) -> Membership | None:
    return Membership.objects.filter(user=user, team=team).select_related("team").first()


def membership_list_for_team(team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(team=team).select_related("user").order_by("user__username")


def api_token_list_for_user(*, user: User, team: Team) -> QuerySet[ApiToken]:
    """The user's own tokens in a team; an owner also sees every teammate's."""
    tokens = ApiToken.objects.filter(team=team).select_related("user")
    membership = membership_get(user=user, team=team)
    if membership is None:
        return tokens.none()
    if not membership.can_manage:
        tokens = tokens.filter(user=user)
    return tokens
