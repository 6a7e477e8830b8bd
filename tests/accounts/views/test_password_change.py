"""accounts:password_change — change your password while signed in."""

from django.test import Client

from apps.accounts.models import User

NEW_PASSWORD = "orbit-lantern-4417"


def change(client: Client, old: str, new: str, confirm: str | None = None) -> object:
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": confirm or new},
    )


def test_the_form_loads(owner_client: Client) -> None:
    response = owner_client.get("/accounts/password/")
    assert response.status_code == 200
    assert 'name="old_password"' in response.content.decode()


def test_a_valid_change_keeps_this_session_signed_in(owner_client: Client, owner: User) -> None:
    response = change(owner_client, "pw-olivia", NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == "/accounts/password/done/"
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    done = owner_client.get(response.url)
    assert done.status_code == 200


def test_a_change_signs_out_the_user_s_other_sessions(owner_client: Client, owner: User) -> None:
    other_browser = Client()
    other_browser.force_login(owner)
    change(owner_client, "pw-olivia", NEW_PASSWORD)
    assert other_browser.get("/").status_code == 302
    done = owner_client.get("/accounts/password/done/").content.decode()
    assert "signed out" in done
    assert "stay signed in" not in done


def test_a_wrong_old_password_is_refused_with_an_error(owner_client: Client, owner: User) -> None:
    response = change(owner_client, "not-my-password", NEW_PASSWORD)
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("pw-olivia")


def test_a_weak_new_password_is_refused(owner_client: Client, owner: User) -> None:
    response = change(owner_client, "pw-olivia", "12345678")
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password("pw-olivia")


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
