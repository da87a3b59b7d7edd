/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * In-process verification rate: verifier_check on RS512 tokens, timed in
 * CPU seconds like openssl speed, so the two can stand side by side.
 *
 *   bench-inproc PRIVATE.pem fresh|repeat SECONDS TOKENS
 *
 * fresh: every check is of a token the verifier has not seen (each
 * verifier sees each of TOKENS tokens once, then a new verifier takes
 * over), so it pays for the cache lookup, the whole check and the cache
 * insertion.  repeat: one token checked again and again, the normal case
 * of a caller reusing its token.  Prints checks per CPU second.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>

#include "alg.h"
#include "config.h"
#include "jws.h"
#include "verifier.h"

#define INPROC_HEADER	"{\"alg\":\"RS512\",\"typ\":\"JWT\"}"
#define INPROC_BATCH	1000

struct inproc {
	EVP_PKEY	*key;
	char		 dir[64];
	char		**tokens;
	size_t		*lens;
	int		 ntokens;
	int64_t		 now;
};

static void
inproc_die(const char *what)
{
	fprintf(stderr, "bench-inproc: %s\n", what);
	exit(1);
}

static double
inproc_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The key pair's public half in a keys directory of one application. */
static void
inproc_keys(struct inproc *b, const char *private_pem)
{
	char path[128];
	FILE *fp;

	fp = fopen(private_pem, "r");
	if (fp == NULL)
		inproc_die("cannot open the private key");
	b->key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (b->key == NULL)
		inproc_die("cannot read the private key");

	snprintf(b->dir, sizeof(b->dir), "/tmp/xtoken-bench.XXXXXX");
	if (mkdtemp(b->dir) == NULL)
		inproc_die("cannot make a keys directory");
	snprintf(path, sizeof(path), "%s/app1_public.pem", b->dir);
	fp = fopen(path, "w");
	if (fp == NULL || PEM_write_PUBKEY(fp, b->key) != 1)
		inproc_die("cannot write the public key");
	fclose(fp);
}

/* Distinct tokens, each with the claims xtoken-mint writes and a
 * sequence number of its own. */
static void
inproc_tokens(struct inproc *b)
{
	const struct alg *rs512 = alg_find("RS512", 5);
	char payload[256];
	int i;

	b->tokens = calloc((size_t)b->ntokens, sizeof(*b->tokens));
	b->lens = calloc((size_t)b->ntokens, sizeof(*b->lens));
	if (b->tokens == NULL || b->lens == NULL)
		inproc_die("out of memory");
	for (i = 0; i < b->ntokens; i++) {
		snprintf(payload, sizeof(payload), "{\"appId\":\"app1\","
		    "\"iat\":%lld,\"exp\":%lld,\"seq\":%d}",
		    (long long)b->now, (long long)b->now + 300, i);
		b->tokens[i] = jws_sign(rs512, b->key, INPROC_HEADER, payload);
		if (b->tokens[i] == NULL)
			inproc_die("cannot sign a token");
		b->lens[i] = strlen(b->tokens[i]);
	}
}

static struct verifier *
inproc_verifier(const struct inproc *b)
{
	struct verifier *v;
	struct config cfg;
	char err[512];

	if (config_init(&cfg) != 0 ||
	    config_set(&cfg, "keys", b->dir, err, sizeof(err)) != 0)
		inproc_die("cannot set up the configuration");
	v = verifier_new(&cfg, err, sizeof(err));
	config_free(&cfg);
	if (v == NULL)
		inproc_die(err);
	return v;
}

static void
inproc_check(struct verifier *v, const struct inproc *b, int i)
{
	struct verify_result res;

	if (verifier_check(v, b->tokens[i], b->lens[i], b->now, &res) !=
	    REASON_OK)
		inproc_die("a good token was refused");
}

/* Each verifier sees each token once; only the checks are timed. */
static double
inproc_fresh(const struct inproc *b, double seconds)
{
	double spent = 0, start;
	long checks = 0;
	struct verifier *v;
	int i;

	while (spent < seconds) {
		v = inproc_verifier(b);
		start = inproc_cpu();
		for (i = 0; i < b->ntokens; i++)
			inproc_check(v, b, i);
		spent += inproc_cpu() - start;
		checks += b->ntokens;
		verifier_free(v);
	}
	return (double)checks / spent;
}

static double
inproc_repeat(const struct inproc *b, double seconds)
{
	struct verifier *v = inproc_verifier(b);
	double spent = 0, start;
	long checks = 0;
	int i;

	inproc_check(v, b, 0);
	start = inproc_cpu();
	while (spent < seconds) {
		for (i = 0; i < INPROC_BATCH; i++)
			inproc_check(v, b, 0);
		checks += INPROC_BATCH;
		spent = inproc_cpu() - start;
	}
	verifier_free(v);
	return (double)checks / spent;
}

static void
inproc_cleanup(struct inproc *b)
{
	char path[128];
	int i;

	snprintf(path, sizeof(path), "%s/app1_public.pem", b->dir);
	unlink(path);
	rmdir(b->dir);
	for (i = 0; i < b->ntokens; i++)
		free(b->tokens[i]);
	free(b->tokens);
	free(b->lens);
	EVP_PKEY_free(b->key);
}

int
main(int argc, char **argv)
{
	struct inproc b;
	double seconds, rate;

	if (argc != 5) {
		fprintf(stderr, "usage: bench-inproc PRIVATE.pem fresh|repeat "
		    "SECONDS TOKENS\n");
		return 2;
	}
	memset(&b, 0, sizeof(b));
	seconds = atof(argv[3]);
	b.ntokens = atoi(argv[4]);
	if (seconds <= 0 || b.ntokens < 1)
		inproc_die("SECONDS and TOKENS must be positive");
	b.now = (int64_t)time(NULL);

	inproc_keys(&b, argv[1]);
	inproc_tokens(&b);
	if (strcmp(argv[2], "fresh") == 0)
		rate = inproc_fresh(&b, seconds);
	else
		rate = inproc_repeat(&b, seconds);
	printf("%.0f\n", rate);

	inproc_cleanup(&b);
	return 0;
}
