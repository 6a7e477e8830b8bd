"""monitors:channel_list, channel_test and notification_list — add, test, the log, roles."""

from django.core import mail
from django.test import Client

from apps.accounts.models import Team
from apps.monitors import notifications
from apps.monitors.models import Channel


def test_owner_adds_an_email_channel(owner_client: Client, team: Team) -> None:
    response = owner_client.post(
        "/monitors/channels/", {"name": "On call", "kind": "email", "target": "ml@example.com"}
    )
    assert response.status_code == 302
    assert Channel.objects.get().team == team


def test_invalid_target_names_the_field(owner_client: Client) -> None:
    response = owner_client.post(
        "/monitors/channels/", {"name": "Hook", "kind": "webhook", "target": "ftp://x"}
    )
    assert response.status_code == 422
    assert "Enter an http(s) URL" in response.content.decode()
    assert not Channel.objects.exists()


def test_viewer_cannot_add_or_test(viewer_client: Client, team: Team) -> None:
    channel = notifications.channel_create(
        team=team, name="mail", kind="email", target="a@example.com"
    )
    assert viewer_client.get("/monitors/channels/").status_code == 200
    assert (
        viewer_client.post(
            "/monitors/channels/", {"name": "x", "kind": "email", "target": "b@example.com"}
        ).status_code
        == 403
    )
    assert viewer_client.post(f"/monitors/channels/{channel.pk}/test/").status_code == 403


def test_test_button_sends_and_shows_in_the_log(
    teammate_client: Client,
    team: Team,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    channel = notifications.channel_create(
        team=team, name="mail", kind="email", target="a@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = teammate_client.post(f"/monitors/channels/{channel.pk}/test/")
    assert response.status_code == 302
    assert mail.outbox[0].subject == "[Preflight] Test notification"
    body = teammate_client.get("/monitors/notifications/").content.decode()
    assert "Test message" in body
    assert "#1 ok" in body
    partial = teammate_client.get(
        "/monitors/notifications/", headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.lstrip().startswith('<div class="card" id="notification-table"')


def test_outsider_gets_404_and_sees_no_log(
    outsider_client: Client,
    team: Team,
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    channel = notifications.channel_create(
        team=team, name="mail", kind="email", target="a@example.com"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.channel_test(channel=channel)
    assert outsider_client.post(f"/monitors/channels/{channel.pk}/test/").status_code == 404
    assert "Test message" not in outsider_client.get("/monitors/notifications/").content.decode()
