#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Mint test tokens with an implementation independent of ours: PyJWT (the
# Debian python3-jwt package) for RS*/PS*/ES*, and plain base64url + hmac
# for the forms PyJWT refuses to produce ("none", and HMAC keyed with the
# bytes of a public key file).  Prints the token on stdout.
#
# Also a module: tests/tools/cases.py builds its attack tokens from the
# helpers below.

import argparse
import base64
import hashlib
import hmac
import json
import sys
import time

import jwt
from jwt.algorithms import get_default_algorithms

HMAC_HASHES = {
    "HS256": hashlib.sha256,
    "HS384": hashlib.sha384,
    "HS512": hashlib.sha512,
}


def b64u(data):
    """base64url without padding (RFC 7515 section 2)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_bytes(obj):
    """Compact JSON, the way most JWT libraries serialize."""
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def signing_input(header, payload):
    """header and payload are bytes (exact JSON text) or objects."""
    if not isinstance(header, bytes):
        header = json_bytes(header)
    if not isinstance(payload, bytes):
        payload = json_bytes(payload)
    return (b64u(header) + "." + b64u(payload)).encode("ascii")


def asym_sign(alg, key_pem, data):
    """Signature by PyJWT's own algorithm object (RS*, PS*, ES*)."""
    algo = get_default_algorithms()[alg]
    return algo.sign(data, algo.prepare_key(key_pem))


def hmac_sign(alg, key_bytes, data):
    """HMAC keyed with arbitrary bytes: PyJWT refuses PEM-looking keys."""
    return hmac.new(key_bytes, data, HMAC_HASHES[alg]).digest()


def sign(alg, key_bytes, data):
    if alg.lower() == "none":
        return b""
    if alg in HMAC_HASHES:
        return hmac_sign(alg, key_bytes, data)
    return asym_sign(alg, key_bytes, data)


def compact(header, payload, alg, key_bytes):
    """A complete token over exact header/payload bytes or objects."""
    si = signing_input(header, payload)
    return si.decode("ascii") + "." + b64u(sign(alg, key_bytes, si))


def claims(app, now, ttl, iat="now", nbf=None, exp=None, extra=None,
           drop=()):
    """The claims xtoken-mint sends (appId, iat, exp), then changes."""
    out = {}
    if app is not None:
        out["appId"] = app
    out["iat"] = now if iat == "now" else iat
    if nbf is not None:
        out["nbf"] = nbf
    out["exp"] = now + ttl if exp is None else exp
    out.update(extra or {})
    for name in drop:
        out.pop(name, None)
    return out


def pyjwt_encode(payload, key_bytes, alg, header_extra=None):
    """RS*/PS*/ES* through PyJWT's public API, as a caller would."""
    return jwt.encode(payload, key_bytes, algorithm=alg,
                      headers=header_extra or None)


def parse_time(text, now):
    """'now', 'now+N', 'now-N', 'omit', or a JSON number/value."""
    if text == "omit":
        return "omit"
    if text == "now":
        return now
    if text.startswith("now+"):
        return now + json.loads(text[4:])
    if text.startswith("now-"):
        return now - json.loads(text[4:])
    return json.loads(text)


def parse_pair(text, what):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise SystemExit("pyjwt_mint: %s needs NAME=JSON, got %r"
                         % (what, text))
    try:
        return name, json.loads(value)
    except ValueError:
        # Not JSON: take the text as a string, the common case for kid.
        return name, value


def build_parser():
    p = argparse.ArgumentParser(
        description="Mint a JWT for xtoken tests, independently of "
        "xtoken-mint.  Times accept now, now+N, now-N, a JSON value, "
        "or omit.")
    p.add_argument("--app", help="appId claim (left out when not given)")
    p.add_argument("--key", required=True,
                   help="private key PEM (RS*/PS*/ES*), or any file whose "
                   "exact bytes key the HMAC (HS*); ignored for none")
    p.add_argument("--alg", default="RS512",
                   help="RS512 (default), RS256..PS512, ES*, HS256/384/512, "
                   "none")
    p.add_argument("--ttl", type=float, default=300,
                   help="seconds from iat to exp (default 300)")
    p.add_argument("--now", type=int, help="current time (default: clock)")
    p.add_argument("--iat", default="now")
    p.add_argument("--nbf")
    p.add_argument("--exp")
    p.add_argument("--claim", action="append", default=[],
                   metavar="NAME=JSON", help="add or replace a claim")
    p.add_argument("--no-claim", action="append", default=[],
                   metavar="NAME", help="leave a claim out")
    p.add_argument("--header", action="append", default=[],
                   metavar="NAME=JSON",
                   help="add or replace a header member (kid, jku, alg...)")
    return p


def main(argv):
    args = build_parser().parse_args(argv)
    now = args.now if args.now is not None else int(time.time())
    ttl = int(args.ttl) if args.ttl == int(args.ttl) else args.ttl

    iat = parse_time(args.iat, now)
    nbf = parse_time(args.nbf, now) if args.nbf else None
    exp = parse_time(args.exp, now) if args.exp else None
    drop = list(args.no_claim)
    for name, value in (("iat", iat), ("nbf", nbf), ("exp", exp)):
        if value == "omit":
            drop.append(name)
    extra = dict(parse_pair(c, "--claim") for c in args.claim)
    payload = claims(args.app, now, ttl,
                     iat=None if iat == "omit" else iat,
                     nbf=None if nbf == "omit" else nbf,
                     exp=None if exp == "omit" else exp,
                     extra=extra, drop=drop)
    header_extra = dict(parse_pair(h, "--header") for h in args.header)

    try:
        with open(args.key, "rb") as f:
            key_bytes = f.read()
    except OSError as e:
        raise SystemExit("pyjwt_mint: cannot read key %s: %s"
                         % (args.key, e.strerror))

    if args.alg.lower() == "none" or args.alg in HMAC_HASHES:
        header = {"alg": args.alg, "typ": "JWT"}
        header.update(header_extra)
        token = compact(header, payload, args.alg, key_bytes)
    else:
        token = pyjwt_encode(payload, key_bytes, args.alg, header_extra)
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
