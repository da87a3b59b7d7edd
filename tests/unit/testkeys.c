/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Keys and tokens made on the spot, so no private key is ever committed.
 */
#include "autoconf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "alg.h"
#include "b64url.h"
#include "jws.h"
#include "testkeys.h"

static void
die(const char *what)
{
	fprintf(stderr, "Bail out! %s\n", what);
	exit(99);
}

EVP_PKEY *
testkeys_rsa(int bits)
{
	EVP_PKEY *pkey = EVP_RSA_gen((unsigned)bits);

	if (pkey == NULL)
		die("cannot generate an RSA key");
	return pkey;
}

EVP_PKEY *
testkeys_ec(void)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");

	if (pkey == NULL)
		die("cannot generate an EC key");
	return pkey;
}

char *
testkeys_mkdir(void)
{
	char *dir = strdup("/tmp/xtoken-unit.XXXXXX");

	if (dir == NULL || mkdtemp(dir) == NULL)
		die("cannot make a temporary directory");
	return dir;
}

void
testkeys_rmdir(const char *dir)
{
	char path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static FILE *
testkeys_create(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	if (fp == NULL)
		die("cannot write a test file");
	return fp;
}

void
testkeys_write_public(const char *dir, const char *name, EVP_PKEY *pkey)
{
	FILE *fp = testkeys_create(dir, name);

	if (PEM_write_PUBKEY(fp, pkey) != 1)
		die("cannot write a public key");
	fclose(fp);
}

void
testkeys_write_private(const char *dir, const char *name, EVP_PKEY *pkey)
{
	FILE *fp = testkeys_create(dir, name);

	if (PEM_write_PrivateKey(fp, pkey, NULL, NULL, 0, NULL, NULL) != 1)
		die("cannot write a private key");
	fclose(fp);
}

void
testkeys_write_file(const char *dir, const char *name, const char *text)
{
	FILE *fp = testkeys_create(dir, name);

	fputs(text, fp);
	fclose(fp);
}

char *
testkeys_public_pem(EVP_PKEY *pkey)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *copy;
	long len;

	if (bio == NULL || PEM_write_bio_PUBKEY(bio, pkey) != 1)
		die("cannot encode a public key");
	len = BIO_get_mem_data(bio, &data);
	copy = strndup(data, (size_t)len);
	BIO_free(bio);
	return copy;
}

char *
testkeys_b64(const void *data, size_t len)
{
	size_t cap = B64URL_ENCODED_LEN(len) + 1;
	char *out = malloc(cap);

	if (out == NULL)
		die("out of memory");
	b64url_encode(data, len, out, cap);
	return out;
}

char *
testkeys_token(EVP_PKEY *key, const char *header, const char *payload)
{
	char *token = jws_sign(alg_find("RS512", 5), key, header, payload);

	if (token == NULL)
		die("cannot sign a token");
	return token;
}

char *
testkeys_token_sig(const char *header, const char *payload,
    const unsigned char *sig, size_t siglen)
{
	char *h = testkeys_b64(header, strlen(header));
	char *p = testkeys_b64(payload, strlen(payload));
	char *s = testkeys_b64(sig, siglen);
	size_t cap = strlen(h) + strlen(p) + strlen(s) + 3;
	char *token = malloc(cap);

	if (token == NULL)
		die("out of memory");
	snprintf(token, cap, "%s.%s.%s", h, p, s);
	free(h);
	free(p);
	free(s);
	return token;
}

char *
testkeys_token_hs512(const char *header, const char *payload,
    const void *secret, size_t secretlen)
{
	char *h = testkeys_b64(header, strlen(header));
	char *p = testkeys_b64(payload, strlen(payload));
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	char input[8192], *token;

	snprintf(input, sizeof(input), "%s.%s", h, p);
	if (HMAC(EVP_sha512(), secret, (int)secretlen,
	    (const unsigned char *)input, strlen(input), mac, &maclen) == NULL)
		die("HMAC failed");
	token = testkeys_token_sig(header, payload, mac, maclen);
	free(h);
	free(p);
	return token;
}

/* base64url of a big number's unsigned big-endian bytes. */
static char *
testkeys_b64_bn(EVP_PKEY *pkey, const char *param)
{
	unsigned char buf[2048];
	BIGNUM *bn = NULL;
	int len;
	char *out;

	if (EVP_PKEY_get_bn_param(pkey, param, &bn) != 1)
		die("cannot read an RSA parameter");
	len = BN_bn2bin(bn, buf);
	BN_free(bn);
	out = testkeys_b64(buf, (size_t)len);
	return out;
}

char *
testkeys_jwk_rsa(EVP_PKEY *pkey, const char *kid, const char *alg,
    const char *extra)
{
	char *n = testkeys_b64_bn(pkey, OSSL_PKEY_PARAM_RSA_N);
	char *e = testkeys_b64_bn(pkey, OSSL_PKEY_PARAM_RSA_E);
	char *out = malloc(4096);

	if (out == NULL)
		die("out of memory");
	snprintf(out, 4096, "{\"kty\":\"RSA\",\"n\":\"%s\",\"e\":\"%s\""
	    "%s%s%s%s%s%s%s}", n, e,
	    kid ? ",\"kid\":\"" : "", kid ? kid : "", kid ? "\"" : "",
	    alg ? ",\"alg\":\"" : "", alg ? alg : "", alg ? "\"" : "",
	    extra);
	free(n);
	free(e);
	return out;
}

char *
testkeys_token_alg(EVP_PKEY *key, const char *alg, const char *header,
    const char *payload)
{
	char *token = jws_sign(alg_find(alg, strlen(alg)), key, header,
	    payload);

	if (token == NULL)
		die("cannot sign a token");
	return token;
}
