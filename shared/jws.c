/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Splitting and decoding of compact JWS tokens.  Nothing here trusts the
 * token: it only turns bytes into structures for the verifier to judge.
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "b64url.h"
#include "jws.h"
#include "strictjson.h"

struct jws_segments {
	const char	*part[3];
	size_t		 len[3];
};

/*
 * Find the two dots with memchr and stop at a third, so a token made of a
 * million dots costs no more than any other token of its length.
 */
static enum reason_code
jws_split(const char *token, size_t len, struct jws_segments *seg)
{
	const char *p = token, *end = token + len, *dot;
	int n;

	for (n = 0; n < 2; n++) {
		dot = memchr(p, '.', (size_t)(end - p));
		if (dot == NULL)
			return REASON_MALFORMED;
		seg->part[n] = p;
		seg->len[n] = (size_t)(dot - p);
		p = dot + 1;
	}
	if (memchr(p, '.', (size_t)(end - p)) != NULL)
		return REASON_MALFORMED;
	seg->part[2] = p;
	seg->len[2] = (size_t)(end - p);

	/* An empty header or payload is no JWS; an empty signature is
	 * judged later, as a signature of the wrong length. */
	if (seg->len[0] == 0 || seg->len[1] == 0)
		return REASON_MALFORMED;
	return REASON_OK;
}

/* Decode one segment into a fresh buffer, NUL-terminated for safety. */
static enum reason_code
jws_decode(const char *seg, size_t len, unsigned char **out, size_t *outlen)
{
	size_t cap = B64URL_DECODED_MAX(len) + 1;
	unsigned char *buf;

	buf = malloc(cap);
	if (buf == NULL)
		return REASON_INTERNAL;
	if (b64url_decode(seg, len, buf, cap, outlen) != 0) {
		free(buf);
		return REASON_BAD_BASE64;
	}
	buf[*outlen] = '\0';
	*out = buf;
	return REASON_OK;
}

/* Decode one segment and parse it as a strict JSON object. */
static enum reason_code
jws_decode_object(const char *seg, size_t len, struct json_object **out)
{
	unsigned char *buf = NULL;
	size_t buflen;
	enum reason_code r;

	r = jws_decode(seg, len, &buf, &buflen);
	if (r != REASON_OK)
		return r;

	*out = strictjson_parse_object((const char *)buf, buflen);
	free(buf);
	return *out != NULL ? REASON_OK : REASON_BAD_JSON;
}

/* The header members we read, and those that forbid reading further. */
static enum reason_code
jws_check_header(struct jws *jws)
{
	static const char *const refused[] = { "crit", "enc", "zip" };
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (json_object_object_get_ex(jws->header, refused[i], NULL))
			return REASON_UNSUPPORTED_HEADER;
	}

	if (strictjson_get_string(jws->header, "alg", &jws->alg,
	    &jws->alg_len) != 1)
		return REASON_BAD_HEADER;

	/* A token in an algorithm we do not have ("none", HS*) can never
	 * verify, so it is refused as such before its payload is read. */
	if (alg_find(jws->alg, jws->alg_len) == NULL)
		return REASON_ALG_NOT_ALLOWED;
	return REASON_OK;
}

enum reason_code
jws_parse(const char *token, size_t len, size_t max_len, struct jws *out)
{
	struct jws_segments seg;
	enum reason_code r;

	memset(out, 0, sizeof(*out));

	/* Cap first: nothing below should ever see an oversized input. */
	if (len > max_len)
		return REASON_TOKEN_TOO_LARGE;

	r = jws_split(token, len, &seg);
	if (r != REASON_OK)
		return r;
	out->signing_input = token;
	out->signing_input_len = seg.len[0] + 1 + seg.len[1];

	r = jws_decode_object(seg.part[0], seg.len[0], &out->header);
	if (r != REASON_OK)
		return r;
	r = jws_check_header(out);
	if (r != REASON_OK)
		return r;

	r = jws_decode_object(seg.part[1], seg.len[1], &out->payload);
	if (r != REASON_OK)
		return r;

	return jws_decode(seg.part[2], seg.len[2], &out->sig, &out->sig_len);
}

void
jws_clear(struct jws *jws)
{
	json_object_put(jws->header);
	json_object_put(jws->payload);
	free(jws->sig);
	memset(jws, 0, sizeof(*jws));
}

/* Append base64url(in) at out + *pos; out has room (see jws_sign). */
static void
jws_append(char *out, size_t cap, size_t *pos, const void *in, size_t len)
{
	*pos += b64url_encode(in, len, out + *pos, cap - *pos);
}

char *
jws_sign(const struct alg *alg, EVP_PKEY *pkey, const char *header,
    const char *payload)
{
	unsigned char *sig = NULL;
	size_t hlen = strlen(header), plen = strlen(payload), siglen;
	size_t cap, pos = 0;
	char *token = NULL;

	/* Room for the signature of the largest key the verifier accepts. */
	cap = B64URL_ENCODED_LEN(hlen) + B64URL_ENCODED_LEN(plen) +
	    B64URL_ENCODED_LEN(ALG_RSA_MAX_BITS / 8) + 3;
	token = malloc(cap);
	if (token == NULL)
		return NULL;

	jws_append(token, cap, &pos, header, hlen);
	token[pos++] = '.';
	jws_append(token, cap, &pos, payload, plen);

	if (alg_sign(alg, pkey, token, pos, &sig, &siglen) != 0 ||
	    siglen > ALG_RSA_MAX_BITS / 8) {
		free(sig);
		free(token);
		return NULL;
	}
	token[pos++] = '.';
	jws_append(token, cap, &pos, sig, siglen);

	free(sig);
	return token;
}
