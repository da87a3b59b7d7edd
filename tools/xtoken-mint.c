/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * xtoken-mint: what a calling application runs to get a short-lived token
 * for the x-token header, signed with its own private key.
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "alg.h"
#include "claims.h"
#include "jws.h"
#include "keystore.h"

#define PROG		"xtoken-mint"
#define DEFAULT_TTL	300
#define MAX_TTL		86400

struct mint_options {
	const char	*app_id;
	const char	*key_file;
	const char	*alg;
	const char	*kid;
	long		 ttl;
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"Usage: " PROG " --app ID --key PRIVATE.pem [--ttl SECONDS] [--alg ALG]\n"
"       [--kid KID]\n"
"Print a signed token (JWS compact form) with the claims appId, iat and\n"
"exp, to send in the x-token header.\n"
"\n"
"  --app ID          the application ID the API knows this key by\n"
"  --key FILE        the application's PEM private key\n"
"  --ttl SECONDS     lifetime, 1 to %d [%d]; the API refuses tokens that\n"
"                    live longer than its max_lifetime (default 300)\n"
"  --alg ALG         RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512\n"
"                    EdDSA [RS512]; it must be the algorithm the API binds\n"
"                    the key to\n"
"  --kid KID         put the key ID in the header, so the API picks exactly\n"
"                    that key of the application (during a key rotation)\n"
"  --help, --version\n", MAX_TTL, DEFAULT_TTL);
}

static int
parse_ttl(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > MAX_TTL)
		return -1;
	*out = v;
	return 0;
}

/* Returns 0 to go on, else the exit status (-1 meaning 0). */
static int
parse_options(int argc, char **argv, struct mint_options *o)
{
	static const struct option opts[] = {
		{ "app", required_argument, NULL, 'a' },
		{ "key", required_argument, NULL, 'k' },
		{ "ttl", required_argument, NULL, 't' },
		{ "alg", required_argument, NULL, 'g' },
		{ "kid", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->alg = "RS512";
	o->ttl = DEFAULT_TTL;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->app_id = optarg; break;
		case 'k': o->key_file = optarg; break;
		case 'g': o->alg = optarg; break;
		case 'i': o->kid = optarg; break;
		case 't':
			if (parse_ttl(optarg, &o->ttl) != 0) {
				fprintf(stderr, PROG ": --ttl must be a whole "
				    "number of seconds from 1 to %d\n", MAX_TTL);
				return 2;
			}
			break;
		case 'h': usage(stdout); return -1;
		case 'V': printf(PROG " " PACKAGE_VERSION "\n"); return -1;
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return 2;
		}
	}
	if (optind < argc || o->app_id == NULL || o->key_file == NULL) {
		fprintf(stderr, PROG ": --app and --key are required; "
		    "try '" PROG " --help'\n");
		return 2;
	}
	if (o->kid != NULL && !keystore_kid_valid(o->kid, strlen(o->kid))) {
		fprintf(stderr, PROG ": --kid must be 1-%d printable "
		    "characters without spaces\n", KEYSTORE_KID_MAX);
		return 2;
	}
	if (!claims_app_id_valid(o->app_id, strlen(o->app_id))) {
		fprintf(stderr, PROG ": \"%s\" is not a valid appId (1-%d "
		    "characters of A-Z a-z 0-9 . _ -, not starting with a "
		    "dot)\n", o->app_id, CLAIMS_APP_ID_MAX);
		return 2;
	}
	return 0;
}

static EVP_PKEY *
read_private_key(const char *path)
{
	EVP_PKEY *pkey;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	pkey = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (pkey == NULL)
		fprintf(stderr, PROG ": %s: not a PEM private key without "
		    "a passphrase\n", path);
	ERR_clear_error();
	return pkey;
}

/* An object as compact JSON text; the caller frees the text. */
static char *
json_text(struct json_object *o)
{
	char *text = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return text;
}

static char *
header_json(const struct alg *alg, const char *kid)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "alg", json_object_new_string(
	    alg_name(alg)));
	json_object_object_add(o, "typ", json_object_new_string("JWT"));
	if (kid != NULL)
		json_object_object_add(o, "kid", json_object_new_string(kid));
	return json_text(o);
}

static char *
claims_json(const char *app_id, long ttl)
{
	struct json_object *o = json_object_new_object();
	int64_t now = (int64_t)time(NULL);

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "appId", json_object_new_string(app_id));
	json_object_object_add(o, "iat", json_object_new_int64(now));
	json_object_object_add(o, "exp", json_object_new_int64(now + ttl));
	return json_text(o);
}

int
main(int argc, char **argv)
{
	struct mint_options o = { 0 };
	const struct alg *alg;
	EVP_PKEY *pkey = NULL;
	char *header = NULL, *payload = NULL, *token = NULL, why[256];
	int status;

	status = parse_options(argc, argv, &o);
	if (status != 0)
		return status < 0 ? 0 : status;

	alg = alg_find(o.alg, strlen(o.alg));
	if (alg == NULL) {
		fprintf(stderr, PROG ": unsupported --alg \"%s\"\n", o.alg);
		return 2;
	}
	status = 1;
	pkey = read_private_key(o.key_file);
	if (pkey == NULL)
		goto out;
	if (alg_check_key(alg, pkey, why, sizeof(why)) != 0) {
		fprintf(stderr, PROG ": %s: %s\n", o.key_file, why);
		goto out;
	}

	header = header_json(alg, o.kid);
	payload = claims_json(o.app_id, o.ttl);
	if (header != NULL && payload != NULL)
		token = jws_sign(alg, pkey, header, payload);
	if (token == NULL) {
		fprintf(stderr, PROG ": signing failed\n");
		goto out;
	}

	printf("%s\n", token);
	status = 0;

out:
	free(token);
	free(header);
	free(payload);
	EVP_PKEY_free(pkey);
	return status;
}
