#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# The attack requests of the end-to-end tests, built once in Python so the
# lighttpd and the Apache test send exactly the same bytes.
#
# Rows of the failure-case catalogue (BL-nn, see cases/README.md in the
# material beside the repository) and the basic refusals (XT-...), each
# turned into one HTTP request header block.  With --out DIR every request
# goes into its own file DIR/<n>.hdr (for "curl -H @file": some are larger
# than a command-line argument may be) and one line per request is printed:
#
#   <id> TAB <expected> TAB <file> TAB <description>
#
# Without --out the header lines themselves stand in the third column.
#
# <expected> is one of
#   200        accepted: the responder answers
#   401        refused by the authorizer as unauthenticated
#   400|401    malformed; either answer is a safe refusal
#   refused    any 4xx: too large for the web server's header limits, so
#              it may be refused before the authorizer sees it
# and may carry "/reason": the reason the authorizer must give in its JSON
# body, where the web server passes that body on.
#
# Deliberately not here:
# - BL-06's link-local metadata and outside URLs: a token must never make
#   the authorizer connect anywhere, and a test must not risk sending
#   traffic off this machine either.  The jku/x5u probes point at the
#   front server under test (--probe-url) instead, so the test can see
#   whether anything fetched them.
# - BL-08's "iss":"https://other.test" row: the issuer check is opt-in
#   (iss_is_app) and these tests run the shipped defaults, where the
#   caller's identity is the appId whose registered key verified the
#   signature.  The unit tests cover the check itself.
# - BL-07 with a kid naming a registered key of the same appId: that is
#   the legitimate key rotation case.  The kid rows here are signed with
#   the attacker's key, so a kid that reached a file, a query or another
#   application's key would be caught by the signature check.

import argparse
import json
import os
import sys
import time
import uuid

# The tests run from a source tree that may be read-only (make distcheck).
sys.dont_write_bytecode = True

from cryptography.hazmat.primitives import serialization
from jwt.algorithms import RSAAlgorithm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyjwt_mint as pm  # noqa: E402

H = {"alg": "RS512", "typ": "JWT"}


class Keys:
    """Private keys (and public key bytes) of app1, app2 and an attacker."""

    def __init__(self, clients, app1, app2, attacker):
        self.app1, self.app2, self.attacker = app1, app2, attacker
        self.priv = {}
        self.pub = {}
        for name in (app1, app2, attacker):
            with open(os.path.join(clients, name + "_private.pem"),
                      "rb") as f:
                self.priv[name] = f.read()
            with open(os.path.join(clients, name + "_public.pem"),
                      "rb") as f:
                self.pub[name] = f.read()
        self.attacker_pub_path = os.path.abspath(
            os.path.join(clients, attacker + "_public.pem"))


class Cases:
    def __init__(self, keys, now, leeway, max_lifetime, probe_url):
        self.k = keys
        self.now = now
        self.leeway = leeway
        self.max_lifetime = max_lifetime
        self.probe_url = probe_url
        self.rows = []

    # --- building blocks ------------------------------------------------

    def g(self, **changes):
        """G: a good claim set for app1; a value None removes the claim."""
        out = {"appId": self.k.app1, "iat": self.now - 5,
               "nbf": self.now - 5, "exp": self.now + 120,
               "jti": str(uuid.uuid4())}
        for name, value in changes.items():
            if value is None:
                out.pop(name, None)
            else:
                out[name] = value
        return out

    def t(self, header=None, payload=None, key=None, alg="RS512"):
        """T(h,p,K): header/payload objects or exact bytes."""
        header = H if header is None else header
        payload = self.g() if payload is None else payload
        key = self.k.app1 if key is None else key
        return pm.compact(header, payload, alg, self.k.priv[key])

    def raw_claims(self, literal_members):
        """Payload bytes with members written verbatim (1e400, ...)."""
        head = '{"appId":%s,"iat":%d' % (json.dumps(self.k.app1),
                                          self.now - 5)
        return (head + "," + literal_members + "}").encode("utf-8")

    def add(self, ident, expected, desc, token=None, headers=None):
        if headers is None:
            headers = ["x-token: " + token]
        self.rows.append((ident, expected, desc, headers))

    # --- basic refusals and acceptances ---------------------------------

    def basic(self):
        k = self.k
        good = self.t()
        self.add("XT-good", "200", "T(H,G,K1) via x-token", good)
        self.add("XT-good-bearer", "200", "T(H,G,K1) via Bearer",
                 headers=["Authorization: Bearer " + good])
        self.add("XT-bearer-lower", "200",
                 "Bearer scheme is case-insensitive",
                 headers=["Authorization: bearer " + good])
        self.add("XT-both-same", "200", "same token in x-token and Bearer",
                 headers=["x-token: " + good,
                          "Authorization: Bearer " + good])
        self.add("XT-ambiguous", "400|401/ambiguous_token",
                 "x-token and Bearer carry different tokens",
                 headers=["x-token: " + good,
                          "Authorization: Bearer " + self.t(key=k.app2,
                              payload=self.g(appId=k.app2))])
        self.add("XT-basic-scheme", "401/no_token",
                 "Authorization: Basic is not a token",
                 headers=["Authorization: Basic YWxpY2U6cHc="])
        self.add("XT-expired", "401/expired",
                 "exp beyond the leeway in the past",
                 self.t(payload=self.g(
                     iat=self.now - 200,
                     nbf=self.now - 200,
                     exp=self.now - self.leeway - 30)))
        self.add("XT-ttl-3600", "401/lifetime_too_long",
                 "lifetime 3600 s over the cap",
                 self.t(payload=self.g(exp=self.now + 3600)))
        self.add("XT-other-key", "401/bad_signature",
                 "appId app1 signed by app2's key",
                 self.t(key=k.app2))
        self.add("XT-unknown-app", "401/unknown_app",
                 "appId not registered, signed by its own key",
                 self.t(payload=self.g(appId=k.attacker), key=k.attacker))
        self.add("XT-app-path", "401/bad_app_id",
                 "appId ../admin", self.t(payload=self.g(appId="../" +
                                                         k.app2)))
        parts = good.split(".")
        tampered = self.g()
        tampered["appId"] = k.app2
        self.add("XT-tampered", "401/bad_signature",
                 "payload changed (appId app2), signature kept",
                 parts[0] + "." + pm.b64u(pm.json_bytes(tampered)) + "." +
                 parts[2])
        self.add("XT-garbage", "400|401", "garbage token", "garbage")
        self.add("XT-two-segments", "400|401", "header.payload only",
                 parts[0] + "." + parts[1])

    # --- rows of the catalogue -------------------------------------------

    def bl01(self):
        for spelling in ("none", "None", "NONE", "nOnE"):
            self.add("BL-01-" + spelling, "401",
                     "alg %s, empty signature" % spelling,
                     self.t(header={"alg": spelling}, alg="none"))

    def bl02(self):
        good = self.t().split(".")
        none_h = pm.b64u(pm.json_bytes({"alg": "none"}))
        self.add("BL-02a", "401", "alg none with a copied RS512 signature",
                 none_h + "." + good[1] + "." + good[2])
        self.add("BL-02b", "401", "RS512 header, empty signature",
                 good[0] + "." + good[1] + ".")
        self.add("BL-02c", "400|401", "RS512 header, no third segment",
                 good[0] + "." + good[1])

    def public_key_forms(self):
        """K1's public key as the byte strings a confused verifier uses."""
        pem = self.k.pub[self.k.app1]
        key = serialization.load_pem_public_key(pem)
        return [
            ("pem-lf", pem),
            ("pem-crlf", pem.replace(b"\r\n", b"\n").replace(b"\n",
                                                             b"\r\n")),
            ("pem-no-final-newline", pem.rstrip(b"\n")),
            ("der-spki", key.public_bytes(
                serialization.Encoding.DER,
                serialization.PublicFormat.SubjectPublicKeyInfo)),
            ("der-pkcs1", key.public_bytes(
                serialization.Encoding.DER,
                serialization.PublicFormat.PKCS1)),
            ("jwk", RSAAlgorithm.to_jwk(key).encode("utf-8")),
            ("ssh-rsa", key.public_bytes(
                serialization.Encoding.OpenSSH,
                serialization.PublicFormat.OpenSSH) + b"\n"),
        ]

    def bl03(self):
        forms = self.public_key_forms()
        for hs in ("HS256", "HS384", "HS512"):
            for name, key_bytes in forms:
                header = {"alg": hs, "typ": "JWT", "kid": self.k.app1}
                si = pm.signing_input(header, self.g())
                token = (si.decode("ascii") + "." +
                         pm.b64u(pm.hmac_sign(hs, key_bytes, si)))
                self.add("BL-03-%s-%s" % (hs, name), "401/alg_not_allowed",
                         "%s keyed with K1 public key as %s" % (hs, name),
                         token)

    def bl05(self):
        a = serialization.load_pem_private_key(
            self.k.priv[self.k.attacker], None).public_key()
        jwk = json.loads(RSAAlgorithm.to_jwk(a))
        header = dict(H, jwk={"kty": "RSA", "n": jwk["n"], "e": jwk["e"]})
        self.add("BL-05", "401/bad_signature",
                 "embedded jwk of the attacker, signed by it",
                 self.t(header=header, key=self.k.attacker))

    def bl06(self):
        a = self.k.attacker
        variants = [
            ("jku-probe", {"jku": self.probe_url + "/jwks-probe.json"}),
            ("x5u-probe", {"x5u": self.probe_url + "/x5u-probe.pem"}),
            ("jku-file", {"jku": "file:///etc/passwd"}),
            ("jku-kid-probe", {"kid": self.k.app1,
                               "jku": self.probe_url + "/jwks-kid-probe"}),
        ]
        for name, extra in variants:
            # A kid is looked up among the appId's own keys only.
            verdict = "401/unknown_key" if "kid" in extra else \
                "401/bad_signature"
            self.add("BL-06-" + name, verdict,
                     "header %s, signed by the attacker" %
                     ",".join(sorted(extra)),
                     self.t(header=dict(H, **extra), key=a))

    def bl07(self):
        a = self.k.attacker
        hs = {"alg": "HS256", "kid": "../../../../../../dev/null"}
        self.add("BL-07-devnull", "401", "HS256 kid /dev/null, empty key",
                 self.hs_empty(hs))
        kids = [
            ("ca-bundle", "../../etc/ssl/certs/ca-certificates.crt", "401"),
            ("attacker-file", self.k.attacker_pub_path, "401"),
            ("sql", "x' UNION SELECT 'AAAA'-- ", "401"),
            ("empty", "", "401"),
            ("number", 1, "400|401"),
            ("array", [self.k.app1], "400|401"),
        ]
        for name, kid, expected in kids:
            self.add("BL-07-" + name, expected,
                     "kid %s, signed by the attacker" % name,
                     self.t(header=dict(H, kid=kid), key=a))
        nul = ('{"alg":"RS512","typ":"JWT","kid":"%s\\u0000../../x"}'
               % self.k.app1).encode("ascii")
        self.add("BL-07-nul", "400|401", "kid with an escaped NUL",
                 self.t(header=nul, key=a))
        self.add("BL-07-huge", "refused", "kid of 100000 characters",
                 self.t(header=dict(H, kid="k" * 100000), key=a))

    def hs_empty(self, header):
        si = pm.signing_input(header, self.g())
        return (si.decode("ascii") + "." +
                pm.b64u(pm.hmac_sign("HS256", b"", si)))

    def bl08(self):
        k = self.k
        self.add("BL-08-kid-mismatch", "401/unknown_key",
                 "kid names app2, appId app1, signed by app2",
                 self.t(header=dict(H, kid=k.app2 + "-key"), key=k.app2))
        self.add("BL-08-traversal", "401", "appId ../app2, signed by app2",
                 self.t(payload=self.g(appId="../" + k.app2), key=k.app2))
        for name, value in (("number", 1), ("array", [k.app1]),
                            ("upper", k.app1.upper())):
            self.add("BL-08-" + name, "401", "appId as %s" % name,
                     self.t(payload=self.g(appId=value)))
        self.add("BL-08-missing", "401", "no appId",
                 self.t(payload=self.g(appId=None)))
        self.add("BL-08-claim-other", "401/bad_signature",
                 "appId app2, signed by app1",
                 self.t(payload=self.g(appId=k.app2)))

    def bl10(self):
        n = self.now
        self.add("BL-10-expired", "401/expired",
                 "exp past the leeway",
                 self.t(payload=self.g(iat=n - 300, nbf=n - 300,
                                       exp=n - self.leeway - 5)))
        self.add("BL-10-fraction", "200", "fractional exp",
                 self.t(payload=self.g(exp=n + 100.5)))
        self.add("BL-10-no-exp", "401/missing_exp", "exp missing",
                 self.t(payload=self.g(exp=None)))
        self.add("BL-10-nbf-future", "401/not_yet_valid", "nbf now+600",
                 self.t(payload=self.g(nbf=n + 600)))
        self.add("BL-10-iat-future", "401/issued_in_future", "iat now+600",
                 self.t(payload=self.g(iat=n + 600)))
        self.add("BL-10-ten-years", "401/lifetime_too_long",
                 "exp ten years ahead",
                 self.t(payload=self.g(exp=n + 10 * 365 * 86400)))

    def bl11(self):
        e = self.now + 120
        members = [
            ("exp-string", '"exp":"9999999999"'),
            ("exp-true", '"exp":true'),
            ("exp-null", '"exp":null'),
            ("exp-array", '"exp":[%d]' % e),
            ("exp-minus-one", '"exp":-1'),
            ("exp-zero", '"exp":0'),
            ("exp-1e300", '"exp":1e300'),
            ("exp-2e63", '"exp":9223372036854775808'),
            ("exp-1e20", '"exp":99999999999999999999'),
            ("exp-1e400", '"exp":1e400'),
            ("nbf-string", '"nbf":"0","exp":%d' % e),
        ]
        for name, literal in members:
            self.add("BL-11-" + name, "400|401", "claim " + literal,
                     self.t(payload=self.raw_claims(literal)))
        iat_object = ('{"appId":%s,"iat":{},"exp":%d}' %
                      (json.dumps(self.k.app1), e)).encode("ascii")
        self.add("BL-11-iat-object", "400|401", 'claim "iat":{}',
                 self.t(payload=iat_object))

    def bl12(self):
        self.add("BL-12-dots", "refused", "Bearer with 1,000,000 dots",
                 headers=["Authorization: Bearer " + "." * 1000000])
        self.add("BL-12-64k", "refused", "x-token of 64 KiB",
                 "A" * 65536)
        self.add("BL-12-1m", "refused", "x-token of 1 MiB", "A" * 1048576)
        self.add("BL-12-100k-claims", "refused",
                 "good token with 100 KiB of claims",
                 self.t(payload=self.g(pad="p" * 102400)))
        # Within the web server's limits, so the authorizer's own cap
        # (max_token_bytes, 8192 by default) is what refuses these.
        self.add("BL-12-9k-claims", "400|401/token_too_large",
                 "good token of about 9 KiB",
                 self.t(payload=self.g(pad="p" * 6500)))
        self.add("BL-12-12k-dots", "400|401", "x-token of 12000 dots",
                 "." * 12000)

    def bl20(self):
        h, p, s = self.t().split(".")
        sig = pm.base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
        forms = [
            ("3-bytes", pm.b64u(b"\0\0\0")),
            ("minus-first-byte", pm.b64u(sig[1:])),
            ("zero-prepended", pm.b64u(b"\0" + sig)),
            ("twice", pm.b64u(sig + sig)),
            ("empty", ""),
        ]
        for name, seg in forms:
            self.add("BL-20-" + name, "401",
                     "signature %s" % name, h + "." + p + "." + seg)

    def bl26(self):
        good = self.t()
        jwe_h = pm.b64u(pm.json_bytes({"alg": "RSA-OAEP", "enc": "A256GCM",
                                       "kid": self.k.app1}))
        self.add("BL-26-jwe", "400|401", "JWE with five segments",
                 ".".join([jwe_h, "ZWs", "aXY", "Y3Q", "dGFn"]))
        h, p, s = good.split(".")
        self.add("BL-26-four", "400|401", "four segments",
                 ".".join([h, p, s, s]))
        self.add("BL-26-suffix", "400|401", "good token + .x", good + ".x")
        self.add("BL-26-two", "400|401", "two segments", h + "." + p)
        self.add("BL-26-enc", "401", "enc in a three-part token",
                 self.t(header=dict(H, enc="A256GCM")))

    def bl30(self):
        g = pm.json_bytes(self.g())
        headers = [
            ("array", b"[1]"), ("string", b'"x"'), ("number", b"1"),
            ("null", b"null"), ("no-alg", b"{}"),
            ("alg-number", b'{"alg":1}'), ("alg-null", b'{"alg":null}'),
            ("truncated", b'{"alg":"RS512"'),
            ("trailing", b'{"alg":"RS512","typ":"JWT"}x'),
        ]
        for name, hbytes in headers:
            self.add("BL-30-header-" + name, "400|401",
                     "header %s" % name, self.t(header=hbytes, payload=g))
        for name, pbytes in (("null", b"null"), ("array", b"[]"),
                             ("string", b'"str"'), ("number", b"42"),
                             ("trailing", g + b"x")):
            self.add("BL-30-payload-" + name, "400|401",
                     "payload %s" % name, self.t(payload=pbytes))
        h, p, s = self.t().split(".")
        self.add("BL-30-empty-header", "400|401", "empty header segment",
                 "." + p + "." + s)
        self.add("BL-30-empty-payload", "400|401", "empty payload segment",
                 h + ".." + s)

    def bl31(self):
        a = self.k.attacker
        self.add("BL-31-expired-forged", "401/bad_signature",
                 "expired and signed by the attacker",
                 self.t(payload=self.g(iat=self.now - 400,
                                       nbf=self.now - 400,
                                       exp=self.now - 100), key=a))
        self.add("BL-31-bad-claim-forged", "401/bad_signature",
                 "exp of the wrong type and signed by the attacker",
                 self.t(payload=self.raw_claims('"exp":"soon"'), key=a))

    def bl34(self):
        self.add("BL-34", "401", "RFC 7515 A.5 unsecured example",
                 "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4"
                 "MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
                 "fQ.")

    def build(self):
        self.basic()
        for step in (self.bl01, self.bl02, self.bl03, self.bl05, self.bl06,
                     self.bl07, self.bl08, self.bl10, self.bl11, self.bl12,
                     self.bl20, self.bl26, self.bl30, self.bl31, self.bl34):
            step()
        return self.rows


def write_rows(rows, out):
    if out:
        os.makedirs(out, exist_ok=True)
    for n, (ident, expected, desc, headers) in enumerate(rows, 1):
        text = "\n".join(headers) + "\n"
        if out:
            path = os.path.join(out, "%03d.hdr" % n)
            with open(path, "w", encoding="ascii") as f:
                f.write(text)
            third = path
        else:
            third = " | ".join(headers)
        sys.stdout.write("%s\t%s\t%s\t%s\n" % (ident, expected, third, desc))


def main(argv):
    p = argparse.ArgumentParser(description="Write the end-to-end attack "
                                "requests for the xtoken integration tests.")
    p.add_argument("--clients", required=True,
                   help="directory of <app>_private.pem and _public.pem")
    p.add_argument("--app1", default="app1")
    p.add_argument("--app2", default="app2")
    p.add_argument("--attacker", default="intruder",
                   help="key pair not registered with the authorizer")
    p.add_argument("--leeway", type=int, default=30)
    p.add_argument("--max-lifetime", type=int, default=300)
    p.add_argument("--probe-url", default="http://127.0.0.1:9",
                   help="base URL whose access log shows any fetch")
    p.add_argument("--out", help="write one header file per request here")
    p.add_argument("--only", help="comma-separated id prefixes to keep")
    args = p.parse_args(argv)

    keys = Keys(args.clients, args.app1, args.app2, args.attacker)
    rows = Cases(keys, int(time.time()), args.leeway, args.max_lifetime,
                 args.probe_url.rstrip("/")).build()
    if args.only:
        prefixes = tuple(args.only.split(","))
        rows = [r for r in rows if r[0].startswith(prefixes)]
    write_rows(rows, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
