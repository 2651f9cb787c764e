"""Sign-in is off unless a team server asks for it; its settings come from the environment."""

from __future__ import annotations

import pytest

from pipia.team.signin import SignIn, SignInConfigError, settings


def test_nothing_set_is_the_single_user_app_with_no_sign_in() -> None:
    assert settings({}) == SignIn(mode="local")
    assert not settings({"PIPIA_AUTH": "none"}).team


def test_a_team_server_names_its_mode_admin_and_provider() -> None:
    config = settings({"PIPIA_AUTH": " OIDC ", "PIPIA_ADMIN_EMAIL": " it@example.com ", "PIPIA_AUTH_PROVIDER": "corp"})
    assert (config.mode, config.admin_email, config.provider, config.team) == ("oidc", "it@example.com", "corp", True)


def test_the_trusted_header_mode_is_asked_for_explicitly_and_its_headers_can_be_renamed() -> None:
    assert settings({"PIPIA_AUTH": "header"}).header == "X-Forwarded-Email"
    config = settings({"PIPIA_AUTH": "header", "PIPIA_AUTH_HEADER": "Remote-Email", "PIPIA_AUTH_NAME_HEADER": "Remote-Name"})
    assert (config.header, config.name_header) == ("Remote-Email", "Remote-Name")


def test_an_unknown_mode_is_refused_rather_than_running_without_sign_in() -> None:
    with pytest.raises(SignInConfigError, match="PIPIA_AUTH='ldap': expected none, oidc or header"):
        settings({"PIPIA_AUTH": "ldap"})
