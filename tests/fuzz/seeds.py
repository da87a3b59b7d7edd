#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the seed corpus of each fuzz harness into DIR/<harness>/.

The seeds are made here, at fuzz time, in the shapes of the failure
cases the authorizer must refuse: a well-formed token, alg none, HMAC,
deep nesting, invalid UTF-8, duplicate members, crit, extra segments,
odd claim types.  Nothing is copied from the public vector files.
"""

import base64
import json
import os
import sys

NOW = 1800000000        # the harnesses' clock


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header, claims, sig=b"\x01" * 256):
    return "%s.%s.%s" % (b64(header), b64(claims), b64(sig))


def claims(app="app1", **extra):
    c = {"appId": app, "iat": NOW, "exp": NOW + 300}
    c.update(extra)
    return json.dumps(c, separators=(",", ":"))


def header(alg="RS512", **extra):
    h = {"alg": alg, "typ": "JWT"}
    h.update(extra)
    return json.dumps(h, separators=(",", ":"))


def json_texts():
    """JSON objects, valid and not, for headers, claims and the parser."""
    deep = '{"a":' * 20 + "1" + "}" * 20
    return [
        header(), claims(), claims(aud=["x", "api.test"], iss="app1"),
        deep, "[" * 40 + "]" * 40, '{"x":' + "[" * 33 + "]" * 33 + "}",
        '{"a":1,"a":2}', '{"alg":"RS512"}x', '\ufeff{"a":1}',
        b'{"a":"\xc3\x28"}', b'{"a":"\xc0\xaf"}', b'{"a":"\xed\xa0\x80"}',
        b'{"a":"\xff"}', '{"a":"\\ud800"}', '{"a":"\\u0000b"}',
        '{"exp":1e400}', '{"exp":9223372036854775808}', '{"exp":-0.5}',
        '{"a":NaN}', "{'a':1}", '{"a":1,}', '{"a":1 /* c */}', "{}",
        '{"a":tru}', '"str"', "null", "42", '{"a":"\\x41"}', " { } ",
    ]


def tokjson_texts():
    """Texts for the reader's harness: picked members in every shape."""
    return json_texts() + [
        claims(aud=["a", 1]), claims(aud=[]), claims(aud=[["x"], {"a": 1}]),
        claims(exp=NOW + 0.5, nbf=1.8e9, iat=-0.0),
        '{"app\\u0049d":"a\\/b","exp":1E+9,"kid":"\\ud83d\\ude00"}',
        '{"exp":-0,"iat":253402300799.000001,"nbf":1e-400}',
        '{"a":1,"\\u0061":2}', '{"x":{"y":[1,{"z":[]}]}}',
        '{"jti":"' + "j" * 300 + '","typ":"JWT"}',
    ]


def raw_tokens():
    """Whole tokens as an attacker sends them (raw mode)."""
    good = token(header(), claims())
    h, p, s = good.split(".")
    return [
        good,
        token(header("ES256"), claims("app2"), b"\x02" * 64),
        token(header("EdDSA", kid="k1"), claims("app3"), b"\x03" * 64),
        token(header("none"), claims(), b""),
        token(header("HS256"), claims(), b"\x04" * 32),
        token(header("ES256"), claims("app2"), b"\x00" * 64),
        token(header("ES256"), claims("app2"), b"\x30\x06\x02\x01\x00"
              b"\x02\x01\x00"),
        token(header(crit=["exp"]), claims()),
        token(header(jku="http://127.0.0.1/k", kid="../../x"), claims()),
        token(header(enc="A256GCM"), claims()),
        token("{" * 20 + "}" * 20, claims()),
        token(header(), b'{"appId":"\xc3\x28"}'),
        token(header(), claims(exp="9999999999")),
        token(header(), claims(exp=1e300)),
        token(header(), claims(app="../app1")),
        h + "." + p, h + "." + p + "." + s + ".x", "." + p + "." + s,
        h + ".." + s, h + "." + p + "." + s + "==", "." * 10000,
        good.replace("-", "+"), "A" * 9000, "",
    ]


def signed_inputs():
    """header \\n claims pairs for the harness to sign (signed mode)."""
    out = []
    for key, alg, app, kid in ((0, "RS512", "app1", None),
                               (1, "ES256", "app2", None),
                               (2, "EdDSA", "app3", "k1")):
        extra = {"kid": kid} if kid else {}
        for c in (claims(app), claims(app, aud="api.test", iss=app,
                                      sub=app),
                  claims(app, exp=NOW - 100), claims(app, nbf=NOW + 600),
                  claims(app, exp=NOW + 10 ** 9), claims(app, exp="x"),
                  claims(app, exp=NOW + 300.5), claims("other")):
            out.append((key, header(alg, **extra) + "\n" + c))
        out.append((key, header("RS256") + "\n" + claims(app)))
    return out


def write(dirname, name, data):
    os.makedirs(dirname, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(dirname, name), "wb") as f:
        f.write(data)


def main(top):
    def enc(x):
        return x if isinstance(x, bytes) else x.encode()

    for i, t in enumerate(raw_tokens()):
        write(top + "/verifier", "raw-%02d" % i, b"\x00" + enc(t))
        write(top + "/verifier", "raw-strict-%02d" % i, b"\x01" + enc(t))
    for i, (key, text) in enumerate(signed_inputs()):
        mode = 0x80 | (key << 1)
        write(top + "/verifier", "signed-%02d" % i, bytes([mode]) +
              enc(text))
        write(top + "/verifier", "signed-strict-%02d" % i,
              bytes([mode | 1]) + enc(text))

    for i, t in enumerate(json_texts()):
        write(top + "/strictjson", "json-%02d" % i, enc(t))

    for i, t in enumerate(tokjson_texts()):
        write(top + "/tokjson", "json-%02d" % i, enc(t))

    for i, t in enumerate([b64(b""), b64(b"f"), b64(b"fo"), b64(b"foo"),
                           b64(bytes(range(256))), "Zg==", "Zh", "Z",
                           "ab+/", "a b", "AAAA" * 100, "-_-_"]):
        write(top + "/b64url", "b64-%02d" % i, t)

    good = token(header(), claims())
    for i, (flags, x, auth) in enumerate([
            (0, good, "Bearer " + good), (0, good, ""), (0, "", "Bearer x"),
            (0, "a", "Bearer b"), (0, "", "bearer   x"), (0, "", "Bearer"),
            (0, "", "Basic Zm9vOmJhcg=="), (1, "", "Bearer " + good),
            (2, good, ""), (3, "", ""), (0, "", "BEARER\tx")]):
        write(top + "/authz", "authz-%02d" % i, bytes([flags]) + enc(x) +
              b"\x00" + enc(auth))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: seeds.py DIR")
    main(sys.argv[1])
