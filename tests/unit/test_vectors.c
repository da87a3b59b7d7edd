/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Public test vectors through our own verify function: every Wycheproof
 * file in $XTOKEN_MATERIAL/vectors/wycheproof and the RFC 7515 / RFC 7520
 * examples in $XTOKEN_MATERIAL/vectors/rfc.  One TAP test point per file,
 * with the counts of cases, accepted, refused and wrong verdicts.  The
 * vectors are not part of the repository; without them the test skips.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "alg.h"
#include "b64url.h"
#include "config.h"
#include "reason.h"
#include "verifier.h"

/* Before the RFC tokens' exp (1300819380), so no verdict below comes from
 * expiry: what refuses them is the algorithm policy or the claims. */
#define RFC_NOW		INT64_C(1300819000)
#define MAX_FILES	64
#define MAX_SIG		1024
#define MAX_FIELD	66

enum kind { K_RSA_PKCS1, K_RSA_PSS, K_ECDSA_RAW, K_ECDSA_DER, K_EDDSA };

struct tally {
	long	cases;
	long	accepted;
	long	refused;
	long	wrong;
	long	special;	/* PSS: other parameters; DER: malformed */
};

/* One group of a Wycheproof file: its key and what JWS may accept. */
struct group {
	enum kind		 kind;
	EVP_PKEY		*pkey;
	const struct alg	*algs[3];	/* candidate algorithms */
	size_t			 nalgs;
	size_t			 field_len;	/* ES*: r, s bytes */
	int			 jws_params;	/* PSS: JWS's own */
};

static struct tally total;
static int test_number;

/* --- small helpers --------------------------------------------------- */

static const char *
jstr(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int
jint(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return -1;
	return json_object_get_int(v);
}

static struct json_object *
jarray(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex into a malloc'ed buffer; NULL if it is not hex. */
static unsigned char *
unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex), i;
	unsigned char *out;
	int hi, lo;

	if (n % 2 != 0)
		return NULL;
	out = malloc(n / 2 + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n / 2; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(out);
			return NULL;
		}
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return out;
}

static EVP_PKEY *
pem_key(const char *pem)
{
	BIO *bio;
	EVP_PKEY *pkey;

	if (pem == NULL)
		return NULL;
	bio = BIO_new_mem_buf(pem, -1);
	if (bio == NULL)
		return NULL;
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	return pkey;
}

static const struct alg *
find(const char *name)
{
	return alg_find(name, strlen(name));
}

/* Digest bits of a Wycheproof "SHA-256" style name, or 0. */
static int
sha_bits(const char *sha)
{
	if (sha == NULL)
		return 0;
	if (strcmp(sha, "SHA-256") == 0)
		return 256;
	if (strcmp(sha, "SHA-384") == 0)
		return 384;
	if (strcmp(sha, "SHA-512") == 0)
		return 512;
	return 0;
}

static void
report(int ok, const char *file, const struct tally *t, const char *special)
{
	printf("%s %d - %s: cases %ld, accepted %ld, refused %ld", ok ? "ok" :
	    "not ok", ++test_number, file, t->cases, t->accepted, t->refused);
	if (special != NULL)
		printf(" (%s %ld)", special, t->special);
	printf(", wrong %ld\n", t->wrong);

	total.cases += t->cases;
	total.accepted += t->accepted;
	total.refused += t->refused;
	total.wrong += t->wrong;
}

/* --- strict DER for the ECDSA files ---------------------------------- */

/* Read a DER length at in[*pos]: definite, minimal, at most two bytes. */
static int
der_length(const unsigned char *in, size_t len, size_t *pos, size_t *out)
{
	size_t n;

	if (*pos >= len)
		return -1;
	n = in[(*pos)++];
	if (n < 0x80) {
		*out = n;
		return 0;
	}
	if (n == 0x81 && *pos < len && in[*pos] >= 0x80) {
		*out = in[(*pos)++];
		return 0;
	}
	if (n == 0x82 && *pos + 1 < len && in[*pos] != 0) {
		*out = (size_t)in[*pos] << 8 | in[*pos + 1];
		*pos += 2;
		return 0;
	}
	return -1;
}

/*
 * Read one non-negative INTEGER with no superfluous leading zero and write
 * it left-padded into out (field bytes).  Returns 0, or -1 if it is not
 * strict DER or does not fit.
 */
static int
der_integer(const unsigned char *in, size_t len, size_t *pos,
    unsigned char *out, size_t field)
{
	const unsigned char *v;
	size_t n;

	if (*pos >= len || in[(*pos)++] != 0x02)
		return -1;
	if (der_length(in, len, pos, &n) != 0 || n == 0 || n > len - *pos)
		return -1;
	v = in + *pos;
	*pos += n;

	if (v[0] & 0x80)
		return -1;			/* negative */
	if (v[0] == 0 && n > 1 && !(v[1] & 0x80))
		return -1;			/* leading zero not needed */
	if (v[0] == 0 && n > 1) {
		v++;
		n--;
	}
	if (n > field)
		return -1;
	memset(out, 0, field - n);
	memcpy(out + field - n, v, n);
	return 0;
}

/* SEQUENCE { INTEGER r, INTEGER s } filling in exactly -> raw r || s. */
static int
der_to_raw(const unsigned char *in, size_t len, unsigned char *raw,
    size_t field)
{
	size_t pos = 0, n;

	if (len < 2 || in[pos++] != 0x30)
		return -1;
	if (der_length(in, len, &pos, &n) != 0 || n != len - pos)
		return -1;
	if (der_integer(in, len, &pos, raw, field) != 0 ||
	    der_integer(in, len, &pos, raw + field, field) != 0)
		return -1;
	return pos == len ? 0 : -1;
}

/* True if OpenSSL's DER of raw r || s is exactly der. */
static int
der_matches(const unsigned char *raw, size_t field, const unsigned char *der,
    size_t derlen)
{
	ECDSA_SIG *esig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)field, NULL);
	BIGNUM *s = BN_bin2bn(raw + field, (int)field, NULL);
	unsigned char *out = NULL;
	int outlen, same = 0;

	if (esig != NULL && r != NULL && s != NULL &&
	    ECDSA_SIG_set0(esig, r, s) == 1) {
		r = s = NULL;
		outlen = i2d_ECDSA_SIG(esig, &out);
		same = outlen > 0 && (size_t)outlen == derlen &&
		    memcmp(out, der, derlen) == 0;
	}
	OPENSSL_free(out);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(esig);
	return same;
}

/* --- Wycheproof ------------------------------------------------------ */

static int
kind_of(const char *schema, enum kind *kind)
{
	static const struct {
		const char	*schema;
		enum kind	 kind;
	} map[] = {
		{ "rsassa_pkcs1_verify_schema.json", K_RSA_PKCS1 },
		{ "rsassa_pss_verify_schema.json", K_RSA_PSS },
		{ "ecdsa_p1363_verify_schema.json", K_ECDSA_RAW },
		{ "ecdsa_verify_schema.json", K_ECDSA_DER },
		{ "eddsa_verify_schema.json", K_EDDSA },
	};
	size_t i;

	for (i = 0; schema != NULL && i < sizeof(map) / sizeof(map[0]); i++) {
		if (strcmp(schema, map[i].schema) == 0) {
			*kind = map[i].kind;
			return 0;
		}
	}
	return -1;
}

/* Keep alg as a candidate if it accepts the group's key. */
static void
add_alg(struct group *g, const struct alg *alg)
{
	char err[256];

	if (alg != NULL && alg_check_key(alg, g->pkey, err, sizeof(err)) == 0)
		g->algs[g->nalgs++] = alg;
}

/*
 * RS*: the algorithm of the file's hash.  PS*: all three are tried, so a
 * signature with other PSS parameters is shown refused by each; only
 * MGF1 with the same hash and a salt of the hash length is JWS.  ES*: the
 * algorithm the key's curve implies, if it hashes with the file's hash.
 */
static void
group_algs(struct group *g, struct json_object *jg)
{
	int bits = sha_bits(jstr(jg, "sha"));
	const struct alg *alg;
	char name[8];

	switch (g->kind) {
	case K_RSA_PKCS1:
		snprintf(name, sizeof(name), "RS%d", bits);
		add_alg(g, bits ? find(name) : NULL);
		break;
	case K_RSA_PSS:
		add_alg(g, find("PS256"));
		add_alg(g, find("PS384"));
		add_alg(g, find("PS512"));
		g->jws_params = bits != 0 &&
		    strcmp(jstr(jg, "mgf"), "MGF1") == 0 &&
		    sha_bits(jstr(jg, "mgfSha")) == bits &&
		    jint(jg, "sLen") == bits / 8;
		break;
	case K_ECDSA_RAW:
	case K_ECDSA_DER:
		alg = alg_default_for_key(g->pkey, NULL);
		snprintf(name, sizeof(name), "ES%d", bits);
		if (alg != NULL && bits != 0 && alg == find(name))
			add_alg(g, alg);
		g->field_len = (size_t)(EVP_PKEY_get_bits(g->pkey) + 7) / 8;
		break;
	default:
		add_alg(g, alg_default_for_key(g->pkey, NULL));
		break;
	}
}

/* 1 if some candidate accepts sig, 0 if all refuse, -1 on an error. */
static int
group_verify(const struct group *g, const unsigned char *msg, size_t msglen,
    const unsigned char *sig, size_t siglen)
{
	size_t i;
	int r, any = 0;

	for (i = 0; i < g->nalgs; i++) {
		r = alg_verify(g->algs[i], g->pkey, msg, msglen, sig, siglen);
		if (r < 0)
			return -1;
		any |= r;
	}
	return any;
}

/* The verdict on one DER case: convert strictly, then verify raw. */
static int
der_case(const struct group *g, const unsigned char *msg, size_t msglen,
    const unsigned char *sig, size_t siglen, int valid, struct tally *t)
{
	unsigned char raw[2 * MAX_FIELD];
	int r;

	if (g->field_len > MAX_FIELD ||
	    der_to_raw(sig, siglen, raw, g->field_len) != 0) {
		t->special++;
		return 0;
	}
	r = group_verify(g, msg, msglen, raw, 2 * g->field_len);
	if (r == 1 && valid && !der_matches(raw, g->field_len, sig, siglen))
		return -1;
	return r;
}

/* Judge one test case; returns 1 if the verdict is wrong. */
static int
wp_case(const struct group *g, struct json_object *tc, struct tally *t,
    const char *file)
{
	const char *result = jstr(tc, "result");
	unsigned char *msg = NULL, *sig = NULL;
	size_t msglen = 0, siglen = 0;
	int valid, expect, got;

	valid = result != NULL && strcmp(result, "valid") == 0;
	expect = valid && (g->kind != K_RSA_PSS || g->jws_params);
	if (g->kind == K_RSA_PSS && valid && !g->jws_params)
		t->special++;

	msg = unhex(jstr(tc, "msg") ? jstr(tc, "msg") : "zz", &msglen);
	sig = unhex(jstr(tc, "sig") ? jstr(tc, "sig") : "zz", &siglen);
	if (msg == NULL || sig == NULL)
		got = -1;
	else if (g->kind == K_ECDSA_DER)
		got = der_case(g, msg, msglen, sig, siglen, valid, t);
	else
		got = group_verify(g, msg, msglen, sig, siglen);
	free(msg);
	free(sig);

	t->cases++;
	if (got == 1)
		t->accepted++;
	else
		t->refused++;
	if (got == expect)
		return 0;
	printf("# %s tcId %d (%s): expected %s, got %s\n", file,
	    jint(tc, "tcId"), result ? result : "?", expect ? "accept" :
	    "refuse", got == 1 ? "accept" : got == 0 ? "refuse" : "error");
	return 1;
}

static void
wp_group(enum kind kind, struct json_object *jg, struct tally *t,
    const char *file)
{
	struct json_object *tests = jarray(jg, "tests");
	struct group g;
	size_t i, n;

	memset(&g, 0, sizeof(g));
	g.kind = kind;
	g.pkey = pem_key(jstr(jg, "publicKeyPem"));
	if (g.pkey == NULL)
		printf("# %s: a group without a usable key\n", file);
	else
		group_algs(&g, jg);

	n = tests != NULL ? json_object_array_length(tests) : 0;
	for (i = 0; i < n; i++)
		t->wrong += wp_case(&g, json_object_array_get_idx(tests, i), t,
		    file);
	if (g.pkey == NULL)
		t->wrong += (long)n + 1;
	EVP_PKEY_free(g.pkey);
}

static void
wp_file(const char *path, const char *file)
{
	struct json_object *root = json_object_from_file(path), *groups;
	struct tally t;
	enum kind kind;
	size_t i, n;

	memset(&t, 0, sizeof(t));
	groups = root != NULL ? jarray(root, "testGroups") : NULL;
	if (groups == NULL || kind_of(jstr(root, "schema"), &kind) != 0) {
		printf("# %s: unreadable, or a schema this test does not "
		    "know\n", file);
		t.wrong = 1;
		report(0, file, &t, NULL);
		json_object_put(root);
		return;
	}

	n = json_object_array_length(groups);
	for (i = 0; i < n; i++)
		wp_group(kind, json_object_array_get_idx(groups, i), &t, file);

	report(t.wrong == 0 && t.cases > 0, file, &t,
	    kind == K_RSA_PSS ? "valid for other PSS parameters" :
	    kind == K_ECDSA_DER ? "not strict DER" : NULL);
	json_object_put(root);
}

/* --- RFC examples ---------------------------------------------------- */

struct rfc_token {
	const char	*input;		/* header.payload */
	size_t		 input_len;
	unsigned char	 sig[MAX_SIG];
	size_t		 sig_len;
	int		 sig_ok;	/* the signature segment decodes */
	char		 alg[32];
};

/* Split token and decode what a signature check needs. */
static int
rfc_split(const char *token, struct rfc_token *rt)
{
	const char *d1 = strchr(token, '.'), *d2;
	unsigned char hdr[1024];
	struct json_object *h;
	size_t hlen;

	memset(rt, 0, sizeof(*rt));
	d2 = d1 != NULL ? strchr(d1 + 1, '.') : NULL;
	if (d2 == NULL || strchr(d2 + 1, '.') != NULL)
		return -1;
	rt->input = token;
	rt->input_len = (size_t)(d2 - token);
	rt->sig_ok = b64url_decode(d2 + 1, strlen(d2 + 1), rt->sig,
	    sizeof(rt->sig), &rt->sig_len) == 0;

	if (b64url_decode(token, (size_t)(d1 - token), hdr, sizeof(hdr) - 1,
	    &hlen) != 0)
		return -1;
	hdr[hlen] = '\0';
	h = json_tokener_parse((const char *)hdr);
	if (h != NULL && jstr(h, "alg") != NULL)
		snprintf(rt->alg, sizeof(rt->alg), "%s", jstr(h, "alg"));
	json_object_put(h);
	return 0;
}

/*
 * expected_signature_valid: true must verify, false must not; null means
 * the token must be stopped before or at the signature check (an
 * algorithm we do not have, a segment that does not decode, a signature
 * of the wrong form), so it must not verify either.
 */
static int
rfc_signature(struct json_object *keys, struct json_object *c,
    const char *id, struct tally *t)
{
	struct json_object *ev = NULL, *key = NULL;
	const char *token = jstr(c, "token"), *ref = jstr(c, "key_ref");
	struct rfc_token rt;
	const struct alg *alg = NULL;
	EVP_PKEY *pkey = NULL;
	int got = 0, expect;

	json_object_object_get_ex(c, "expected_signature_valid", &ev);
	expect = json_object_is_type(ev, json_type_boolean) &&
	    json_object_get_boolean(ev);
	if (token == NULL || rfc_split(token, &rt) != 0)
		goto out;
	alg = find(rt.alg);
	if (ref != NULL && json_object_object_get_ex(keys, ref, &key))
		pkey = pem_key(jstr(key, "pem"));
	if (alg != NULL && pkey != NULL && rt.sig_ok)
		got = alg_verify(alg, pkey, rt.input, rt.input_len, rt.sig,
		    rt.sig_len);

out:
	EVP_PKEY_free(pkey);
	if (got == 1)
		t->accepted++;
	else
		t->refused++;
	if (got == expect)
		return 0;
	printf("# %s: signature expected %s, got %d\n", id,
	    expect ? "valid" : "refused", got);
	return 1;
}

/* The verdict a case expects, following "same as" to the case it names. */
static const char *
rfc_verdict_text(struct json_object *cases, struct json_object *c)
{
	const char *v = jstr(c, "expected_authorizer_verdict");
	const char *from = jstr(c, "derived_from"), *id;
	size_t i, n = json_object_array_length(cases);

	if (v == NULL || strncmp(v, "same as", 7) != 0 || from == NULL)
		return v;
	for (i = 0; i < n; i++) {
		id = jstr(json_object_array_get_idx(cases, i), "id");
		if (id != NULL && strncmp(id, from, strlen(from)) == 0 &&
		    id[strlen(from)] == '-')
			return jstr(json_object_array_get_idx(cases, i),
			    "expected_authorizer_verdict");
	}
	return NULL;
}

/* Does status match "400", "401 (...)" or "400 (or 401): ..."? */
static int
rfc_status_matches(const char *verdict, int status)
{
	const char *alt;

	if (verdict == NULL)
		return 0;
	if (atoi(verdict) == status)
		return 1;
	alt = strstr(verdict, "(or ");
	return alt != NULL && atoi(alt + 4) == status;
}

static int
rfc_authorizer(const struct verifier *v, struct json_object *cases,
    struct json_object *c, const char *id)
{
	const char *token = jstr(c, "token");
	const char *verdict = rfc_verdict_text(cases, c);
	struct verify_result res;
	int status;

	if (token == NULL)
		return 1;
	status = reason_http_status(verifier_check(v, token, strlen(token),
	    RFC_NOW, &res));
	if (rfc_status_matches(verdict, status))
		return 0;
	printf("# %s: authorizer expected \"%s\", got %d (%s)\n", id,
	    verdict ? verdict : "?", status, reason_name(res.reason));
	return 1;
}

/*
 * A verifier with the production settings (RSA keys bound to RS512, EC
 * keys to the ES* of their curve), keyed with every key of the file under
 * its own name, the way an operator would register them; the tokens carry
 * no appId, so none can be accepted.
 */
static struct verifier *
rfc_verifier(struct json_object *keys, const char *dir, struct config *cfg)
{
	const struct alg *rs512 = find("RS512"), *alg;
	char path[4096], err[512];
	struct verifier *v;
	EVP_PKEY *pkey;
	FILE *fp;

	json_object_object_foreach(keys, name, key) {
		pkey = pem_key(jstr(key, "pem"));
		alg = pkey != NULL ? alg_default_for_key(pkey, rs512) : NULL;
		if (alg != NULL && alg_check_key(alg, pkey, err,
		    sizeof(err)) == 0) {
			snprintf(path, sizeof(path), "%s/%s_public.pem", dir,
			    name);
			fp = fopen(path, "w");
			if (fp != NULL) {
				fputs(jstr(key, "pem"), fp);
				fclose(fp);
			}
		}
		EVP_PKEY_free(pkey);
	}

	if (config_init(cfg) != 0 ||
	    config_set(cfg, "keys", dir, err, sizeof(err)) != 0)
		return NULL;
	v = verifier_new(cfg, err, sizeof(err));
	if (v == NULL)
		printf("# verifier: %s\n", err);
	return v;
}

static void
rfc_remove_dir(const char *dir)
{
	char path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

static void
rfc_cases(struct json_object *root, const struct verifier *v,
    struct tally *t)
{
	struct json_object *cases = jarray(root, "cases"), *c, *keys = NULL;
	const char *id;
	size_t i, n;
	int bad;

	json_object_object_get_ex(root, "keys", &keys);
	n = cases != NULL ? json_object_array_length(cases) : 0;
	for (i = 0; i < n; i++) {
		c = json_object_array_get_idx(cases, i);
		id = jstr(c, "id") ? jstr(c, "id") : "?";
		bad = rfc_signature(keys, c, id, t);
		bad |= rfc_authorizer(v, cases, c, id);
		t->cases++;
		t->wrong += bad;
	}
}

static void
rfc_file(const char *path, const char *file)
{
	struct json_object *root = json_object_from_file(path), *keys = NULL;
	char dir[] = "/tmp/xtoken-vectors.XXXXXX";
	struct verifier *v = NULL;
	struct config cfg;
	struct tally t;

	memset(&t, 0, sizeof(t));
	memset(&cfg, 0, sizeof(cfg));
	if (root != NULL && json_object_object_get_ex(root, "keys", &keys) &&
	    mkdtemp(dir) != NULL) {
		v = rfc_verifier(keys, dir, &cfg);
		rfc_remove_dir(dir);
	}
	if (v == NULL) {
		printf("# %s: unreadable, or no verifier could be built\n",
		    file);
		t.wrong = 1;
	} else {
		rfc_cases(root, v, &t);
	}
	report(t.wrong == 0 && t.cases > 0, file, &t, NULL);
	verifier_free(v);
	config_free(&cfg);
	json_object_put(root);
}

/* --- driver ---------------------------------------------------------- */

static int
json_name(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && strcmp(de->d_name + n - 5, ".json") == 0;
}

static int
list_dir(const char *dir, struct dirent ***names)
{
	int n = scandir(dir, names, json_name, alphasort);

	return n < 0 ? 0 : n;
}

static void
run_dir(const char *dir, struct dirent **names, int n,
    void (*run)(const char *, const char *))
{
	char path[4096];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		run(path, names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

int
main(void)
{
	const char *material = getenv("XTOKEN_MATERIAL");
	char base[4096], wp[4200], rfc[4200];
	struct dirent **wp_names = NULL, **rfc_names = NULL;
	struct stat st;
	int nwp, nrfc;

	snprintf(base, sizeof(base), "%s/vectors",
	    material != NULL && *material != '\0' ? material : "../shared");
	if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("1..0 # SKIP ../shared/vectors not present\n");
		return 0;
	}
	snprintf(wp, sizeof(wp), "%s/wycheproof", base);
	snprintf(rfc, sizeof(rfc), "%s/rfc", base);

	nwp = list_dir(wp, &wp_names);
	nrfc = list_dir(rfc, &rfc_names);
	if (nwp + nrfc == 0) {
		printf("1..0 # SKIP no vector files under %s\n", base);
		return 0;
	}
	printf("1..%d\n", nwp + nrfc);
	run_dir(wp, wp_names, nwp, wp_file);
	run_dir(rfc, rfc_names, nrfc, rfc_file);

	printf("# all files: cases %ld, accepted %ld, refused %ld, "
	    "wrong %ld\n", total.cases, total.accepted, total.refused,
	    total.wrong);
	return 0;
}
