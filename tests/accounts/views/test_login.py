"""accounts:login — Django's sign-in view with our template."""

from django.test import Client

from apps.accounts.models import User


def test_the_sign_in_page_loads(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_valid_credentials_sign_in_and_land_on_the_dashboard(client: Client, owner: User) -> None:
    response = client.post("/accounts/login/", {"username": "olivia", "password": "pw-olivia"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_sign_in_follows_a_local_next_url(client: Client, owner: User) -> None:
    response = client.post(
        "/accounts/login/", {"username": "olivia", "password": "pw-olivia", "next": "/jobs/"}
    )
    assert response.url == "/jobs/"


def test_sign_in_ignores_an_external_next_url(client: Client, owner: User) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "olivia", "password": "pw-olivia", "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_a_wrong_password_shows_an_error_and_does_not_sign_in(client: Client, owner: User) -> None:
    response = client.post("/accounts/login/", {"username": "olivia", "password": "wrong"})
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_is_sent_on_to_the_dashboard(owner_client: Client) -> None:
    response = owner_client.get("/accounts/login/")
    assert response.status_code == 302
    assert response.url == "/"
