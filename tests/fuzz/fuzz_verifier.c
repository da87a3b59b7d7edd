/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * libFuzzer harness for the whole token check.  The first input byte
 * picks a mode: raw (the rest is the token, as an attacker sends it), or
 * signed (the rest is header JSON, a newline, claims JSON; the harness
 * signs them with one of its own keys, so the fuzzer also reaches every
 * check made after the signature).  Keys are made at start in a
 * temporary directory that is removed at exit.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "alg.h"
#include "config.h"
#include "jws.h"
#include "verifier.h"

#define FUZZ_NOW	INT64_C(1800000000)
#define FUZZ_MAX_PART	4096

/* The signing keys and the app each one is registered for. */
struct fuzz_key {
	const char	*file;
	const char	*app;
	const char	*alg;
	EVP_PKEY	*pkey;
};

static struct fuzz_key fuzz_keys[] = {
	{ "app1_public.pem", "app1", "RS512", NULL },
	{ "app2_public.pem", "app2", "ES256", NULL },
	{ "app3@k1_public.pem", "app3", "EdDSA", NULL },
};

#define FUZZ_NKEYS	(sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))

/* [0]: default settings; [1]: every claim check turned on. */
static struct verifier *fuzz_v[2];
static struct config fuzz_cfg[2];
static char fuzz_dir[] = "/tmp/xtoken-fuzz.XXXXXX";

static void
fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz_verifier: %s\n", what);
	abort();
}

static void
fuzz_cleanup(void)
{
	char path[512];
	size_t i;

	for (i = 0; i < FUZZ_NKEYS; i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_dir,
		    fuzz_keys[i].file);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

static void
fuzz_write_key(const struct fuzz_key *k)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir, k->file);
	fp = fopen(path, "w");
	if (fp == NULL || PEM_write_PUBKEY(fp, k->pkey) != 1)
		fuzz_die("cannot write a public key");
	fclose(fp);
}

static struct verifier *
fuzz_verifier(struct config *cfg, int strict)
{
	static const char *const settings[][2] = {
		{ "audience", "api.test" },
		{ "iss_is_app", "yes" },
		{ "sub_is_app", "yes" },
		{ "typ", "JWT" },
	};
	struct verifier *v;
	char err[512];
	size_t i;

	if (config_init(cfg) != 0 ||
	    config_set(cfg, "keys", fuzz_dir, err, sizeof(err)) != 0)
		fuzz_die("cannot set up the configuration");
	for (i = 0; strict && i < sizeof(settings) / sizeof(settings[0]); i++)
		if (config_set(cfg, settings[i][0], settings[i][1], err,
		    sizeof(err)) != 0)
			fuzz_die(err);
	v = verifier_new(cfg, err, sizeof(err));
	if (v == NULL)
		fuzz_die(err);
	return v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	if (mkdtemp(fuzz_dir) == NULL)
		fuzz_die("cannot make a temporary directory");
	atexit(fuzz_cleanup);

	fuzz_keys[0].pkey = EVP_RSA_gen(2048);
	fuzz_keys[1].pkey = EVP_EC_gen("P-256");
	fuzz_keys[2].pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	for (i = 0; i < FUZZ_NKEYS; i++) {
		if (fuzz_keys[i].pkey == NULL)
			fuzz_die("cannot generate a key");
		fuzz_write_key(&fuzz_keys[i]);
	}

	fuzz_v[0] = fuzz_verifier(&fuzz_cfg[0], 0);
	fuzz_v[1] = fuzz_verifier(&fuzz_cfg[1], 1);
	return 0;
}

/*
 * What must hold whatever the input: a token is only accepted for an
 * application whose key signed it, and never past its lifetime cap.
 */
static void
fuzz_check_result(const struct verify_result *res, const char *signer,
    const struct config *cfg)
{
	if (res->reason != REASON_OK)
		return;
	if (signer == NULL)
		fuzz_die("accepted a token the harness did not sign");
	if (strcmp(res->app_id, signer) != 0)
		fuzz_die("accepted a token for another application");
	if (res->exp < FUZZ_NOW - cfg->leeway ||
	    res->exp > FUZZ_NOW + cfg->max_lifetime + cfg->leeway)
		fuzz_die("accepted a token outside its lifetime");
}

/* Sign "header\nclaims" with key k and return the token, or NULL. */
static char *
fuzz_sign(const struct fuzz_key *k, const uint8_t *data, size_t size)
{
	char header[FUZZ_MAX_PART + 1], claims[FUZZ_MAX_PART + 1];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen, clen;

	if (nl == NULL)
		return NULL;
	hlen = (size_t)(nl - data);
	clen = size - hlen - 1;
	if (hlen > FUZZ_MAX_PART || clen > FUZZ_MAX_PART ||
	    memchr(data, '\0', size) != NULL)
		return NULL;
	memcpy(header, data, hlen);
	header[hlen] = '\0';
	memcpy(claims, nl + 1, clen);
	claims[clen] = '\0';

	return jws_sign(alg_find(k->alg, strlen(k->alg)), k->pkey, header,
	    claims);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_key *k;
	struct verify_result res;
	int strict;
	char *token;

	if (size < 1)
		return 0;
	strict = data[0] & 1;

	if ((data[0] & 0x80) == 0) {
		verifier_check(fuzz_v[strict], (const char *)data + 1,
		    size - 1, FUZZ_NOW, &res);
		fuzz_check_result(&res, NULL, &fuzz_cfg[strict]);
		return 0;
	}

	k = &fuzz_keys[((data[0] >> 1) & 0x3f) % FUZZ_NKEYS];
	token = fuzz_sign(k, data + 1, size - 1);
	if (token == NULL)
		return 0;
	verifier_check(fuzz_v[strict], token, strlen(token), FUZZ_NOW, &res);
	fuzz_check_result(&res, k->app, &fuzz_cfg[strict]);
	free(token);
	return 0;
}
