"""Credentials for the benchmark scripts: every API call carries the bootstrap admin's token.

LTB_API_KEY (an ltb_ key) is used as is when set; otherwise the scripts log in with LTB_ADMIN_USER /
LTB_ADMIN_PASSWORD (defaults: the server's development-only admin, admin / admin-dev-only) and log
in again when the 15-minute access token is close to expiry. See docs/security.md.
"""
import json, os, time, urllib.request

_tokens = {}


def headers(base):
    """The Authorization header for the server at base (e.g. http://localhost:9080)."""
    key = os.environ.get("LTB_API_KEY")
    if key:
        return {"Authorization": "Bearer " + key}
    token, until = _tokens.get(base, (None, 0))
    if token is None or time.time() > until:
        body = json.dumps({"username": os.environ.get("LTB_ADMIN_USER", "admin"),
                           "password": os.environ.get("LTB_ADMIN_PASSWORD", "admin-dev-only")})
        req = urllib.request.Request(base + "/api/v1/auth/login", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            answer = json.loads(r.read())
        token = answer["accessToken"]
        _tokens[base] = (token, time.time() + answer["expiresIn"] - 60)
    return {"Authorization": "Bearer " + token}
