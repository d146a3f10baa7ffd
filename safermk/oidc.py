"""Single sign-on with the council's identity provider (OpenID Connect).

Off unless the OIDC_* settings are given (see the end of safermk/settings.py).
Signing in with a council account never makes anyone a member of a
partnership: it only opens an account that already exists here, matched by a
verified e-mail address. People with no account see a page telling them to ask
their partnership administrator for an invitation. Only when OIDC_CREATE_USER
is on does an unknown person get an account, and then one with no membership.

The provider's id_token is checked for signature, issuer, audience, expiry and
nonce; the userinfo `sub` must be the id_token's. Any failure on the way ends
on a plain page with no one signed in, never an error page.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.shortcuts import render
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend, default_username_algo
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

LOGGER = logging.getLogger(__name__)

# Why a sign-in was refused -> (HTTP status, page heading). The page explains
# what to do for each; see templates/registration/sso_refused.html.
REFUSALS = {
    "unknown": (403, "Your account is not set up"),
    "inactive": (403, "Your account is not active"),
    "unverified": (403, "Your e-mail address is not verified"),
    "ambiguous": (403, "We could not tell which account is yours"),
    "failed": (400, "Signing in with your council account did not work"),
}


class Refused(SuspiciousOperation):
    """The provider vouched for someone we will not sign in."""

    def __init__(self, reason: str, email: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.email = email


def _note_refusal(request, reason: str, email: str = "") -> None:
    # The callback view reads this to choose the page; the first reason wins.
    if not hasattr(request, "sso_refusal"):
        request.sso_refusal = (reason, email)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in an existing, active user whose verified e-mail address the
    council's identity provider vouches for."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password sign-in must never
        # start a token exchange, whatever its query string says.
        if request is None or "nonce" not in kwargs:
            return None
        try:
            user = super().authenticate(request, **kwargs)
        except (SuspiciousOperation, ValidationError, jwt.PyJWTError,
                requests.RequestException, ValueError, KeyError, TypeError) as exc:
            # Bad signature, wrong issuer or audience, expired token, a provider
            # that is down or answers nonsense: nobody is signed in.
            LOGGER.warning("Single sign-on failed: %s: %s", type(exc).__name__, exc)
            _note_refusal(request, "failed")
            return None
        if user is None:
            _note_refusal(request, "failed")
        return user

    def _verify_jws(self, payload, key):
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(
                f"The provider signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO!r}."
            )
        # mozilla-django-oidc leaves out the audience and issuer: a token made
        # for another application, or by another tenant, must not open an account.
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.OIDC_OP_ISSUER,
            leeway=settings.OIDC_CLOCK_LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the userinfo must be about the person
            # the id_token names.
            raise SuspiciousOperation("The userinfo answer is about someone else.")
        return claims

    def verify_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            raise Refused("unverified")
        # Providers that say whether an address is verified must say yes;
        # Entra ID does not send the claim (its tenant administrators set it).
        if "email_verified" in claims and claims["email_verified"] not in (True, "true"):
            raise Refused("unverified", email)
        return True

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip())

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            self.verify_claims(claims)
            email = claims["email"].strip()
            users = list(self.filter_users_by_claims(claims)[:2])
            if len(users) > 1:
                raise Refused("ambiguous", email)
            if users:
                if not users[0].is_active:
                    raise Refused("inactive", email)
                return self.update_user(users[0], claims)
            if not settings.OIDC_CREATE_USER:
                raise Refused("unknown", email)
            return self.create_user(claims)
        except Refused as refusal:
            LOGGER.info("Single sign-on refused (%s) for %s", refusal.reason, refusal.email)
            _note_refusal(self.request, refusal.reason, refusal.email)
            return None

    def create_user(self, claims):
        """An account with no partnership and no password: a partnership
        administrator still has to add the person before they see anything."""
        if not settings.OIDC_CREATE_USER:
            raise Refused("unknown", claims.get("email", ""))
        email = claims["email"].strip()
        username = email.lower()
        if self.UserModel.objects.filter(username=username).exists():
            username = default_username_algo(email)
        user = self.UserModel(username=username, email=email)
        user.set_unusable_password()
        self._copy_names(user, claims)
        user.full_clean()
        user.save()
        return user

    def update_user(self, user, claims):
        if self._copy_names(user, claims):
            user.save(update_fields=["first_name", "last_name"])
        return user

    @staticmethod
    def _copy_names(user, claims) -> bool:
        changed = False
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = (claims.get(claim) or "").strip()[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        return changed

    def get_user(self, user_id):
        # The parent class would keep a deactivated user signed in.
        return ModelBackend.get_user(self, user_id)


class CouncilAccountCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends people back. Refusals and failures get a page
    saying what to do, with no one signed in."""

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # A state that this browser did not start: an old tab, a replayed
            # or forged link.
            LOGGER.warning("Single sign-on callback refused: %s", exc)
            _note_refusal(request, "failed")
            return self.login_failure()

    def login_failure(self):
        reason, email = getattr(self.request, "sso_refusal", ("failed", ""))
        status, heading = REFUSALS[reason]
        return render(
            self.request,
            "registration/sso_refused.html",
            {"reason": reason, "heading": heading, "email": email},
            status=status,
        )


# Included under /oidc/ by safermk/urls.py when single sign-on is on. The names
# are the ones mozilla-django-oidc reverses.
urlpatterns = [
    path("authenticate/", OIDCAuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path("callback/", CouncilAccountCallbackView.as_view(), name="oidc_authentication_callback"),
]
