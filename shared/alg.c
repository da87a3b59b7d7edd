/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * RSASSA-PKCS1-v1_5 (RS*), RSASSA-PSS (PS*), ECDSA (ES*) and Ed25519
 * (EdDSA) verification with OpenSSL 3, with the JWS encodings checked
 * before OpenSSL sees a signature.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "alg.h"

/* Bytes of r and of s in an ES512 signature: the largest curve. */
#define ALG_EC_MAX_FIELD	66
/* Length of an Ed25519 signature (RFC 8032 section 5.1.6). */
#define ALG_ED25519_SIG_LEN	64

enum alg_family {
	ALG_RSA_PKCS1,
	ALG_RSA_PSS,
	ALG_ECDSA,
	ALG_EDDSA,
};

enum { MD_SHA256, MD_SHA384, MD_SHA512, MD_COUNT, MD_NONE = MD_COUNT };
enum { CURVE_P256, CURVE_P384, CURVE_P521, CURVE_COUNT, CURVE_NONE };

struct alg {
	const char	*name;
	enum alg_family	 family;
	int		 hash_len;	/* PS*: salt length */
	int		 md_index;
	int		 curve;		/* ES*: in alg_curves */
};

struct alg_curve {
	const char	*name;		/* as RFC 7518 names it */
	int		 nid;
	size_t		 field_len;	/* bytes of r, of s */
};

static const struct alg_curve alg_curves[CURVE_COUNT] = {
	{ "P-256", NID_X9_62_prime256v1, 32 },
	{ "P-384", NID_secp384r1, 48 },
	{ "P-521", NID_secp521r1, 66 },
};

static const struct alg alg_table[] = {
	{ "RS256", ALG_RSA_PKCS1, 32, MD_SHA256, CURVE_NONE },
	{ "RS384", ALG_RSA_PKCS1, 48, MD_SHA384, CURVE_NONE },
	{ "RS512", ALG_RSA_PKCS1, 64, MD_SHA512, CURVE_NONE },
	{ "PS256", ALG_RSA_PSS, 32, MD_SHA256, CURVE_NONE },
	{ "PS384", ALG_RSA_PSS, 48, MD_SHA384, CURVE_NONE },
	{ "PS512", ALG_RSA_PSS, 64, MD_SHA512, CURVE_NONE },
	{ "ES256", ALG_ECDSA, 32, MD_SHA256, CURVE_P256 },
	{ "ES384", ALG_ECDSA, 48, MD_SHA384, CURVE_P384 },
	{ "ES512", ALG_ECDSA, 64, MD_SHA512, CURVE_P521 },
	{ "EdDSA", ALG_EDDSA, 0, MD_NONE, CURVE_NONE },
};

#define ALG_COUNT	(sizeof(alg_table) / sizeof(alg_table[0]))

/*
 * Digests and group orders are looked up once: a fetch per request would
 * cost a walk of OpenSSL's provider tables on the hot path.  The orders
 * are kept as big-endian bytes of the field length, so a range check of
 * r or s is one memcmp.
 */
static EVP_MD *alg_md[MD_COUNT];
static unsigned char alg_order[CURVE_COUNT][ALG_EC_MAX_FIELD];
static int alg_order_ok[CURVE_COUNT];
static pthread_once_t alg_once = PTHREAD_ONCE_INIT;

static void
alg_load_order(int curve)
{
	const struct alg_curve *c = &alg_curves[curve];
	EC_GROUP *group = EC_GROUP_new_by_curve_name(c->nid);

	if (group == NULL)
		return;
	alg_order_ok[curve] = BN_bn2binpad(EC_GROUP_get0_order(group),
	    alg_order[curve], (int)c->field_len) == (int)c->field_len;
	EC_GROUP_free(group);
}

static void
alg_init(void)
{
	int i;

	alg_md[MD_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
	alg_md[MD_SHA384] = EVP_MD_fetch(NULL, "SHA384", NULL);
	alg_md[MD_SHA512] = EVP_MD_fetch(NULL, "SHA512", NULL);
	for (i = 0; i < CURVE_COUNT; i++)
		alg_load_order(i);
	ERR_clear_error();
}

/*
 * The digest of alg in *md (NULL for EdDSA, which hashes internally).
 * Returns 0, or -1 if the digest is needed but could not be fetched.
 */
static int
alg_digest(const struct alg *alg, const EVP_MD **md)
{
	pthread_once(&alg_once, alg_init);
	*md = NULL;
	if (alg->md_index == MD_NONE)
		return 0;
	*md = alg_md[alg->md_index];
	return *md != NULL ? 0 : -1;
}

const struct alg *
alg_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ALG_COUNT; i++) {
		if (strlen(alg_table[i].name) == len &&
		    memcmp(alg_table[i].name, name, len) == 0)
			return &alg_table[i];
	}
	return NULL;
}

const char *
alg_name(const struct alg *alg)
{
	return alg->name;
}

static int
alg_is_rsa(const struct alg *alg)
{
	return alg->family == ALG_RSA_PKCS1 || alg->family == ALG_RSA_PSS;
}

/* The ES* algorithm of a curve. */
static const struct alg *
alg_for_curve(int curve)
{
	size_t i;

	for (i = 0; i < ALG_COUNT; i++) {
		if (alg_table[i].family == ALG_ECDSA &&
		    alg_table[i].curve == curve)
			return &alg_table[i];
	}
	return NULL;
}

/*
 * Index in alg_curves of the named curve of an EC key, or CURVE_NONE.
 * A key with explicit curve parameters has no group name, or one OpenSSL
 * matched from the parameters; both are refused, since a key must not
 * be able to bring its own curve (RFC 8725 section 3.4).
 */
static int
alg_key_curve(EVP_PKEY *pkey)
{
	char group[80], encoding[32];
	int i, nid;

	if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_ENCODING,
	    encoding, sizeof(encoding), NULL) != 1 ||
	    strcmp(encoding, OSSL_PKEY_EC_ENCODING_GROUP) != 0)
		return CURVE_NONE;
	if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) != 1)
		return CURVE_NONE;

	nid = OBJ_txt2nid(group);
	if (nid == NID_undef)
		nid = EC_curve_nist2nid(group);
	for (i = 0; i < CURVE_COUNT; i++) {
		if (alg_curves[i].nid == nid)
			return i;
	}
	return CURVE_NONE;
}

const struct alg *
alg_default_for_key(EVP_PKEY *pkey, const struct alg *rsa_default)
{
	const struct alg *alg = NULL;
	int curve;

	if (EVP_PKEY_is_a(pkey, "RSA")) {
		if (rsa_default != NULL && alg_is_rsa(rsa_default))
			alg = rsa_default;
	} else if (EVP_PKEY_is_a(pkey, "EC")) {
		curve = alg_key_curve(pkey);
		if (curve != CURVE_NONE)
			alg = alg_for_curve(curve);
	} else if (EVP_PKEY_is_a(pkey, "ED25519")) {
		alg = alg_find("EdDSA", 5);
	}

	ERR_clear_error();
	return alg;
}

/* A public exponent of 1 makes every "signature" its own message, and an
 * even one is no RSA key at all. */
static int
alg_check_rsa_exponent(EVP_PKEY *pkey, char *err, size_t errlen)
{
	BIGNUM *e = NULL;
	int ok;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
		snprintf(err, errlen, "cannot read the RSA public exponent");
		return -1;
	}
	ok = BN_is_odd(e) && !BN_is_one(e);
	BN_free(e);
	if (!ok) {
		snprintf(err, errlen, "RSA public exponent is 1 or even");
		return -1;
	}
	return 0;
}

static int
alg_check_rsa(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen)
{
	int bits;

	if (!EVP_PKEY_is_a(pkey, "RSA")) {
		snprintf(err, errlen, "%s needs an RSA key, this is %s",
		    alg->name, EVP_PKEY_get0_type_name(pkey));
		return -1;
	}

	bits = EVP_PKEY_get_bits(pkey);
	if (bits < ALG_RSA_MIN_BITS || bits > ALG_RSA_MAX_BITS) {
		snprintf(err, errlen, "RSA key of %d bits; %s needs %d to %d",
		    bits, alg->name, ALG_RSA_MIN_BITS, ALG_RSA_MAX_BITS);
		return -1;
	}

	return alg_check_rsa_exponent(pkey, err, errlen);
}

/* The point must lie on the curve and not be the point at infinity: a
 * point off the curve turns ECDSA arithmetic into an invalid-curve
 * attack surface. */
static int
alg_check_ec_point(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen)
{
	EVP_PKEY_CTX *ctx;
	int ok;

	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (ctx == NULL) {
		snprintf(err, errlen, "out of memory checking an EC key");
		return -1;
	}
	ok = EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	if (!ok) {
		snprintf(err, errlen, "EC public key for %s is not a valid "
		    "point of %s", alg->name, alg_curves[alg->curve].name);
		return -1;
	}
	return 0;
}

/* Each ES* algorithm names one curve (RFC 7518 section 3.4): ES512 with
 * a P-256 key is a different, weaker algorithm. */
static int
alg_check_ec(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen)
{
	const char *want = alg_curves[alg->curve].name;
	int curve;

	if (!EVP_PKEY_is_a(pkey, "EC")) {
		snprintf(err, errlen, "%s needs an EC key on %s, this is %s",
		    alg->name, want, EVP_PKEY_get0_type_name(pkey));
		return -1;
	}

	curve = alg_key_curve(pkey);
	if (curve != alg->curve) {
		snprintf(err, errlen, "%s needs an EC key on the named curve "
		    "%s, this key is on %s", alg->name, want,
		    curve == CURVE_NONE ? "another or an explicit curve" :
		    alg_curves[curve].name);
		return -1;
	}

	return alg_check_ec_point(alg, pkey, err, errlen);
}

/* EdDSA means Ed25519 here; Ed448 is not offered. */
static int
alg_check_eddsa(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen)
{
	if (!EVP_PKEY_is_a(pkey, "ED25519")) {
		snprintf(err, errlen, "%s needs an Ed25519 key, this is %s",
		    alg->name, EVP_PKEY_get0_type_name(pkey));
		return -1;
	}
	return 0;
}

int
alg_check_key(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen)
{
	int result;

	switch (alg->family) {
	case ALG_RSA_PKCS1:
	case ALG_RSA_PSS:
		result = alg_check_rsa(alg, pkey, err, errlen);
		break;
	case ALG_ECDSA:
		result = alg_check_ec(alg, pkey, err, errlen);
		break;
	default:
		result = alg_check_eddsa(alg, pkey, err, errlen);
		break;
	}

	ERR_clear_error();
	return result;
}

/* PS*: pin the salt length and the MGF1 digest to the JWS values
 * (RFC 7518 section 3.5); OpenSSL would otherwise recover any salt. */
static int
alg_set_pss(const struct alg *alg, EVP_PKEY_CTX *pctx, const EVP_MD *md)
{
	if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0)
		return -1;
	if (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, alg->hash_len) <= 0)
		return -1;
	if (EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) <= 0)
		return -1;
	return 0;
}

/* Bring ctx into the state to sign or verify with alg and pkey. */
static int
alg_ctx_init(const struct alg *alg, EVP_MD_CTX *ctx, EVP_PKEY *pkey,
    int sign)
{
	EVP_PKEY_CTX *pctx = NULL;
	const EVP_MD *md;
	int ok;

	if (alg_digest(alg, &md) != 0)
		return -1;

	if (sign)
		ok = EVP_DigestSignInit(ctx, &pctx, md, NULL, pkey);
	else
		ok = EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pkey);
	if (ok != 1)
		return -1;

	if (alg->family == ALG_RSA_PSS && alg_set_pss(alg, pctx, md) != 0)
		return -1;
	return 0;
}

/* 1 if the field_len big-endian bytes of x are in [1, n-1]. */
static int
alg_ec_in_range(const unsigned char *x, size_t field_len,
    const unsigned char *order)
{
	static const unsigned char zero[ALG_EC_MAX_FIELD];

	if (memcmp(x, zero, field_len) == 0)
		return 0;
	return memcmp(x, order, field_len) < 0;
}

/*
 * Turn a JWS ECDSA signature (r || s, each exactly the curve's field
 * length, RFC 7518 section 3.4) into the DER form OpenSSL verifies.
 * Any other length is refused, so a DER signature never passes as raw,
 * and r or s of 0 or >= n is refused here, so no encoding trick such as
 * r = s = 0 (CVE-2022-21449) reaches the arithmetic.  Returns 1 with a
 * DER signature in *der (free with OPENSSL_free), 0 if the signature is
 * refused, -1 on an internal failure.
 */
static int
alg_ecdsa_to_der(const struct alg *alg, const unsigned char *sig,
    size_t siglen, unsigned char **der, int *derlen)
{
	size_t n = alg_curves[alg->curve].field_len;
	BIGNUM *r = NULL, *s = NULL;
	ECDSA_SIG *esig = NULL;
	int result = -1;

	if (siglen != 2 * n)
		return 0;
	pthread_once(&alg_once, alg_init);
	if (!alg_order_ok[alg->curve])
		return -1;
	if (!alg_ec_in_range(sig, n, alg_order[alg->curve]) ||
	    !alg_ec_in_range(sig + n, n, alg_order[alg->curve]))
		return 0;

	r = BN_bin2bn(sig, (int)n, NULL);
	s = BN_bin2bn(sig + n, (int)n, NULL);
	esig = ECDSA_SIG_new();
	if (r == NULL || s == NULL || esig == NULL)
		goto out;
	if (ECDSA_SIG_set0(esig, r, s) != 1)
		goto out;
	r = s = NULL;	/* esig owns them now */

	*der = NULL;
	*derlen = i2d_ECDSA_SIG(esig, der);
	if (*derlen > 0)
		result = 1;

out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(esig);
	return result;
}

/* Refuse a signature whose length cannot be right for alg and pkey. */
static int
alg_length_ok(const struct alg *alg, EVP_PKEY *pkey, size_t siglen)
{
	switch (alg->family) {
	case ALG_RSA_PKCS1:
	case ALG_RSA_PSS:
		/* Exactly the modulus length (RFC 8017 section 8.2.2). */
		return siglen == (size_t)EVP_PKEY_get_size(pkey);
	case ALG_ECDSA:
		return siglen == 2 * alg_curves[alg->curve].field_len;
	default:
		return siglen == ALG_ED25519_SIG_LEN;
	}
}

int
alg_verify(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, const unsigned char *sig, size_t siglen)
{
	unsigned char *der = NULL;
	EVP_MD_CTX *ctx = NULL;
	int derlen = 0, converted, result = -1;

	/* A signature of the wrong length never reaches OpenSSL. */
	if (!alg_length_ok(alg, pkey, siglen))
		return 0;

	if (alg->family == ALG_ECDSA) {
		converted = alg_ecdsa_to_der(alg, sig, siglen, &der, &derlen);
		if (converted != 1) {
			result = converted;
			goto out;
		}
		sig = der;
		siglen = (size_t)derlen;
	}

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || alg_ctx_init(alg, ctx, pkey, 0) != 0)
		goto out;

	/* One-shot: Ed25519 cannot be fed in pieces, the others may. */
	result = EVP_DigestVerify(ctx, sig, siglen, msg, msglen) == 1;

out:
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return result;
}

/* Rewrite OpenSSL's DER ECDSA signature in *sig as JWS r || s. */
static int
alg_ecdsa_to_raw(const struct alg *alg, unsigned char **sig, size_t *siglen)
{
	size_t n = alg_curves[alg->curve].field_len;
	const unsigned char *p = *sig;
	const BIGNUM *r, *s;
	ECDSA_SIG *esig;
	unsigned char *raw = NULL;
	int result = -1;

	esig = d2i_ECDSA_SIG(NULL, &p, (long)*siglen);
	if (esig == NULL)
		return -1;
	raw = malloc(2 * n);
	if (raw == NULL)
		goto out;

	/* Left-padded halves: a leading zero byte is part of the format. */
	ECDSA_SIG_get0(esig, &r, &s);
	if (BN_bn2binpad(r, raw, (int)n) != (int)n ||
	    BN_bn2binpad(s, raw + n, (int)n) != (int)n)
		goto out;

	free(*sig);
	*sig = raw;
	*siglen = 2 * n;
	raw = NULL;
	result = 0;

out:
	free(raw);
	ECDSA_SIG_free(esig);
	return result;
}

int
alg_sign(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, unsigned char **sig, size_t *siglen)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	int result = -1;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || alg_ctx_init(alg, ctx, pkey, 1) != 0)
		goto out;
	if (EVP_DigestSign(ctx, NULL, &len, msg, msglen) != 1)
		goto out;
	buf = malloc(len);
	if (buf == NULL)
		goto out;
	if (EVP_DigestSign(ctx, buf, &len, msg, msglen) != 1)
		goto out;

	if (alg->family == ALG_ECDSA && alg_ecdsa_to_raw(alg, &buf, &len) != 0)
		goto out;

	*sig = buf;
	*siglen = len;
	buf = NULL;
	result = 0;

out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return result;
}

/*
 * Prepared verification.  An OpenSSL context serves one thread at a time,
 * so each key keeps a pool of idle ones: a request takes one, verifies and
 * gives it back.  The pool grows to the number of requests that ever ran
 * on the key at once, up to ALG_POOL_MAX; past that a request makes its
 * own context and frees it.
 */
#define ALG_POOL_MAX	16

struct alg_slot {
	EVP_PKEY_CTX	*pctx;	/* verify-ready: padding, digest set */
	EVP_MD_CTX	*mctx;	/* hashes the message */
};

struct alg_prepared {
	const struct alg	*alg;
	EVP_PKEY		*pkey;
	pthread_mutex_t		 lock;
	struct alg_slot		 idle[ALG_POOL_MAX];
	int			 nidle;
};

struct alg_prepared *
alg_prepare(const struct alg *alg, EVP_PKEY *pkey)
{
	struct alg_prepared *prep;

	prep = calloc(1, sizeof(*prep));
	if (prep == NULL)
		return NULL;
	if (pthread_mutex_init(&prep->lock, NULL) != 0) {
		free(prep);
		return NULL;
	}
	prep->alg = alg;
	prep->pkey = pkey;
	return prep;
}

static void
alg_slot_free(struct alg_slot *slot)
{
	EVP_PKEY_CTX_free(slot->pctx);
	EVP_MD_CTX_free(slot->mctx);
	slot->pctx = NULL;
	slot->mctx = NULL;
}

void
alg_prepared_free(struct alg_prepared *prep)
{
	if (prep == NULL)
		return;
	while (prep->nidle > 0)
		alg_slot_free(&prep->idle[--prep->nidle]);
	pthread_mutex_destroy(&prep->lock);
	free(prep);
}

/*
 * A context bound to the key with the settings EVP_DigestVerifyInit
 * would apply (the digest, and for PS* the pinned PSS parameters), so
 * verifying a digest with it checks exactly what alg_verify checks.
 */
static int
alg_slot_new(const struct alg_prepared *prep, struct alg_slot *slot)
{
	const EVP_MD *md;
	int result = -1;

	slot->mctx = EVP_MD_CTX_new();
	slot->pctx = EVP_PKEY_CTX_new_from_pkey(NULL, prep->pkey, NULL);
	if (slot->mctx == NULL || slot->pctx == NULL)
		goto out;
	if (alg_digest(prep->alg, &md) != 0 || md == NULL)
		goto out;

	if (EVP_PKEY_verify_init(slot->pctx) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(slot->pctx, md) <= 0)
		goto out;
	if (prep->alg->family == ALG_RSA_PSS &&
	    alg_set_pss(prep->alg, slot->pctx, md) != 0)
		goto out;
	result = 0;

out:
	if (result != 0)
		alg_slot_free(slot);
	return result;
}

static int
alg_take(struct alg_prepared *prep, struct alg_slot *slot)
{
	pthread_mutex_lock(&prep->lock);
	if (prep->nidle > 0) {
		*slot = prep->idle[--prep->nidle];
		pthread_mutex_unlock(&prep->lock);
		return 0;
	}
	pthread_mutex_unlock(&prep->lock);
	return alg_slot_new(prep, slot);
}

/* A context may verify again with the same settings (EVP_PKEY_verify(3)),
 * whatever the outcome of the last verification. */
static void
alg_give(struct alg_prepared *prep, struct alg_slot *slot)
{
	pthread_mutex_lock(&prep->lock);
	if (prep->nidle < ALG_POOL_MAX) {
		prep->idle[prep->nidle++] = *slot;
		slot->pctx = NULL;
		slot->mctx = NULL;
	}
	pthread_mutex_unlock(&prep->lock);
	alg_slot_free(slot);
}

/* 1 if sig verifies over the digest of msg, 0 if not, -1 on failure. */
static int
alg_slot_verify(const struct alg *alg, struct alg_slot *slot,
    const void *msg, size_t msglen, const unsigned char *sig, size_t siglen)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	const EVP_MD *md;

	if (alg_digest(alg, &md) != 0 ||
	    EVP_DigestInit_ex2(slot->mctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(slot->mctx, msg, msglen) != 1 ||
	    EVP_DigestFinal_ex(slot->mctx, digest, &dlen) != 1)
		return -1;
	return EVP_PKEY_verify(slot->pctx, sig, siglen, digest, dlen) == 1;
}

int
alg_verify_prepared(struct alg_prepared *prep, const void *msg,
    size_t msglen, const unsigned char *sig, size_t siglen)
{
	const struct alg *alg = prep->alg;
	struct alg_slot slot = { NULL, NULL };
	unsigned char *der = NULL;
	int derlen = 0, result = -1;

	/* Ed25519 signs the message itself, not a digest: nothing to
	 * prepare beyond what alg_verify does. */
	if (alg->family == ALG_EDDSA)
		return alg_verify(alg, prep->pkey, msg, msglen, sig, siglen);

	/* The same form checks as alg_verify, before OpenSSL sees it. */
	if (!alg_length_ok(alg, prep->pkey, siglen))
		return 0;
	if (alg->family == ALG_ECDSA) {
		result = alg_ecdsa_to_der(alg, sig, siglen, &der, &derlen);
		if (result != 1)
			goto out;
		sig = der;
		siglen = (size_t)derlen;
		result = -1;
	}

	if (alg_take(prep, &slot) != 0)
		goto out;
	result = alg_slot_verify(alg, &slot, msg, msglen, sig, siglen);
	alg_give(prep, &slot);

out:
	OPENSSL_free(der);
	/* Peeking is cheap; clearing walks the whole queue every time. */
	if (ERR_peek_error() != 0)
		ERR_clear_error();
	return result;
}
