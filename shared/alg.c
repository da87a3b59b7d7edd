/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * RSASSA-PKCS1-v1_5 (RS*) and RSASSA-PSS (PS*) verification with OpenSSL 3.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "alg.h"

enum alg_family {
	ALG_RSA_PKCS1,
	ALG_RSA_PSS,
};

struct alg {
	const char	*name;
	enum alg_family	 family;
	const char	*digest;
	int		 hash_len;
	int		 md_index;
};

enum { MD_SHA256, MD_SHA384, MD_SHA512, MD_COUNT };

static const struct alg alg_table[] = {
	{ "RS256", ALG_RSA_PKCS1, "SHA256", 32, MD_SHA256 },
	{ "RS384", ALG_RSA_PKCS1, "SHA384", 48, MD_SHA384 },
	{ "RS512", ALG_RSA_PKCS1, "SHA512", 64, MD_SHA512 },
	{ "PS256", ALG_RSA_PSS, "SHA256", 32, MD_SHA256 },
	{ "PS384", ALG_RSA_PSS, "SHA384", 48, MD_SHA384 },
	{ "PS512", ALG_RSA_PSS, "SHA512", 64, MD_SHA512 },
};

/* Digests are fetched once: a fetch per request would cost a lookup in
 * OpenSSL's provider tables on the hot path. */
static EVP_MD *alg_md[MD_COUNT];
static pthread_once_t alg_md_once = PTHREAD_ONCE_INIT;

static void
alg_fetch_digests(void)
{
	alg_md[MD_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
	alg_md[MD_SHA384] = EVP_MD_fetch(NULL, "SHA384", NULL);
	alg_md[MD_SHA512] = EVP_MD_fetch(NULL, "SHA512", NULL);
}

static const EVP_MD *
alg_digest(const struct alg *alg)
{
	pthread_once(&alg_md_once, alg_fetch_digests);
	return alg_md[alg->md_index];
}

const struct alg *
alg_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(alg_table) / sizeof(alg_table[0]); i++) {
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

const struct alg *
alg_default_for_key(EVP_PKEY *pkey, const struct alg *rsa_default)
{
	return EVP_PKEY_is_a(pkey, "RSA") ? rsa_default : NULL;
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

int
alg_check_key(const struct alg *alg, EVP_PKEY *pkey, char *err,
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

int
alg_verify(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, const unsigned char *sig, size_t siglen)
{
	const EVP_MD *md = alg_digest(alg);
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *ctx = NULL;
	int result = -1;

	/* A short or long signature never reaches OpenSSL. */
	if (siglen != (size_t)EVP_PKEY_get_size(pkey))
		return 0;
	if (md == NULL)
		goto out;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		goto out;
	if (EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pkey) != 1)
		goto out;
	if (alg->family == ALG_RSA_PSS && alg_set_pss(alg, pctx, md) != 0)
		goto out;

	result = EVP_DigestVerify(ctx, sig, siglen, msg, msglen) == 1;

out:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return result;
}

int
alg_sign(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, unsigned char **sig, size_t *siglen)
{
	const EVP_MD *md = alg_digest(alg);
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *ctx = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	int result = -1;

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || md == NULL)
		goto out;
	if (EVP_DigestSignInit(ctx, &pctx, md, NULL, pkey) != 1)
		goto out;
	if (alg->family == ALG_RSA_PSS && alg_set_pss(alg, pctx, md) != 0)
		goto out;
	if (EVP_DigestSign(ctx, NULL, &len, msg, msglen) != 1)
		goto out;
	buf = malloc(len);
	if (buf == NULL)
		goto out;
	if (EVP_DigestSign(ctx, buf, &len, msg, msglen) != 1)
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
