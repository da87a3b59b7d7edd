#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Sign or verify a token with an independent Python JWT library, so the
# interoperability test can check xtoken against code it shares nothing
# with.
#
#   interop.py mint   LIB ALG APPID PRIVATE.pem    prints a token
#   interop.py verify LIB ALG PUBLIC.pem TOKEN     exit 0 if it verifies
#
# LIB is pyjwt (Debian's python3-jwt) or jwcrypto (python3-jwcrypto).
# Exit status 3: the library does not offer ALG.

import json
import sys
import time

LIFETIME = 300


def claims(app):
    now = int(time.time())
    return {"appId": app, "iat": now, "exp": now + LIFETIME}


def pyjwt_mint(alg, app, key_pem):
    import jwt
    return jwt.encode(claims(app), key_pem, algorithm=alg)


def pyjwt_verify(alg, pub_pem, token):
    import jwt
    got = jwt.decode(token, pub_pem, algorithms=[alg],
                     options={"require": ["exp"]})
    return got.get("appId")


def jwcrypto_mint(alg, app, key_pem):
    from jwcrypto import jwk, jwt
    key = jwk.JWK.from_pem(key_pem)
    token = jwt.JWT(header={"alg": alg, "typ": "JWT"},
                    claims=json.dumps(claims(app)))
    token.make_signed_token(key)
    return token.serialize()


def jwcrypto_verify(alg, pub_pem, token):
    from jwcrypto import jwk, jwt
    key = jwk.JWK.from_pem(pub_pem)
    got = jwt.JWT(jwt=token, key=key, algs=[alg], check_claims={"exp": None})
    return json.loads(got.claims).get("appId")


LIBS = {
    "pyjwt": (pyjwt_mint, pyjwt_verify),
    "jwcrypto": (jwcrypto_mint, jwcrypto_verify),
}


def main(argv):
    if len(argv) != 6 or argv[1] not in ("mint", "verify") or \
            argv[2] not in LIBS:
        sys.stderr.write(__doc__ if __doc__ else "usage: see the header\n")
        return 2
    verb, lib, alg = argv[1], argv[2], argv[3]
    with open(argv[5] if verb == "mint" else argv[4], "rb") as f:
        pem = f.read()
    mint, verify = LIBS[lib]
    try:
        if verb == "mint":
            print(mint(alg, argv[4], pem))
            return 0
        app = verify(alg, pem, argv[5])
    except NotImplementedError as e:
        sys.stderr.write("%s cannot do %s: %s\n" % (lib, alg, e))
        return 3
    except Exception as e:      # any failure to verify is a refusal
        sys.stderr.write("%s refused the token: %s\n" % (lib, e))
        return 1
    if not app:
        sys.stderr.write("%s verified a token without appId\n" % lib)
        return 1
    print(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
