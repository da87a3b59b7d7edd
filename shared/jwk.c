/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * JWK to EVP_PKEY: only public members are read, and each is decoded with
 * the same strict base64url as tokens.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "b64url.h"
#include "jwk.h"
#include "strictjson.h"

/* Largest member decoded: a 16384-bit modulus. */
#define JWK_MAX_BYTES	2048

struct jwk_curve {
	const char	*crv;		/* JWK name */
	const char	*group;		/* OpenSSL group name */
	size_t		 size;		/* bytes of one coordinate */
};

static const struct jwk_curve jwk_curves[] = {
	{ "P-256", "prime256v1", 32 },
	{ "P-384", "secp384r1", 48 },
	{ "P-521", "secp521r1", 66 },
};

/* Decode a base64url string member into buf; returns its length or -1. */
static long
jwk_member_bytes(struct json_object *jwk, const char *name,
    unsigned char *buf, size_t cap)
{
	const char *s;
	size_t len, out;

	if (strictjson_get_string(jwk, name, &s, &len) != 1)
		return -1;
	if (b64url_decode(s, len, buf, cap, &out) != 0 || out == 0)
		return -1;
	return (long)out;
}

static int
jwk_refuse_private(struct json_object *jwk, char *err, size_t errlen)
{
	static const char *const secret[] = { "d", "p", "q", "dp", "dq",
	    "qi", "oth", "k" };
	size_t i;

	for (i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		if (json_object_object_get_ex(jwk, secret[i], NULL)) {
			snprintf(err, errlen, "holds private key material "
			    "(\"%s\"); publish only the public key",
			    secret[i]);
			return -1;
		}
	}
	return 0;
}

/* "use" and "key_ops" may narrow a key to other purposes than ours. */
static int
jwk_check_purpose(struct json_object *jwk, char *err, size_t errlen)
{
	struct json_object *ops, *op;
	const char *s;
	size_t len, i;
	int found;

	found = strictjson_get_string(jwk, "use", &s, &len);
	if (found < 0 ||
	    (found == 1 && !strictjson_string_is(s, len, "sig"))) {
		snprintf(err, errlen, "\"use\" is not \"sig\"");
		return -1;
	}
	if (!json_object_object_get_ex(jwk, "key_ops", &ops))
		return 0;
	if (!json_object_is_type(ops, json_type_array))
		goto bad_ops;
	for (i = 0; i < json_object_array_length(ops); i++) {
		op = json_object_array_get_idx(ops, i);
		if (json_object_is_type(op, json_type_string) &&
		    strcmp(json_object_get_string(op), "verify") == 0)
			return 0;
	}
bad_ops:
	snprintf(err, errlen, "\"key_ops\" does not allow \"verify\"");
	return -1;
}

static EVP_PKEY *
jwk_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (params == NULL)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *
jwk_rsa(struct json_object *jwk, char *err, size_t errlen)
{
	unsigned char n[JWK_MAX_BYTES], e[16];
	long nlen, elen;
	BIGNUM *bn_n = NULL, *bn_e = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	nlen = jwk_member_bytes(jwk, "n", n, sizeof(n));
	elen = jwk_member_bytes(jwk, "e", e, sizeof(e));
	if (nlen < 0 || elen < 0) {
		snprintf(err, errlen, "RSA key needs base64url \"n\" and "
		    "\"e\"");
		return NULL;
	}

	bn_n = BN_bin2bn(n, (int)nlen, NULL);
	bn_e = BN_bin2bn(e, (int)elen, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (bn_n != NULL && bn_e != NULL && bld != NULL &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		pkey = jwk_from_params("RSA", bld);

	OSSL_PARAM_BLD_free(bld);
	BN_free(bn_n);
	BN_free(bn_e);
	if (pkey == NULL)
		snprintf(err, errlen, "RSA key is not valid");
	return pkey;
}

static const struct jwk_curve *
jwk_curve(struct json_object *jwk)
{
	const char *s;
	size_t len, i;

	if (strictjson_get_string(jwk, "crv", &s, &len) != 1)
		return NULL;
	for (i = 0; i < sizeof(jwk_curves) / sizeof(jwk_curves[0]); i++) {
		if (strictjson_string_is(s, len, jwk_curves[i].crv))
			return &jwk_curves[i];
	}
	return NULL;
}

/* EC public key from x and y, each exactly the curve's size (RFC 7518
 * section 6.2.1.2): a short coordinate is a malformed key, not a
 * number to pad. */
static EVP_PKEY *
jwk_ec(struct json_object *jwk, char *err, size_t errlen)
{
	unsigned char point[1 + 2 * 66], coord[JWK_MAX_BYTES];
	const struct jwk_curve *curve = jwk_curve(jwk);
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;
	long len;

	if (curve == NULL) {
		snprintf(err, errlen, "EC key needs \"crv\" P-256, P-384 or "
		    "P-521");
		return NULL;
	}
	point[0] = 0x04;
	len = jwk_member_bytes(jwk, "x", coord, sizeof(coord));
	if (len != (long)curve->size)
		goto bad;
	memcpy(point + 1, coord, curve->size);
	len = jwk_member_bytes(jwk, "y", coord, sizeof(coord));
	if (len != (long)curve->size)
		goto bad;
	memcpy(point + 1 + curve->size, coord, curve->size);

	bld = OSSL_PARAM_BLD_new();
	if (bld != NULL && OSSL_PARAM_BLD_push_utf8_string(bld,
	    OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + 2 * curve->size))
		pkey = jwk_from_params("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	if (pkey != NULL)
		return pkey;

bad:
	snprintf(err, errlen, "EC key \"x\"/\"y\" are not a point of %s",
	    curve->crv);
	return NULL;
}

static EVP_PKEY *
jwk_okp(struct json_object *jwk, char *err, size_t errlen)
{
	unsigned char x[64];
	const char *crv;
	size_t crvlen;
	long len;
	EVP_PKEY *pkey = NULL;

	if (strictjson_get_string(jwk, "crv", &crv, &crvlen) != 1 ||
	    !strictjson_string_is(crv, crvlen, "Ed25519")) {
		snprintf(err, errlen, "OKP key needs \"crv\" Ed25519");
		return NULL;
	}
	len = jwk_member_bytes(jwk, "x", x, sizeof(x));
	if (len == 32)
		pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x,
		    32);
	if (pkey == NULL)
		snprintf(err, errlen, "Ed25519 key \"x\" is not 32 bytes");
	return pkey;
}

/* An optional string member, or -1 if it has another type. */
static int
jwk_optional_string(struct json_object *jwk, const char *name,
    const char **out)
{
	size_t len;
	int found;

	*out = NULL;
	found = strictjson_get_string(jwk, name, out, &len);
	if (found < 0 || (found == 1 && strlen(*out) != len))
		return -1;
	return 0;
}

int
jwk_to_key(struct json_object *jwk, struct jwk_key *out, char *err,
    size_t errlen)
{
	const char *kty;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (!json_object_is_type(jwk, json_type_object)) {
		snprintf(err, errlen, "a key is not a JSON object");
		return -1;
	}
	if (jwk_refuse_private(jwk, err, errlen) != 0 ||
	    jwk_check_purpose(jwk, err, errlen) != 0)
		return -1;
	if (jwk_optional_string(jwk, "kid", &out->kid) != 0 ||
	    jwk_optional_string(jwk, "alg", &out->alg) != 0) {
		snprintf(err, errlen, "\"kid\" and \"alg\" must be strings");
		return -1;
	}

	if (strictjson_get_string(jwk, "kty", &kty, &len) != 1) {
		snprintf(err, errlen, "\"kty\" missing");
		return -1;
	}
	if (strictjson_string_is(kty, len, "RSA"))
		out->pkey = jwk_rsa(jwk, err, errlen);
	else if (strictjson_string_is(kty, len, "EC"))
		out->pkey = jwk_ec(jwk, err, errlen);
	else if (strictjson_string_is(kty, len, "OKP"))
		out->pkey = jwk_okp(jwk, err, errlen);
	else
		snprintf(err, errlen, "\"kty\" must be RSA, EC or OKP "
		    "(symmetric keys are never accepted)");

	ERR_clear_error();
	return out->pkey != NULL ? 0 : -1;
}
