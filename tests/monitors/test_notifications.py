"""Notifications: only on a state change, e-mail and a real local webhook receiver (signed,
retried after a failure, each attempt logged), and the SSRF guard."""

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from apps.accounts.models import Team
from apps.monitors import notifications
from apps.monitors.models import DeliveryAttempt, Notification
from apps.monitors.notifications import WebhookRefused, webhook_target


class Receiver:
    """An HTTP server on 127.0.0.1 that records requests; fails the first `fail` of them."""

    def __init__(self, fail: int = 0) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.fail = fail
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                failing = len(receiver.requests) <= receiver.fail
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # noqa: ANN001
    settings.MONITOR_WEBHOOK_ALLOW_PRIVATE = True
    with Receiver(fail=1) as running:
        yield running


def test_email_only_on_breach_and_recovery_not_while_still_breached(
    team: Team,
    make_monitor,
    add_batch,  # noqa: ANN001
) -> None:
    notifications.channel_create(team=team, name="On call", kind="email", target="ml@example.com")
    monitor = make_monitor(threshold=0.9)
    assert len(mail.outbox) == 0  # a new monitor that is fine is not news
    add_batch(quality=0.05)
    assert len(mail.outbox) == 1
    assert "ok → breach" in mail.outbox[0].subject
    assert "below the threshold 0.9" in mail.outbox[0].body
    add_batch(quality=0.05, seed=9)
    assert len(mail.outbox) == 1
    add_batch(quality=0.6, seed=10)
    assert len(mail.outbox) == 2
    assert "breach → ok" in mail.outbox[1].subject
    assert monitor.checks.count() == 4
    assert [n.state for n in Notification.objects.order_by("id")] == ["breach", "ok"]


def test_warn_notifies_as_a_state_change(team: Team, make_monitor, add_batch) -> None:  # noqa: ANN001
    notifications.channel_create(team=team, name="mail", kind="email", target="ml@example.com")
    monitor = make_monitor(metric="accuracy", threshold=0.6, warning_band=0.1)
    add_batch(quality=0.18, seed=3)  # accuracy between the threshold and the band
    monitor.refresh_from_db()
    assert monitor.state == "warn", monitor.checks.first().sentence
    assert len(mail.outbox) == 1


def test_a_batch_is_checked_once_per_monitor(make_monitor, add_batch) -> None:  # noqa: ANN001
    from apps.monitors import services

    monitor = make_monitor(threshold=0.9)
    batch = add_batch(quality=0.05)
    again = services.monitor_check(monitor_id=monitor.pk, batch_id=batch.pk, trigger="batch")
    assert again is None
    assert monitor.checks.filter(batch=batch).count() == 1


def test_webhook_retries_after_a_failure_and_the_signature_verifies(
    team: Team,
    receiver: Receiver,
    make_monitor,
    add_batch,  # noqa: ANN001
) -> None:
    channel = notifications.channel_create(
        team=team, name="Hook", kind="webhook", target=receiver.url
    )
    monitor = make_monitor(threshold=0.9)
    add_batch(quality=0.05)
    assert len(receiver.requests) == 2  # a 500, then the retry
    headers, body = receiver.requests[-1]
    expected = "sha256=" + hmac.new(channel.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Preflight-Signature"] == expected
    assert hmac.compare_digest(headers["X-Preflight-Signature"], expected)
    payload = json.loads(body)
    assert payload["monitor"]["id"] == monitor.pk
    assert payload["check"]["previous_state"] == "ok"
    assert payload["check"]["state"] == "breach"
    notification = Notification.objects.get()
    assert notification.status == "sent"
    assert notification.attempts == 2
    attempts = list(DeliveryAttempt.objects.filter(notification=notification))
    assert [(a.number, a.ok, a.response_code) for a in attempts] == [
        (1, False, 500),
        (2, True, 204),
    ]
    add_batch(quality=0.05, seed=7)  # still breached: nothing sent
    assert len(receiver.requests) == 2
    add_batch(quality=0.6, seed=8)  # recovery: one delivery
    assert len(receiver.requests) == 3
    assert json.loads(receiver.requests[-1][1])["check"]["state"] == "ok"


def test_delivery_gives_up_after_the_last_attempt(
    team: Team,
    settings,
    make_monitor,
    add_batch,  # noqa: ANN001
) -> None:
    settings.MONITOR_WEBHOOK_ALLOW_PRIVATE = True
    settings.MONITOR_DELIVERY_MAX_ATTEMPTS = 3
    with Receiver(fail=10) as always_failing:
        notifications.channel_create(
            team=team, name="Hook", kind="webhook", target=always_failing.url
        )
        make_monitor(threshold=0.9)
        add_batch(quality=0.05)
    notification = Notification.objects.get()
    assert notification.status == "failed"
    assert notification.attempts == 3
    assert len(always_failing.requests) == 3


def test_private_targets_are_refused_without_a_request(
    team: Team,
    make_monitor,
    add_batch,  # noqa: ANN001
) -> None:
    with Receiver() as local:
        notifications.channel_create(team=team, name="Hook", kind="webhook", target=local.url)
        make_monitor(threshold=0.9)
        add_batch(quality=0.05)
    notification = Notification.objects.get()
    assert notification.status == "refused"
    assert "loopback, private" in notification.error
    assert local.requests == []
    assert notification.attempts == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8000/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
    ],
)
def test_the_ssrf_guard_refuses(url: str, settings) -> None:  # noqa: ANN001
    settings.MONITOR_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(WebhookRefused):
        webhook_target(url)


def test_the_guard_refuses_other_schemes_and_passes_public_addresses() -> None:
    with pytest.raises(WebhookRefused, match="Only http and https"):
        webhook_target("ftp://93.184.216.34/x", allow_private=True)
    with pytest.raises(WebhookRefused, match="Only http and https"):
        webhook_target("file:///etc/passwd")
    target = webhook_target("https://93.184.216.34:8443/hook?x=1", allow_private=False)
    assert (target.address, target.port, target.path) == ("93.184.216.34", 8443, "/hook?x=1")


def test_a_name_is_refused_when_any_resolved_address_is_private(monkeypatch) -> None:  # noqa: ANN001
    def resolve(host: str, port: int, **kw: object) -> list:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(WebhookRefused, match="192.168.1.5"):
        webhook_target("https://hooks.example.com/x", allow_private=False)


def test_channel_test_button_sends_a_test_message(team: Team, receiver: Receiver) -> None:
    channel = notifications.channel_create(
        team=team, name="Hook", kind="webhook", target=receiver.url
    )
    receiver.fail = 0
    notification = notifications.channel_test(channel=channel)
    from apps.monitors.tasks import notification_deliver_task

    notification_deliver_task.delay(notification.pk)
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert json.loads(receiver.requests[0][1])["event"] == "test"
