"""An administrator's `latchkey:admin` access token, without a browser.

usage: admin_token.py BASE TENANT LOGIN PASSWORD REDIRECT_URI CLIENT_JSON

CLIENT_JSON is what `latchkey client create --json` printed for a
first-party confidential application whose redirect URI is REDIRECT_URI.
Signs in with the password (the sign-in form and its CSRF token), runs the
authorization code flow with PKCE (S256), redeems the code with the client
secret and prints the access token. Standard library only.
"""

import base64
import hashlib
import http.cookiejar
import json
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fail(message):
    sys.exit(f"admin_token.py: {message}")


def main():
    if len(sys.argv) != 7:
        fail("usage: admin_token.py BASE TENANT LOGIN PASSWORD REDIRECT_URI CLIENT_JSON")
    base, tenant, login, password, redirect, client_json = sys.argv[1:]
    if not password:
        fail("no password (the demo prints the administrator's only on its first run)")
    client = json.loads(client_json)
    client_id, secret = client["client_id"], client["client_secret"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def fetch(url, form=None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with opener.open(request) as r:
                return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

    t = f"{base}/t/{tenant}"
    status, _, page = fetch(f"{t}/signin")
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    if status != 200 or not found:
        fail(f"no sign-in form at {t}/signin ({status})")
    status, _, _ = fetch(
        f"{t}/signin", {"login": login, "password": password, "csrf": found.group(1)}
    )
    if status not in (302, 303):
        fail(f"sign-in as {login} failed ({status})")

    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    query = urllib.parse.urlencode(
        {
            "client_id": client_id,
            "redirect_uri": redirect,
            "response_type": "code",
            "scope": "openid latchkey:admin",
            "state": secrets.token_urlsafe(16),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    status, headers, body = fetch(f"{t}/authorize?{query}")
    location = headers.get("location") or ""
    code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query).get("code")
    if status not in (302, 303) or not location.startswith(redirect) or not code:
        fail(f"no code from {t}/authorize ({status}, {location or body[:200]})")

    basic = base64.b64encode(
        f"{urllib.parse.quote(client_id, safe='')}:{urllib.parse.quote(secret, safe='')}".encode()
    ).decode()
    status, _, body = fetch(
        f"{t}/token",
        {
            "grant_type": "authorization_code",
            "code": code[0],
            "redirect_uri": redirect,
            "code_verifier": verifier,
        },
        {"Authorization": f"Basic {basic}"},
    )
    if status != 200:
        fail(f"the token endpoint said {status}: {body[:200]}")
    print(json.loads(body)["access_token"])


if __name__ == "__main__":
    main()
