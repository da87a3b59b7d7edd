#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# The failure-case rows that need more than the shipped defaults (aud and
# iss checks, EC and Ed25519 keys) or more than a web server will send
# (raw FastCGI), sent straight to a running xtoken-authorizer over its
# unix socket.  Prints TAP.
#
#   authorizer_cases.py SOCKET CLIENTS_DIR
#   authorizer_cases.py rsa-exponent E OUT.pem   (an RSA public key with
#                                                 exponent E, for BL-25)
#
# The authorizer runs with --audience authz.test --iss-is-app yes and the
# keys of: app1 (RSA, RS512), p256 (ES256), p521 (ES512), ed (EdDSA);
# "attacker" is a key pair it does not know.  Row ids follow the case
# catalogue (BL-nn) and the jwt_tool attack modes (JT-...).

import base64
import json
import os
import sys
import time
import uuid

sys.dont_write_bytecode = True

from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature, encode_dss_signature)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcgi_raw  # noqa: E402

AUD = "authz.test"


def fcgi_request(sock, params, chunk):
    """One request with the PARAMS stream cut into records of at most
    chunk bytes; (status, headers, body) or None if the connection was
    dropped.  A missing Status line counts as 0, never as 200."""
    data = fcgi_raw.encode_params(params)
    msg = fcgi_raw.begin()
    for i in range(0, len(data), chunk):
        msg += fcgi_raw.record(fcgi_raw.PARAMS, data[i:i + chunk])
    msg += fcgi_raw.record(fcgi_raw.PARAMS)
    s = fcgi_raw.connect("unix:" + sock)
    try:
        s.sendall(msg)
        raw = fcgi_raw.read_answer(s)
    finally:
        s.close()
    if raw is None:
        return None
    _, headers, body = fcgi_raw.parse_answer(raw)
    status = int(headers["status"].split()[0]) if "status" in headers \
        else 0
    return status, headers, body.decode("latin-1")


def fcgi_raw_params(sock, content):
    """A request whose one PARAMS record holds content as it is; the raw
    answer, or None if the connection was dropped."""
    s = fcgi_raw.connect("unix:" + sock)
    try:
        s.sendall(fcgi_raw.begin() +
                  fcgi_raw.record(fcgi_raw.PARAMS, content) +
                  fcgi_raw.record(fcgi_raw.PARAMS))
        try:
            return fcgi_raw.read_answer(s)
        except OSError:
            return None
    finally:
        s.close()
ORDER = {
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
}


def b64u(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jtext(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


class Keys:
    def __init__(self, clients):
        self.priv = {}
        for name in ("app1", "p256", "p521", "ed", "attacker"):
            with open(os.path.join(clients, name + ".key"), "rb") as f:
                self.priv[name] = serialization.load_pem_private_key(
                    f.read(), None)
        with open(os.path.join(clients, "app1_public.pem"), "rb") as f:
            self.app1_pem = f.read()


class Run:
    def __init__(self, sock, keys):
        self.sock, self.k, self.n, self.failed = sock, keys, 0, 0
        self.now = int(time.time())

    def claims(self, app="app1", **changes):
        out = {"appId": app, "iss": app, "aud": AUD, "iat": self.now - 5,
               "exp": self.now + 120, "jti": str(uuid.uuid4())}
        for name, value in changes.items():
            if value is None:
                out.pop(name, None)
            else:
                out[name] = value
        return out

    # --- signing ----------------------------------------------------------

    def sign(self, key, alg, data):
        k = self.k.priv[key]
        if alg.startswith("RS"):
            return k.sign(data, padding.PKCS1v15(), HASH[alg]())
        if alg.startswith("ES"):
            r, s = decode_dss_signature(k.sign(data, ec.ECDSA(HASH[alg]())))
            size = (k.curve.key_size + 7) // 8
            return r.to_bytes(size, "big") + s.to_bytes(size, "big")
        if alg == "EdDSA":
            return k.sign(data)
        raise ValueError(alg)

    def token(self, header, payload, key="app1", alg=None, sig=None):
        """header/payload: objects, or bytes used as they are."""
        h = header if isinstance(header, bytes) else jtext(header)
        p = payload if isinstance(payload, bytes) else jtext(payload)
        signing_input = (b64u(h) + "." + b64u(p)).encode()
        if sig is None:
            sig = self.sign(key, alg or json.loads(h)["alg"], signing_input)
        return signing_input.decode() + "." + b64u(sig)

    def hs(self, header, payload, secret):
        signing_input = (b64u(jtext(header)) + "." + b64u(jtext(payload)))
        mac = hmac.HMAC(secret, hashes.SHA256())
        mac.update(signing_input.encode())
        return signing_input + "." + b64u(mac.finalize())

    # --- checking ---------------------------------------------------------

    def check(self, ident, expected, token=None, params=None, chunk=65535):
        """expected: a status, or a set of acceptable statuses."""
        self.n += 1
        want = expected if isinstance(expected, set) else {expected}
        if params is None:
            params = [("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/users"),
                      ("REMOTE_ADDR", "127.0.0.1"),
                      ("HTTP_X_TOKEN", token)]
        got = fcgi_request(self.sock, params, chunk)
        status = got[0] if got else None
        reason = ""
        if got and got[2]:
            try:
                reason = json.loads(got[2]).get("reason", "")
            except ValueError:
                reason = "(no JSON body)"
        if status in want:
            print("ok %d - %s: %s %s" % (self.n, ident, status, reason))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, ident))
            print("# expected %s, got %s %s" % (sorted(want), status,
                                               reason))

    def accept(self, ident, token):
        self.check(ident, 200, token)

    def refuse(self, ident, token, statuses=(401,)):
        self.check(ident, set(statuses), token)


HASH = {"RS256": hashes.SHA256, "RS384": hashes.SHA384,
        "RS512": hashes.SHA512, "ES256": hashes.SHA256,
        "ES384": hashes.SHA384, "ES512": hashes.SHA512}

MALFORMED = (400, 401)


def bl09(r):
    h = {"alg": "RS512"}
    r.accept("BL-09 aud array containing ours",
             r.token(h, r.claims(aud=["other", AUD])))
    for label, aud in (("array without ours", ["other"]), ("empty array", []),
                       ("empty string", ""), ("null", None), ("number", 123),
                       ("nested array", [[AUD]]),
                       ("trailing space", AUD + " ")):
        claims = r.claims()
        claims["aud"] = aud
        r.refuse("BL-09 aud " + label, r.token(h, claims))
    r.refuse("BL-09 aud missing", r.token(h, r.claims(aud=None)))


def bl08_iss(r):
    r.refuse("BL-08 iss of another issuer",
             r.token({"alg": "RS512"}, r.claims(iss="https://other.test")))
    r.refuse("BL-08 iss missing", r.token({"alg": "RS512"},
                                          r.claims(iss=None)))


def bl15(r):
    h = {"alg": "RS512"}
    for depth in (33, 1000, 100000):
        nested = b"[" * depth + b"]" * depth
        body = jtext(r.claims())[:-1] + b',"x":' + nested + b"}"
        r.refuse("BL-15 payload nested %d deep" % depth,
                 r.token(h, body, alg="RS512"), MALFORMED)
        head = b'{"alg":"RS512","x":' + nested + b"}"
        r.refuse("BL-15 header nested %d deep" % depth,
                 r.token(head, r.claims(), alg="RS512"), MALFORMED)
    r.refuse("BL-15 50000 open objects",
             r.token(h, b'{"a":' * 50000, alg="RS512"), MALFORMED)


def bl18(r):
    good = jtext(r.claims())
    for label, bad in (("C3 28", b"\xc3\x28"), ("overlong C0 AF", b"\xc0\xaf"),
                       ("lone surrogate ED A0 80", b"\xed\xa0\x80"),
                       ("FF", b"\xff")):
        payload = good[:-1] + b',"x":"' + bad + b'"}'
        r.refuse("BL-18 payload with " + label,
                 r.token({"alg": "RS512"}, payload, alg="RS512"), MALFORMED)
        head = b'{"alg":"RS512","x":"' + bad + b'"}'
        r.refuse("BL-18 header with " + label,
                 r.token(head, good, alg="RS512"), MALFORMED)
    r.refuse("BL-18 byte-order mark",
             r.token({"alg": "RS512"}, b"\xef\xbb\xbf" + good, alg="RS512"),
             MALFORMED)
    surrogate = good.replace(b'"appId":"app1"', b'"appId":"app1\\ud800"')
    r.refuse("BL-18 escaped lone surrogate in appId",
             r.token({"alg": "RS512"}, surrogate, alg="RS512"), MALFORMED)


def der(r_int, s_int):
    return encode_dss_signature(r_int, s_int)


def bl22(r):
    h = {"alg": "ES256"}
    c = r.claims(app="p256", iss="p256")
    n = ORDER["P-256"]
    real = r.sign("p256", "ES256",
                  (b64u(jtext(h)) + "." + b64u(jtext(c))).encode())
    for label, sig in (("64 zero bytes", bytes(64)),
                       ("DER r=s=0", base64.b64decode("MAYCAQACAQA=")),
                       ("r=s=n", n.to_bytes(32, "big") * 2),
                       ("r=0 with a real s", bytes(32) + real[32:])):
        r.refuse("BL-22 ES256 " + label, r.token(h, c, sig=sig))
    r.refuse("BL-22 ES512 132 zero bytes",
             r.token({"alg": "ES512"}, r.claims(app="p521", iss="p521"),
                     sig=bytes(132)))


def leading_zero_token(r, app, alg, size, zeros):
    """A real token whose r starts with `zeros` zero bytes."""
    for i in range(20000):
        c = r.claims(app=app, iss=app, jti="z%d" % i)
        t = r.token({"alg": alg}, c, key=app)
        sig = base64.urlsafe_b64decode(t.split(".")[2] + "==")
        if len(sig) == 2 * size and sig[:zeros] == bytes(zeros):
            return t
    return None


def bl23(r):
    h = {"alg": "ES256"}
    c = r.claims(app="p256", iss="p256")
    raw = r.sign("p256", "ES256",
                 (b64u(jtext(h)) + "." + b64u(jtext(c))).encode())
    as_der = der(int.from_bytes(raw[:32], "big"),
                 int.from_bytes(raw[32:], "big"))
    r.refuse("BL-23a ES256 signature in DER", r.token(h, c, sig=as_der))
    h5 = {"alg": "ES512"}
    c5 = r.claims(app="p521", iss="p521")
    raw5 = r.sign("p521", "ES512",
                  (b64u(jtext(h5)) + "." + b64u(jtext(c5))).encode())
    short = raw5[1:66] + raw5[67:]
    r.refuse("BL-23b ES512 of 130 bytes", r.token(h5, c5, sig=short))
    t = leading_zero_token(r, "p521", "ES512", 66, 2)
    if t:
        r.accept("BL-23c ES512 with r starting 00 00", t)
    t = leading_zero_token(r, "p256", "ES256", 32, 1)
    if t:
        r.accept("BL-23d ES256 with r below 2^248", t)


def bl24(r):
    c = r.claims()
    ext = "http://example.invalid/must-understand"
    for label, extra in (("unknown extension", {"crit": [ext], ext: True}),
                         ("empty list", {"crit": []}),
                         ("alg", {"crit": ["alg"]}),
                         ("b64 false", {"crit": ["b64"], "b64": False}),
                         ("a string", {"crit": "exp"})):
        h = {"alg": "RS512"}
        h.update(extra)
        r.refuse("BL-24 crit " + label, r.token(h, c))


def bl25(r):
    r.refuse("BL-25 P-256 key with an ES512 token",
             r.token({"alg": "ES512"}, r.claims(app="p256", iss="p256"),
                     key="p521"))
    r.refuse("BL-25 RSA key with an ES256 token",
             r.token({"alg": "ES256"}, r.claims(), key="p256"))
    r.refuse("BL-25 RSA key with an EdDSA token",
             r.token({"alg": "EdDSA"}, r.claims(), key="ed"))


def accepted_algs(r):
    r.accept("RS512 token of app1", r.token({"alg": "RS512"}, r.claims()))
    r.accept("ES256 token of p256",
             r.token({"alg": "ES256"}, r.claims(app="p256", iss="p256"),
                     key="p256"))
    r.accept("ES512 token of p521",
             r.token({"alg": "ES512"}, r.claims(app="p521", iss="p521"),
                     key="p521"))
    r.accept("EdDSA token of ed",
             r.token({"alg": "EdDSA"}, r.claims(app="ed", iss="ed"),
                     key="ed"))


def jwt_tool_modes(r):
    """The attacks of ticarpi/jwt_tool's -X modes and tampering."""
    c = r.claims()
    for spelling in ("none", "None", "NONE", "nOnE"):
        r.refuse("JT -X a alg %s" % spelling,
                 r.token({"alg": spelling}, c, sig=b""))
    good = r.token({"alg": "RS512"}, c)
    r.refuse("JT -X n null signature", good.rsplit(".", 1)[0] + ".")
    r.refuse("JT -X b HS256 with an empty secret",
             r.hs({"alg": "HS256"}, c, b""))
    r.refuse("JT -X p psychic ES256 signature",
             r.token({"alg": "ES256"}, r.claims(app="p256", iss="p256"),
                     sig=base64.b64decode("MAYCAQACAQA=")))
    r.refuse("JT -X s spoofed JWKS URL",
             r.token({"alg": "RS512", "jku": "http://127.0.0.1:9/j.json"},
                     c, key="attacker"))
    r.refuse("JT -X k HS256 keyed with the public key",
             r.hs({"alg": "HS256"}, c, r.k.app1_pem))
    pub = r.k.priv["attacker"].public_key().public_numbers()
    jwk = {"kty": "RSA", "e": b64u(pub.e.to_bytes(3, "big")),
           "n": b64u(pub.n.to_bytes(256, "big"))}
    r.refuse("JT -X i inline JWK of the attacker",
             r.token({"alg": "RS512", "jwk": jwk}, c, key="attacker"))
    r.refuse("JT -I kid ../../dev/null with HS256 and an empty key",
             r.hs({"alg": "HS256", "kid": "../../dev/null"}, c, b""))
    head, payload, sig = good.split(".")
    tampered = b64u(jtext(r.claims(exp=r.now + 3000, jti="replaced")))
    r.refuse("JT -T tampered claim, original signature",
             head + "." + tampered + "." + sig)
    for label, changes in (("exp as string", {"exp": str(r.now + 60)}),
                           ("no exp", {"exp": None}),
                           ("nbf in the future", {"nbf": r.now + 3600}),
                           ("appId injection", {"appId": "app1' OR '1'='1"}),
                           ("appId as object", {"appId": {"$ne": ""}}),
                           ("exp huge", {"exp": 10 ** 30})):
        r.refuse("JT -M claim fuzz: " + label,
                 r.token({"alg": "RS512"}, r.claims(**changes)),
                 MALFORMED)


def fastcgi_rows(r):
    good = r.token({"alg": "RS512"}, r.claims())
    base = [("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/users"),
            ("HTTP_X_TOKEN", good)]
    r.check("BL-14 params split into 7-byte records", 200, params=base,
            chunk=7)
    big = "A" * (12 * 1024)
    r.check("BL-14 x-token of 12 KiB", {400},
            params=[("REQUEST_URI", "/users"), ("HTTP_X_TOKEN", big)])
    r.check("BL-14 a 260-byte header name beside a good token", 200,
            params=base + [("HTTP_" + "X" * 255, "v")])
    answer = fcgi_raw_params(
        r.sock, b"\xff\xff\xff\xff\xff\xff\xff\xff" + b"A" * 1000)
    r.n += 1
    if answer is None or b"Status: 200" not in answer:
        print("ok %d - BL-13 params with 0x7fffffff lengths: no grant"
              % r.n)
    else:
        r.failed += 1
        print("not ok %d - BL-13 params with 0x7fffffff lengths" % r.n)
    r.check("BL-13 the authorizer still serves after it", 200, good)


def der_len(n):
    if n < 128:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_int(v):
    body = v.to_bytes(v.bit_length() // 8 + 1, "big")
    return b"\x02" + der_len(len(body)) + body


def der_seq(*parts):
    body = b"".join(parts)
    return b"\x30" + der_len(len(body)) + body


def rsa_spki_pem(n, e):
    """A SubjectPublicKeyInfo written by hand, since no library will make
    a key with an exponent of 1 or an even one."""
    rsa_alg = bytes.fromhex("300d06092a864886f70d0101010500")
    key = der_seq(der_int(n), der_int(e))
    spki = der_seq(rsa_alg, b"\x03" + der_len(len(key) + 1) + b"\x00" + key)
    text = base64.encodebytes(spki).decode().replace("\n", "")
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return ("-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) +
            "\n-----END PUBLIC KEY-----\n")


def write_bad_exponent(path, e):
    from cryptography.hazmat.primitives.asymmetric import rsa
    n = rsa.generate_private_key(65537, 2048).public_key() \
        .public_numbers().n
    with open(path, "w") as f:
        f.write(rsa_spki_pem(n, e))
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "rsa-exponent":
        return write_bad_exponent(argv[3], int(argv[2]))
    if len(argv) != 3:
        sys.stderr.write("usage: authorizer_cases.py SOCKET CLIENTS_DIR\n")
        return 2
    r = Run(argv[1], Keys(argv[2]))
    for step in (accepted_algs, bl09, bl08_iss, bl15, bl18, bl22, bl23,
                 bl24, bl25, jwt_tool_modes, fastcgi_rows):
        step(r)
    print("1..%d" % r.n)
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
