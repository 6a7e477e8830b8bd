"""Account pages: team switching, team members and API tokens.

Sign-in, sign-out and password change are Django's own views with our templates
(see urls.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts import selectors, services
from apps.accounts.decorators import team_required
from apps.accounts.forms import ApiTokenCreateForm, TeamSwitchForm
from apps.accounts.http import AppRequest
from apps.accounts.middleware import SESSION_TEAM_KEY


@require_POST
@login_required
def team_switch(request: AppRequest) -> HttpResponse:
    form = TeamSwitchForm(request.POST, teams=selectors.team_list_for_user(request.user))
    if not form.is_valid():
        raise Http404("No such team.")
    team = form.cleaned_data["team"]
    request.session[SESSION_TEAM_KEY] = team.pk
    messages.success(request, f"Switched to {team.name}.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("dashboard:home")


@require_GET
@team_required
def team_detail(request: AppRequest) -> HttpResponse:
    members = selectors.membership_list_for_team(request.team)
    return render(request, "accounts/team_detail.html", {"members": members})


@require_http_methods(["GET", "POST"])
@team_required
def token_list(request: AppRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST or None)
    context = {"form": form, "new_token": None}
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                user=request.user, team=request.team, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context["new_token"] = issued
            context["form"] = ApiTokenCreateForm()
    context["tokens"] = selectors.api_token_list_for_user(user=request.user, team=request.team)
    if request.htmx and not request.htmx.boosted:
        return render(request, "accounts/token_list.html#token-panel", context)
    return render(request, "accounts/token_list.html", context)


@require_POST
@team_required
def token_revoke(request: AppRequest, token_id: int) -> HttpResponse:
    tokens = selectors.api_token_list_for_user(user=request.user, team=request.team)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token.")
    services.api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("accounts:token_list")
