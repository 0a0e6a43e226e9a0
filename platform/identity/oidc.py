"""OpenID Connect relying party: authorization code flow with PKCE, state and nonce, verified ID tokens.

JWT handling is joserfc's (signature, iss, aud, exp, nonce); PKCE comes from Authlib. Nothing here
holds a token longer than one request; the pending sign-in lives in the server-side session.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwk import KeySet

# Asymmetric algorithms only: "none" and HMAC (keyed with the client secret) are refused.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60
PENDING_SECONDS = 10 * 60
DISCOVERY_SECONDS = 3600
_discovery: dict[str, tuple[float, dict[str, Any]]] = {}


class OidcError(Exception):
    """A refused sign-in; `reason` is a short code for logs and tests (never shown raw to people)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OidcClient:
    """One registration of w2 at an OpenID provider."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scope: str = "openid"
    # Levels of assurance w2 asks for and accepts (`acr_values`); empty: none asked, none checked.
    acr_values: tuple[str, ...] = ()


def issuer_problem(issuer: str) -> str | None:
    """Why an issuer URL is unusable, in Dutch, or None: HTTPS is required except on loopback."""
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
        return "de issuer moet een volledige URL zijn, bijvoorbeeld https://login.voorbeeld.be"
    if parts.scheme == "http" and not _loopback(parts.hostname):
        return "de issuer moet https gebruiken (http mag alleen op localhost)"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def discover(issuer: str) -> dict[str, Any]:
    """The provider's metadata (cached for an hour); its `issuer` must equal ours exactly."""
    hit = _discovery.get(issuer)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    if issuer_problem(issuer):
        raise OidcError("issuer_not_allowed")
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            resp = await http.get(url)
        resp.raise_for_status()
        meta = resp.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError("discovery_failed") from exc
    if not isinstance(meta, dict) or meta.get("issuer") != issuer:
        raise OidcError("issuer_mismatch")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(meta.get(key), str):
            raise OidcError("discovery_incomplete")
    _discovery[issuer] = (time.monotonic() + DISCOVERY_SECONDS, meta)
    return meta


async def begin(client: OidcClient) -> tuple[str, dict[str, Any]]:
    """The provider URL to send the person to, and the pending state to keep in their session."""
    meta = await discover(client.issuer)
    pending = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
               "verifier": secrets.token_urlsafe(64), "issuer": client.issuer, "client_id": client.client_id,
               "at": int(time.time())}
    params = {"response_type": "code", "client_id": client.client_id, "redirect_uri": client.redirect_uri,
              "scope": client.scope, "state": pending["state"], "nonce": pending["nonce"],
              "code_challenge": create_s256_code_challenge(pending["verifier"]), "code_challenge_method": "S256"}
    if client.acr_values:
        params["acr_values"] = " ".join(client.acr_values)
    endpoint = meta["authorization_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}", pending


async def finish(client: OidcClient, pending: Any, query: Mapping[str, str],
                 wanted_claim: str | None = None) -> dict[str, Any]:
    """Check the callback against the pending sign-in, redeem the code, verify the ID token; the claims."""
    _check_callback(client, pending, query)
    meta = await discover(client.issuer)
    async with httpx.AsyncClient(timeout=10) as http:
        tokens = await _redeem(http, meta, client, query["code"], pending["verifier"])
        keys = await _keys(http, meta)
        claims = verify_id_token(tokens["id_token"], keys, client, pending["nonce"])
        if wanted_claim and wanted_claim not in claims and meta.get("userinfo_endpoint"):
            claims = {**await _userinfo(http, meta, tokens.get("access_token"), claims["sub"]), **claims}
    return claims


def _check_callback(client: OidcClient, pending: Any, query: Mapping[str, str]) -> None:
    if not isinstance(pending, dict) or not pending.get("state"):
        raise OidcError("no_pending_sign_in")
    if int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        raise OidcError("pending_expired")
    if pending.get("issuer") != client.issuer or pending.get("client_id") != client.client_id:
        raise OidcError("pending_other_client")
    if not hmac.compare_digest(str(query.get("state", "")).encode(), str(pending["state"]).encode()):
        raise OidcError("state_mismatch")
    if query.get("error"):
        raise OidcError("provider_refused")
    # RFC 9207: when the provider names itself, it must be the one we sent the person to (mix-up attacks).
    if "iss" in query and query["iss"] != client.issuer:
        raise OidcError("issuer_mismatch")
    if not query.get("code"):
        raise OidcError("no_code")


async def _redeem(http: httpx.AsyncClient, meta: dict[str, Any], client: OidcClient, code: str,
                  verifier: str) -> dict[str, Any]:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": client.redirect_uri,
            "code_verifier": verifier}
    methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth: tuple[str, str] | None = None
    if "client_secret_basic" in methods:
        # RFC 6749 §2.3.1: both parts are form-encoded before Basic encoding.
        auth = (quote(client.client_id, safe=""), quote(client.client_secret, safe=""))
    else:
        data |= {"client_id": client.client_id, "client_secret": client.client_secret}
    try:
        resp = await http.post(meta["token_endpoint"], data=data, auth=auth,  # type: ignore[arg-type]  # None means no basic auth
                               headers={"Accept": "application/json"})
        body = resp.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError("token_endpoint_failed") from exc
    if resp.status_code != 200 or not isinstance(body, dict):
        raise OidcError("code_refused")
    if not isinstance(body.get("id_token"), str):
        raise OidcError("no_id_token")
    return body


async def _keys(http: httpx.AsyncClient, meta: dict[str, Any]) -> KeySet:
    try:
        resp = await http.get(meta["jwks_uri"])
        resp.raise_for_status()
        return KeySet.import_key_set(resp.json())
    except (httpx.HTTPError, ValueError, JoseError) as exc:
        raise OidcError("jwks_failed") from exc


def verify_id_token(id_token: str, keys: KeySet, client: OidcClient, nonce: str) -> dict[str, Any]:
    """Signature, issuer, audience, expiry and nonce of an ID token (joserfc); its claims."""
    try:
        token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
    except (JoseError, ValueError) as exc:
        raise OidcError("bad_signature") from exc
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": client.issuer},
        aud={"essential": True, "value": client.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError as exc:
        raise OidcError("expired") from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        raise OidcError(f"bad_{getattr(exc, 'claim', 'claim')}") from exc
    except JoseError as exc:
        raise OidcError("bad_claims") from exc
    claims = dict(token.claims)
    aud = claims["aud"]
    # OIDC Core §3.1.3.7: with several audiences, the token must have been issued to us (azp).
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != client.client_id:
        raise OidcError("bad_azp")
    # OIDC Core §3.1.2.1: acr_values is a wish the provider may ignore, so the level it reached is checked here.
    if client.acr_values and claims.get("acr") not in client.acr_values:
        raise OidcError("acr_not_met")
    return claims


async def _userinfo(http: httpx.AsyncClient, meta: dict[str, Any], access_token: Any, sub: str) -> dict[str, Any]:
    """Claims some providers (itsme, CSAM) release only at the userinfo endpoint; same `sub` required."""
    if not isinstance(access_token, str):
        return {}
    try:
        resp = await http.get(meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}",
                                                                   "Accept": "application/json"})
        body = resp.json() if resp.status_code == 200 else {}
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcError("userinfo_failed") from exc
    if not isinstance(body, dict) or (body and body.get("sub") != sub):
        raise OidcError("userinfo_other_subject")
    return body
