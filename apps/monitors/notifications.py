"""Notification channels and deliveries: e-mail through Django's mail backend, webhooks as
signed JSON, each attempt a row, webhooks to private addresses refused (SSRF guard).

A webhook body is JSON; `X-Preflight-Signature: sha256=<hex>` is the HMAC-SHA256 of the
exact body bytes with the channel's secret, so a receiver can verify it came from us.
The target host is resolved once, every address it resolves to must be public (unless
`MONITOR_WEBHOOK_ALLOW_PRIVATE`), and the connection goes to the checked address, so a
second DNS answer cannot redirect the request inside the network. Redirects are not
followed.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import Team
from apps.monitors.models import (
    Channel,
    ChannelKind,
    Check,
    DeliveryAttempt,
    DeliveryStatus,
    Monitor,
    Notification,
)

SIGNATURE_HEADER = "X-Preflight-Signature"


class WebhookRefused(Exception):
    """The target may not be called (scheme, unresolvable or private address): no retry."""


class DeliveryFailed(Exception):
    """A transient failure (connection, 5xx, 429): worth another attempt."""


# --- channels ----------------------------------------------------------------------------


def channel_create(*, team: Team, name: str, kind: str, target: str) -> Channel:
    """Store an e-mail or webhook channel (webhooks get a fresh signing secret)."""
    name, target = name.strip(), target.strip()
    errors = {}
    if not name:
        errors["name"] = "Give the channel a name, e.g. “On-call e-mail”."
    if kind == ChannelKind.EMAIL:
        try:
            EmailValidator()(target)
        except ValidationError:
            errors["target"] = "Enter an e-mail address, e.g. ml-oncall@example.com."
    elif kind == ChannelKind.WEBHOOK:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            errors["target"] = "Enter an http(s) URL, e.g. https://hooks.example.com/preflight."
    else:
        errors["kind"] = "Pick e-mail or webhook."
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_hex(24) if kind == ChannelKind.WEBHOOK else ""
    return Channel.objects.create(team=team, name=name, kind=kind, target=target, secret=secret)


def channel_test(*, channel: Channel) -> Notification:
    """Queue a test message to one channel (delivered like a real one)."""
    payload = {
        "event": "test",
        "team": channel.team.name,
        "message": "A test notification from Preflight: this channel works.",
        "sent_at": timezone.now().isoformat(),
    }
    notification = Notification.objects.create(
        channel=channel, team_id=channel.team_id, is_test=True, payload=payload
    )
    _deliver_after_commit(notification.pk)
    return notification


# --- notifications for a state change ----------------------------------------------------


def check_payload(check: Check, monitor: Monitor) -> dict:
    problem = monitor.problem
    return {
        "event": "monitor.state_changed",
        "team": problem.team.name,
        "problem": {"id": problem.pk, "title": problem.title},
        "monitor": {"id": monitor.pk, "name": monitor.name, "kind": monitor.kind},
        "check": {
            "id": check.pk,
            "previous_state": check.previous_state or None,
            "state": check.state,
            "value": check.value,
            "baseline_value": check.baseline_value,
            "threshold_line": check.threshold_line,
            "sentence": check.sentence,
            "batch_id": check.batch_id,
            "created_at": check.created_at.isoformat(),
        },
    }


def notifications_for_check(*, check: Check, monitor: Monitor) -> list[Notification]:
    """One notification per active channel of the team, delivered after commit."""
    team = monitor.problem.team
    payload = check_payload(check, monitor)
    created = []
    for channel in Channel.objects.filter(team=team, active=True):
        notification = Notification.objects.create(
            channel=channel,
            team=team,
            check_row=check,
            previous_state=check.previous_state,
            state=check.state,
            payload=payload,
        )
        created.append(notification)
        _deliver_after_commit(notification.pk)
    return created


def _deliver_after_commit(notification_id: int) -> None:
    from apps.monitors.tasks import notification_deliver_task

    transaction.on_commit(lambda: notification_deliver_task.delay(notification_id))


# --- the SSRF guard ----------------------------------------------------------------------


def _forbidden(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def webhook_target(url: str, *, allow_private: bool | None = None) -> Target:
    """Resolve a webhook URL to the address to call, or raise WebhookRefused saying why."""
    if allow_private is None:
        allow_private = settings.MONITOR_WEBHOOK_ALLOW_PRIVATE
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookRefused(f"Only http and https webhooks are allowed, not “{parts.scheme}”.")
    host = parts.hostname
    if not host:
        raise WebhookRefused("The webhook URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookRefused("The webhook URL has an invalid port.") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise WebhookRefused(f"The host “{host}” does not resolve.") from exc
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        for text in addresses:
            if _forbidden(ipaddress.ip_address(text.split("%", 1)[0])):
                raise WebhookRefused(
                    f"“{host}” resolves to {text}, a loopback, private, link-local, reserved "
                    "or multicast address: refused (set MONITOR_WEBHOOK_ALLOW_PRIVATE to allow)."
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(sock, server_hostname=self.host)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_post(channel: Channel, payload: dict) -> int:
    """POST the signed JSON; the status code, or DeliveryFailed / WebhookRefused."""
    target = webhook_target(channel.target)
    body = json.dumps(payload, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Preflight-Webhook/1",
        SIGNATURE_HEADER: sign(body, channel.secret),
    }
    timeout = settings.MONITOR_WEBHOOK_TIMEOUT_SECONDS
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    if status >= 500 or status == 429:
        raise DeliveryFailed(f"The receiver answered {status}.", status)
    return status


def _email(channel: Channel, payload: dict) -> None:
    if payload.get("event") == "test":
        subject = "[Preflight] Test notification"
        text = payload["message"]
    else:
        check, monitor = payload["check"], payload["monitor"]
        subject = (
            f"[Preflight] {monitor['name']}: {(check['previous_state'] or 'new')} → "
            f"{check['state']}"
        )
        text = (
            f"Problem: {payload['problem']['title']}\nMonitor: {monitor['name']}\n"
            f"State: {check['previous_state'] or 'new'} → {check['state']}\n"
            f"Value: {check['value']}\n\n{check['sentence']}\n"
        )
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [channel.target])
    except OSError as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc


# --- delivering ------------------------------------------------------------------------


def notification_deliver(*, notification_id: int) -> str:
    """One delivery attempt, logged as a row: "sent", "retry", "refused", "failed" or "done".

    "retry" means a transient failure with attempts left: the task schedules the next one.
    """
    claimed = Notification.objects.filter(
        pk=notification_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
        attempts__lt=settings.MONITOR_DELIVERY_MAX_ATTEMPTS,
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return "done"
    notification = Notification.objects.select_related("channel").get(pk=notification_id)
    channel = notification.channel
    started = time.monotonic()
    code, error, outcome = None, "", DeliveryStatus.SENT
    try:
        if channel.kind == ChannelKind.WEBHOOK:
            code = webhook_post(channel, notification.payload)
            if code >= 400:
                outcome, error = DeliveryStatus.FAILED, f"The receiver answered {code}."
        else:
            _email(channel, notification.payload)
    except WebhookRefused as exc:
        outcome, error = DeliveryStatus.REFUSED, str(exc)
    except DeliveryFailed as exc:
        error = str(exc.args[0])
        code = exc.args[1] if len(exc.args) > 1 else None
        last = notification.attempts >= settings.MONITOR_DELIVERY_MAX_ATTEMPTS
        outcome = DeliveryStatus.FAILED if last else DeliveryStatus.RETRYING
    DeliveryAttempt.objects.create(
        notification=notification,
        number=notification.attempts,
        ok=outcome == DeliveryStatus.SENT,
        response_code=code,
        error=error,
        duration_ms=round((time.monotonic() - started) * 1000),
    )
    Notification.objects.filter(pk=notification.pk).update(
        status=outcome,
        response_code=code,
        error=error,
        sent_at=timezone.now() if outcome == DeliveryStatus.SENT else None,
    )
    return "retry" if outcome == DeliveryStatus.RETRYING else str(outcome)
