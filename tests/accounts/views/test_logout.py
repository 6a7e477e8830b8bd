"""accounts:logout — sign out by POST."""

from django.test import Client


def test_sign_out_ends_the_session_and_returns_to_sign_in(owner_client: Client) -> None:
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/"
    assert owner_client.get("/").status_code == 302


def test_sign_out_by_get_is_refused(owner_client: Client) -> None:
    assert owner_client.get("/accounts/logout/").status_code == 405
    assert owner_client.get("/").status_code == 200
