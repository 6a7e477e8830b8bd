"""Template context for the team switcher."""

from django.http import HttpRequest

from apps.accounts.selectors import team_list_for_user


def teams(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = request.membership
    return {
        "current_membership": membership if membership else None,
        "current_team": membership.team if membership else None,
        "user_teams": team_list_for_user(request.user),
    }
