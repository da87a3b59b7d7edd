/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the whole token check and of key loading: one accepted
 * token, and every way the verifier refuses one.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "config.h"
#include "testkeys.h"
#include "verifier.h"

#define NOW	INT64_C(1800000000)
#define H	"{\"alg\":\"RS512\",\"typ\":\"JWT\"}"

struct fixture {
	EVP_PKEY	*app1;		/* registered for app1 */
	EVP_PKEY	*app2;		/* registered for app2 */
	EVP_PKEY	*attacker;	/* registered for nobody */
	char		*dir;
	struct config	 cfg;
	struct verifier	*v;
};

static struct fixture fx;

static int
setup(void **state)
{
	char err[512];

	fx.app1 = testkeys_rsa(2048);
	fx.app2 = testkeys_rsa(2048);
	fx.attacker = testkeys_rsa(2048);
	fx.dir = testkeys_mkdir();
	testkeys_write_public(fx.dir, "app1_public.pem", fx.app1);
	testkeys_write_public(fx.dir, "app2_public.pem", fx.app2);
	testkeys_write_file(fx.dir, "README", "not a key\n");

	if (config_init(&fx.cfg) != 0 ||
	    config_set(&fx.cfg, "keys", fx.dir, err, sizeof(err)) != 0)
		return -1;
	fx.v = verifier_new(&fx.cfg, err, sizeof(err));
	if (fx.v == NULL) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	verifier_free(fx.v);
	config_free(&fx.cfg);
	testkeys_rmdir(fx.dir);
	free(fx.dir);
	EVP_PKEY_free(fx.app1);
	EVP_PKEY_free(fx.app2);
	EVP_PKEY_free(fx.attacker);
	return 0;
}

/* A claim set for app with exp = NOW + ttl, plus extra members. */
static char *
payload(const char *app, long ttl, const char *extra)
{
	char *p = malloc(512);

	assert_non_null(p);
	snprintf(p, 512, "{\"appId\":\"%s\",\"iat\":%lld,\"exp\":%lld%s%s}",
	    app, (long long)NOW, (long long)(NOW + ttl), extra ? "," : "",
	    extra ? extra : "");
	return p;
}

static enum reason_code
check(const char *token)
{
	struct verify_result res;

	return verifier_check(fx.v, token, strlen(token), NOW, &res);
}

/* Sign header/payload with key and check the result. */
static enum reason_code
check_signed(EVP_PKEY *key, const char *header, const char *pl)
{
	char *token = testkeys_token(key, header, pl);
	enum reason_code r = check(token);

	free(token);
	return r;
}

static void
test_accepts_good_token(void **state)
{
	struct verify_result res;
	char *pl = payload("app1", 300, NULL);
	char *token = testkeys_token(fx.app1, H, pl);

	assert_int_equal(verifier_check(fx.v, token, strlen(token), NOW, &res),
	    REASON_OK);
	assert_int_equal(res.reason, REASON_OK);
	assert_string_equal(res.app_id, "app1");
	assert_string_equal(res.alg, "RS512");
	assert_int_equal(res.exp, NOW + 300);
	assert_int_equal(verifier_key_count(fx.v), 2);
	free(token);
	free(pl);
}

static void
test_accepts_each_app_with_its_own_key(void **state)
{
	char *pl = payload("app2", 60, "\"sub\":\"x\"");

	assert_int_equal(check_signed(fx.app2, H, pl), REASON_OK);
	free(pl);
}

static void
test_refuses_other_apps_key(void **state)
{
	char *pl = payload("app1", 300, NULL);

	assert_int_equal(check_signed(fx.app2, H, pl), REASON_BAD_SIGNATURE);
	assert_int_equal(check_signed(fx.attacker, H, pl),
	    REASON_BAD_SIGNATURE);
	free(pl);
}

static void
test_refuses_unknown_app(void **state)
{
	char *pl = payload("app3", 300, NULL);

	assert_int_equal(check_signed(fx.attacker, H, pl), REASON_UNKNOWN_APP);
	free(pl);
	pl = payload("APP1", 300, NULL);
	assert_int_equal(check_signed(fx.app1, H, pl), REASON_UNKNOWN_APP);
	free(pl);
}

static void
test_refuses_path_like_app_id(void **state)
{
	char *pl = payload("../app1", 300, NULL);

	assert_int_equal(check_signed(fx.app1, H, pl), REASON_BAD_APP_ID);
	free(pl);
}

static void
test_refuses_tampered_payload(void **state)
{
	char *pl = payload("app1", 300, NULL);
	char *token = testkeys_token(fx.app1, H, pl);
	char *evil = payload("app2", 300, NULL);
	char *evil_b64 = testkeys_b64(evil, strlen(evil));
	char *dot1 = strchr(token, '.'), *dot2 = strchr(dot1 + 1, '.');
	char forged[4096];

	snprintf(forged, sizeof(forged), "%.*s.%s%s", (int)(dot1 - token),
	    token, evil_b64, dot2);
	assert_int_equal(check(forged), REASON_BAD_SIGNATURE);
	free(token);
	free(pl);
	free(evil);
	free(evil_b64);
}

static void
test_refuses_wrong_signature_length(void **state)
{
	char *pl = payload("app1", 300, NULL);
	char *good = testkeys_token(fx.app1, H, pl);
	unsigned char sig[600];
	char *token;
	size_t lens[] = { 0, 3, 255, 257, 512 };
	size_t i;

	memset(sig, 0, sizeof(sig));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		token = testkeys_token_sig(H, pl, sig, lens[i]);
		assert_int_equal(check(token), REASON_BAD_SIGNATURE);
		free(token);
	}
	free(good);
	free(pl);
}

static void
test_refuses_algorithms_not_configured(void **state)
{
	static const char *const headers[] = {
	    "{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"NONE\"}",
	    "{\"alg\":\"nOnE\"}", "{\"alg\":\"HS512\"}", "{\"alg\":\"HS256\"}",
	    "{\"alg\":\"RS256\"}", "{\"alg\":\"PS512\"}", "{\"alg\":\"rs512\"}",
	    "{\"alg\":\"RS512 \"}",
	    "{\"alg\":\"ES512\"}", "{\"alg\":\"\"}",
	};
	char *pl = payload("app1", 300, NULL);
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		assert_int_equal(check_signed(fx.app1, headers[i], pl),
		    REASON_ALG_NOT_ALLOWED);
	free(pl);
}

static void
test_refuses_unsigned_token(void **state)
{
	char *pl = payload("app1", 300, NULL);
	char *token = testkeys_token_sig("{\"alg\":\"none\"}", pl,
	    (const unsigned char *)"", 0);

	assert_int_equal(check(token), REASON_ALG_NOT_ALLOWED);
	free(token);
	token = testkeys_token_sig(H, pl, (const unsigned char *)"", 0);
	assert_int_equal(check(token), REASON_BAD_SIGNATURE);
	free(token);
	free(pl);
}

static void
test_refuses_hmac_keyed_with_public_key(void **state)
{
	char *pem = testkeys_public_pem(fx.app1);
	char *pl = payload("app1", 300, NULL);
	char *token;

	token = testkeys_token_hs512("{\"alg\":\"HS512\"}", pl, pem,
	    strlen(pem));
	assert_int_equal(check(token), REASON_ALG_NOT_ALLOWED);
	free(token);

	/* Claiming RS512 while carrying an HMAC fails as a signature. */
	token = testkeys_token_hs512(H, pl, pem, strlen(pem));
	assert_int_equal(check(token), REASON_BAD_SIGNATURE);
	free(token);
	free(pl);
	free(pem);
}

static void
test_refuses_bad_header(void **state)
{
	static const char *const headers[] = {
	    "{}", "{\"alg\":1}", "{\"alg\":null}", "{\"alg\":[\"RS512\"]}",
	    "{\"typ\":\"JWT\"}",
	};
	char *pl = payload("app1", 300, NULL);
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		assert_int_equal(check_signed(fx.app1, headers[i], pl),
		    REASON_BAD_HEADER);
	free(pl);
}

static void
test_refuses_headers_we_do_not_understand(void **state)
{
	static const char *const headers[] = {
	    "{\"alg\":\"RS512\",\"crit\":[\"exp\"]}",
	    "{\"alg\":\"RS512\",\"crit\":[]}",
	    "{\"alg\":\"RS512\",\"crit\":[\"b64\"],\"b64\":false}",
	    "{\"alg\":\"RS512\",\"enc\":\"A256GCM\"}",
	    "{\"alg\":\"RS512\",\"zip\":\"DEF\"}",
	};
	char *pl = payload("app1", 300, NULL);
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		assert_int_equal(check_signed(fx.app1, headers[i], pl),
		    REASON_UNSUPPORTED_HEADER);
	free(pl);
}

static void
test_ignores_key_naming_headers(void **state)
{
	char header[1024], *pem = testkeys_public_pem(fx.attacker);
	char *pl = payload("app1", 300, NULL);

	/* jku, x5u and jwk never pick a key: the attacker's own signature
	 * is checked against app1's registered key and fails. */
	snprintf(header, sizeof(header), "{\"alg\":\"RS512\","
	    "\"jku\":\"http://127.0.0.1:1/jwks.json\","
	    "\"x5u\":\"file:///etc/passwd\","
	    "\"jwk\":{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"AQAB\"}}");
	assert_int_equal(check_signed(fx.attacker, header, pl),
	    REASON_BAD_SIGNATURE);
	free(pl);
	free(pem);
}

static void
test_refuses_malformed_structure(void **state)
{
	char *pl = payload("app1", 300, NULL);
	char *good = testkeys_token(fx.app1, H, pl);
	char buf[4096];

	assert_int_equal(check(""), REASON_MALFORMED);
	assert_int_equal(check("abc"), REASON_MALFORMED);
	assert_int_equal(check("a.b"), REASON_MALFORMED);
	assert_int_equal(check("a.b.c.d"), REASON_MALFORMED);
	assert_int_equal(check("a.b.c.d.e"), REASON_MALFORMED);
	assert_int_equal(check("..."), REASON_MALFORMED);
	assert_int_equal(check(".e30.AA"), REASON_MALFORMED);
	assert_int_equal(check("e30..AA"), REASON_MALFORMED);

	snprintf(buf, sizeof(buf), "%s.x", good);
	assert_int_equal(check(buf), REASON_MALFORMED);
	*strrchr(good, '.') = '\0';
	assert_int_equal(check(good), REASON_MALFORMED);
	free(good);
	free(pl);
}

static void
test_refuses_bad_base64(void **state)
{
	char *pl = payload("app1", 300, NULL);
	char *good = testkeys_token(fx.app1, H, pl);
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s==", good);
	assert_int_equal(check(buf), REASON_BAD_BASE64);
	snprintf(buf, sizeof(buf), " %s", good);
	assert_int_equal(check(buf), REASON_BAD_BASE64);
	snprintf(buf, sizeof(buf), "%s", good);
	buf[strlen(buf) - 2] = '+';
	assert_int_equal(check(buf), REASON_BAD_BASE64);
	free(good);
	free(pl);
}

/* Header or payload replaced by the b64u of a raw byte string. */
static enum reason_code
check_raw(const char *raw, size_t len, int as_payload)
{
	char *pl = payload("app1", 300, NULL);
	char *seg = testkeys_b64(raw, len);
	char *h = testkeys_b64(H, strlen(H));
	char *p = testkeys_b64(pl, strlen(pl));
	char token[8192];
	enum reason_code r;

	snprintf(token, sizeof(token), "%s.%s.AAAA", as_payload ? h : seg,
	    as_payload ? seg : p);
	r = check(token);
	free(pl);
	free(seg);
	free(h);
	free(p);
	return r;
}

static void
test_refuses_json_that_is_not_one_strict_object(void **state)
{
	static const char *const bad[] = {
	    "[1]", "\"x\"", "1", "null", "true", "{\"alg\":\"RS512\"",
	    "{\"alg\":\"RS512\"}x", "{\"alg\":\"RS512\"}{}",
	    "{'alg':'RS512'}", "{\"alg\":\"RS512\",}", "{alg:\"RS512\"}",
	    "/*c*/{\"alg\":\"RS512\"}", "\xef\xbb\xbf{\"alg\":\"RS512\"}",
	    "{\"alg\":\"RS\xc3\x28\"}", "{\"alg\":\"RS\xc0\xaf\"}",
	    "{\"alg\":\"RS\xed\xa0\x80\"}", "{\"alg\":\"\xff\"}",
	    "{\"alg\":\"RS512\\u0000\"}", "{\"alg\":\"\\ud800\"}",
	    "{\"alg\":\"\\udc00\"}", "{\"alg\":\"\\ud800\\u0041\"}",
	    "{\"alg\":\"RS\xf4\x90\x80\x80\"}",
	    "{\"alg\":\"RS\xe0\x80\xaf\"}",
	    "{\"alg\":\"RS512\",\"alg\":\"none\"}",
	    "{\"alg\":\"RS512\",\"\\u0061lg\":\"none\"}",
	    "{\"alg\":\"RS512\",\"x\":{\"a\":1,\"b\":{},\"a\":2}}",
	    "{\"alg\":\"RS512\",\"x\":[{\"a\":1,\"a\":1}]}",
	    "{\"alg\":\"RS512\",'alg':\"none\"}",
	    "{'x\"':1,\"alg\":\"RS512\"}",
	    "{\"alg\":\"RS512\",\"x\":NaN}",
	    "{\"alg\":\"RS512\",\"x\":Infinity}",
	    "{\"alg\":\"RS512\",\"x\":-Infinity}",
	    "{\"alg\":\"RS512\",\"x\":1.}", "{\"alg\":\"RS512\",\"x\":.5}",
	    "{\"alg\":\"RS512\",\"x\":01}", "{\"alg\":\"RS512\",\"x\":1e}",
	    "{\"alg\":\"RS512\",\"x\":+1}", "{\"alg\":\"RS512\",\"x\":-}",
	    "{\"alg\":\"RS512\",\"x\":tru}", "{\"alg\":\"RS512\",\"x\":nul}",
	    "{\"alg\":\"RS512\",\"x\":truex}",
	    "{\"alg\":\"RS512\",\"x\":\"a\tb\"}",
	    "{\"alg\":\"RS512\",\"x\":\"a\nb\"}",
	    "{\"alg\":\"RS512\",\"x\":\"a\001b\"}",
	    "{\"alg\":\"RS512\",\"x\\u0000\":1}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(check_raw(bad[i], strlen(bad[i]), 0),
		    REASON_BAD_JSON);
		assert_int_equal(check_raw(bad[i], strlen(bad[i]), 1),
		    REASON_BAD_JSON);
	}

	/* A NUL after the object is not whitespace. */
	assert_int_equal(check_raw("{\"alg\":\"RS512\"}", 16, 0),
	    REASON_BAD_JSON);
}

static void
test_accepts_escapes_that_are_text(void **state)
{
	char *pl = payload("app1", 300, "\"http:\\/\\/x.test\\/c\":"
	    "\"\\ud83d\\ude00\\u00e9\",\"o\":{\"a\":1},\"p\":{\"a\":1},"
	    "\"n\":[-0,0.5e-3,1E+2,-12.25,true,false,null]");

	assert_int_equal(check_signed(fx.app1, H, pl), REASON_OK);
	free(pl);
}

static void
test_refuses_deep_nesting(void **state)
{
	char deep[20000];
	size_t n = 0, i, levels[] = { 17, 33, 1000, 2000 };
	size_t k;

	for (k = 0; k < sizeof(levels) / sizeof(levels[0]); k++) {
		n = (size_t)snprintf(deep, sizeof(deep), "{\"alg\":\"RS512\","
		    "\"x\":");
		for (i = 0; i < levels[k]; i++)
			deep[n++] = '[';
		for (i = 0; i < levels[k]; i++)
			deep[n++] = ']';
		deep[n++] = '}';
		assert_int_equal(check_raw(deep, n, 0), REASON_BAD_JSON);
		assert_int_equal(check_raw(deep, n, 1), REASON_BAD_JSON);
	}
}

static void
test_refuses_oversized_token(void **state)
{
	size_t len = CONFIG_DEFAULT_MAX_TOKEN_BYTES + 1;
	char *big = malloc(len + 1);
	struct verify_result res;

	assert_non_null(big);
	memset(big, '.', len);
	big[len] = '\0';
	assert_int_equal(verifier_check(fx.v, big, len, NOW, &res),
	    REASON_TOKEN_TOO_LARGE);
	memset(big, 'A', len);
	assert_int_equal(verifier_check(fx.v, big, len, NOW, &res),
	    REASON_TOKEN_TOO_LARGE);
	free(big);
}

static void
test_refuses_expired_and_future_tokens(void **state)
{
	char pl[512];

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"exp\":%lld}",
	    (long long)(NOW - 31));
	assert_int_equal(check_signed(fx.app1, H, pl), REASON_EXPIRED);

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"exp\":%lld,"
	    "\"nbf\":%lld}", (long long)(NOW + 100), (long long)(NOW + 600));
	assert_int_equal(check_signed(fx.app1, H, pl), REASON_NOT_YET_VALID);

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"exp\":%lld,"
	    "\"iat\":%lld}", (long long)(NOW + 100), (long long)(NOW + 600));
	assert_int_equal(check_signed(fx.app1, H, pl),
	    REASON_ISSUED_IN_FUTURE);

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"exp\":%lld}",
	    (long long)(NOW + 3600));
	assert_int_equal(check_signed(fx.app1, H, pl),
	    REASON_LIFETIME_TOO_LONG);

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"exp\":%lld.5}",
	    (long long)(NOW + 300));
	assert_int_equal(check_signed(fx.app1, H, pl), REASON_OK);
}

static void
test_refuses_missing_or_bad_exp(void **state)
{
	assert_int_equal(check_signed(fx.app1, H, "{\"appId\":\"app1\"}"),
	    REASON_MISSING_EXP);
	assert_int_equal(check_signed(fx.app1, H,
	    "{\"appId\":\"app1\",\"exp\":\"1800000100\"}"), REASON_BAD_CLAIM);
	assert_int_equal(check_signed(fx.app1, H,
	    "{\"appId\":\"app1\",\"exp\":1e400}"), REASON_BAD_CLAIM);
}

/* A forged token learns nothing but "bad signature", whatever else is
 * wrong with it: the signature is judged before the claims. */
static void
test_signature_is_judged_before_claims(void **state)
{
	char pl[512];

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"exp\":%lld}",
	    (long long)(NOW - 100));
	assert_int_equal(check_signed(fx.attacker, H, pl),
	    REASON_BAD_SIGNATURE);
	assert_int_equal(check_signed(fx.attacker, H, "{\"appId\":\"app1\"}"),
	    REASON_BAD_SIGNATURE);
	assert_int_equal(check_signed(fx.attacker, H,
	    "{\"appId\":\"app1\",\"exp\":true}"), REASON_BAD_SIGNATURE);
}

/* Build a verifier over a directory prepared by fill(); return the error. */
static struct verifier *
load_dir(void (*fill)(const char *dir), char *err, size_t errlen)
{
	struct config cfg;
	struct verifier *v;
	char *dir = testkeys_mkdir();

	fill(dir);
	assert_int_equal(config_init(&cfg), 0);
	assert_int_equal(config_set(&cfg, "keys", dir, err, errlen), 0);
	v = verifier_new(&cfg, err, errlen);
	config_free(&cfg);
	testkeys_rmdir(dir);
	free(dir);
	return v;
}

static void
fill_weak_key(const char *dir)
{
	EVP_PKEY *weak = testkeys_rsa(1024);

	testkeys_write_public(dir, "app1_public.pem", fx.app1);
	testkeys_write_public(dir, "weak_public.pem", weak);
	EVP_PKEY_free(weak);
}

static void
fill_private_key(const char *dir)
{
	testkeys_write_public(dir, "app1_public.pem", fx.app1);
	testkeys_write_private(dir, "app1_private.pem", fx.app1);
}

static void
fill_private_key_as_public(const char *dir)
{
	testkeys_write_private(dir, "app1_public.pem", fx.app1);
}

/* A private key block in front of a public one in the same file. */
static void
fill_private_and_public(const char *dir)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/app1_public.pem", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(PEM_write_PrivateKey(fp, fx.app1, NULL, NULL, 0,
	    NULL, NULL), 1);
	assert_int_equal(PEM_write_PUBKEY(fp, fx.app1), 1);
	fclose(fp);
}

static void
fill_garbage(const char *dir)
{
	testkeys_write_file(dir, "app1_public.pem", "hello\n");
}

/* A key-agreement key has no signature algorithm at all. */
static void
fill_x25519_key(const char *dir)
{
	EVP_PKEY *x = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");

	assert_non_null(x);
	testkeys_write_public(dir, "app1_public.pem", x);
	EVP_PKEY_free(x);
}

static void
fill_bad_name(const char *dir)
{
	testkeys_write_public(dir, "bad name_public.pem", fx.app1);
}

static void
fill_nothing(const char *dir)
{
}

static void
test_refuses_bad_key_directories(void **state)
{
	static const struct {
		void		(*fill)(const char *);
		const char	*expect;
	} cases[] = {
		{ fill_weak_key, "weak_public.pem: refused: RSA key of 1024" },
		{ fill_private_key, "app1_private.pem: a private key" },
		{ fill_private_key_as_public, "holds a private key" },
		{ fill_private_and_public, "holds a private key" },
		{ fill_garbage, "app1_public.pem: not a PEM public key" },
		{ fill_x25519_key, "X25519 keys are not supported" },
		{ fill_bad_name, "is not a valid appId" },
		{ fill_nothing, "holds no key file" },
	};
	char err[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_null(load_dir(cases[i].fill, err, sizeof(err)));
		if (strstr(err, cases[i].expect) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err,
			    cases[i].expect);
	}
}

static void
test_refuses_missing_directory_and_bad_algorithm(void **state)
{
	struct config cfg;
	char err[1024];

	assert_int_equal(config_init(&cfg), 0);
	assert_int_equal(config_set(&cfg, "keys", "/nonexistent/xtoken",
	    err, sizeof(err)), 0);
	assert_null(verifier_new(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/xtoken"));

	assert_int_equal(config_set(&cfg, "keys", fx.dir, err, sizeof(err)),
	    0);
	assert_int_equal(config_set(&cfg, "algorithm", "HS512", err,
	    sizeof(err)), 0);
	assert_null(verifier_new(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "HS512"));
	config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_good_token),
		cmocka_unit_test(test_accepts_each_app_with_its_own_key),
		cmocka_unit_test(test_refuses_other_apps_key),
		cmocka_unit_test(test_refuses_unknown_app),
		cmocka_unit_test(test_refuses_path_like_app_id),
		cmocka_unit_test(test_refuses_tampered_payload),
		cmocka_unit_test(test_refuses_wrong_signature_length),
		cmocka_unit_test(test_refuses_algorithms_not_configured),
		cmocka_unit_test(test_refuses_unsigned_token),
		cmocka_unit_test(test_refuses_hmac_keyed_with_public_key),
		cmocka_unit_test(test_refuses_bad_header),
		cmocka_unit_test(test_refuses_headers_we_do_not_understand),
		cmocka_unit_test(test_ignores_key_naming_headers),
		cmocka_unit_test(test_refuses_malformed_structure),
		cmocka_unit_test(test_refuses_bad_base64),
		cmocka_unit_test(test_refuses_json_that_is_not_one_strict_object),
		cmocka_unit_test(test_accepts_escapes_that_are_text),
		cmocka_unit_test(test_refuses_deep_nesting),
		cmocka_unit_test(test_refuses_oversized_token),
		cmocka_unit_test(test_refuses_expired_and_future_tokens),
		cmocka_unit_test(test_refuses_missing_or_bad_exp),
		cmocka_unit_test(test_signature_is_judged_before_claims),
		cmocka_unit_test(test_refuses_bad_key_directories),
		cmocka_unit_test(test_refuses_missing_directory_and_bad_algorithm),
	};

	return cmocka_run_group_tests_name("verifier", tests, setup, teardown);
}
