"""How the app knows who is using it: nobody to ask (single-user), OpenID Connect, or a trusted header.

Read from the environment once per run, so a team server is configured like the database is:

- ``PIPIA_AUTH`` — unset or ``none``: the single-user app, one local admin, no sign-in (``make run``);
  ``oidc``: sign-in through Streamlit's own ``st.login`` with the provider configured in
  ``.streamlit/secrets.toml`` (``[auth]``); ``header``: the user's e-mail address comes in a request
  header set by an authenticating reverse proxy (only behind such a proxy: anyone reaching the app
  directly could set the header themself, so it is off unless asked for).
- ``PIPIA_ADMIN_EMAIL`` — the address whose first sign-in makes the admin.
- ``PIPIA_AUTH_PROVIDER`` — the ``[auth.NAME]`` provider to use, when secrets.toml names more than one.
- ``PIPIA_AUTH_HEADER`` / ``PIPIA_AUTH_NAME_HEADER`` — the header names in header mode
  (default ``X-Forwarded-Email`` / ``X-Forwarded-Preferred-Username``, as oauth2-proxy sets them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pipia.errors import PipiaError

AUTH_VAR = "PIPIA_AUTH"
ADMIN_VAR = "PIPIA_ADMIN_EMAIL"
PROVIDER_VAR = "PIPIA_AUTH_PROVIDER"
HEADER_VAR = "PIPIA_AUTH_HEADER"
NAME_HEADER_VAR = "PIPIA_AUTH_NAME_HEADER"
Mode = Literal["local", "oidc", "header"]


class SignInConfigError(PipiaError):
    """The sign-in settings in the environment cannot be used."""


@dataclass(frozen=True)
class SignIn:
    """How people sign in: 'local' (one user, no sign-in), 'oidc' (Streamlit's st.login with ``provider``) or 'header'
    (a proxy's e-mail header); the admin's e-mail.
    """

    mode: Mode = "local"
    admin_email: str | None = None
    provider: str | None = None
    header: str = "X-Forwarded-Email"
    name_header: str = "X-Forwarded-Preferred-Username"

    @property
    def team(self) -> bool:
        """Whether people sign in (and so roles and the access page matter)."""
        return self.mode != "local"


def settings(environ: Mapping[str, str] | None = None) -> SignIn:
    """The sign-in settings the environment asks for. Raises SignInConfigError for an unknown mode."""
    env = os.environ if environ is None else environ
    raw = env.get(AUTH_VAR, "").strip().lower()
    modes: dict[str, Mode] = {"": "local", "none": "local", "oidc": "oidc", "header": "header"}
    if raw not in modes:
        raise SignInConfigError(f"{AUTH_VAR}={raw!r}: expected none, oidc or header")
    return SignIn(mode=modes[raw], admin_email=env.get(ADMIN_VAR, "").strip() or None,
                  provider=env.get(PROVIDER_VAR, "").strip() or None,
                  header=env.get(HEADER_VAR, "").strip() or SignIn.header,
                  name_header=env.get(NAME_HEADER_VAR, "").strip() or SignIn.name_header)
