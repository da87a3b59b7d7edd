#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Cross-implementation, both ways, for every algorithm: tokens signed by
# PyJWT, jwcrypto, jsonwebtoken and jose are accepted by xtoken's verifier
# (through xtoken-verify, the authorizer's own check), and tokens from
# xtoken-mint verify in each of them.

. "$(dirname "$0")/lib.sh"

ALGS="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA"
PY_LIBS="pyjwt jwcrypto"
NODE_LIBS="jsonwebtoken jose"

require_common
require_cmd node nodejs
require_cmd npm npm
"$PYTHON" -c 'import jwcrypto' 2>/dev/null ||
    skip_all "jwcrypto is missing (Debian package python3-jwcrypto)"
xt_init interop
s=$XT_STATE

# The Node.js libraries, pinned by the committed lock file; installed once
# per build tree.
node_dir=$XTOKEN_BUILDDIR/tests/node
if ! cmp -s "$TOOLS/node/package-lock.json" \
    "$node_dir/package-lock.json" 2>/dev/null ||
    [ ! -d "$node_dir/node_modules/jose" ]; then
	mkdir -p "$node_dir" &&
	cp "$TOOLS/node/package.json" "$TOOLS/node/package-lock.json" \
	    "$node_dir/" &&
	npm ci --prefix "$node_dir" --no-audit --no-fund \
	    >"$s/npm.out" 2>&1 ||
	    bail_out "npm ci failed: $(tail -n 5 "$s/npm.out")"
fi
XTOKEN_NODE_MODULES=$node_dir/node_modules
export XTOKEN_NODE_MODULES

# One key pair per key type; an application per key.
mkdir -p "$s/keys" "$s/clients"
genkey()
{
	openssl genpkey "$@" -out "$s/clients/$app.key" 2>/dev/null &&
	openssl pkey -in "$s/clients/$app.key" -pubout \
	    -out "$s/keys/${app}_public.pem" 2>/dev/null ||
	    bail_out "cannot make the $app key"
}
app=rsa; genkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048
app=p256; genkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
app=p384; genkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384
app=p521; genkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521
app=ed25519; genkey -algorithm ed25519

# app_for ALG: the application whose key does ALG.
app_for()
{
	case $1 in
	RS*|PS*) echo rsa ;;
	ES256) echo p256 ;;
	ES384) echo p384 ;;
	ES512) echo p521 ;;
	EdDSA) echo ed25519 ;;
	esac
}

# lib_run LIB VERB ALG A B: the library's own tool.
lib_run()
{
	case $1 in
	pyjwt|jwcrypto) "$PYTHON" "$TOOLS/interop.py" "$2" "$1" "$3" "$4" "$5" ;;
	*) node "$TOOLS/interop.js" "$2" "$1" "$3" "$4" "$5" ;;
	esac
}

# RSA keys name no algorithm of their own: the setting binds them.
xt_verify()
{
	printf '%s\n' "$2" | "$XTOKEN_BUILDDIR/authorizer/xtoken-verify" \
	    --keys "$s/keys" --algorithm "$(case $1 in RS*|PS*) echo "$1";;
	    *) echo RS512;; esac)"
}

for alg in $ALGS; do
	app=$(app_for "$alg")
	for lib in $PY_LIBS $NODE_LIBS; do
		token=$(lib_run "$lib" mint "$alg" "$app" \
		    "$s/clients/$app.key" 2>"$s/mint.err")
		rc=$?
		if [ "$rc" -eq 3 ]; then
			tap_ok "$lib -> xtoken $alg # SKIP $lib has no $alg"
		elif [ "$rc" -ne 0 ]; then
			tap_not_ok "$lib -> xtoken $alg" "$lib could not sign:" \
			    "$(cat "$s/mint.err")"
		elif out=$(xt_verify "$alg" "$token") &&
		    printf '%s\n' "$out" | grep -q "^ACCEPTED (200): appId $app"; then
			tap_ok "$lib -> xtoken $alg"
		else
			tap_not_ok "$lib -> xtoken $alg" \
			    "$(printf '%s' "$out" | tr '\n' '|')"
		fi

		token=$("$XTOKEN_BUILDDIR/tools/xtoken-mint" --alg "$alg" \
		    --app "$app" --key "$s/clients/$app.key" 2>"$s/mint.err")
		if [ $? -ne 0 ]; then
			tap_not_ok "xtoken -> $lib $alg" "xtoken-mint failed:" \
			    "$(cat "$s/mint.err")"
			continue
		fi
		got=$(lib_run "$lib" verify "$alg" "$s/keys/${app}_public.pem" \
		    "$token" 2>"$s/verify.err")
		rc=$?
		if [ "$rc" -eq 3 ]; then
			tap_ok "xtoken -> $lib $alg # SKIP $lib has no $alg"
		elif [ "$rc" -eq 0 ] && [ "$got" = "$app" ]; then
			tap_ok "xtoken -> $lib $alg"
		else
			tap_not_ok "xtoken -> $lib $alg" "$(cat "$s/verify.err")"
		fi
	done
done

tap_done
