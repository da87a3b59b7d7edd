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

#include "b64url.h"
#include "jws.h"

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

/* Where the decoded segments go, one after the other. */
struct jws_space {
	unsigned char	*buf;
	size_t		 cap;
	size_t		 used;
};

/*
 * Decode one segment into the next free bytes of sp, NUL-terminated for
 * safety; *out is where it starts.
 */
static enum reason_code
jws_decode(struct jws_space *sp, const char *seg, size_t len,
    const unsigned char **out, size_t *outlen)
{
	unsigned char *at = sp->buf + sp->used;

	if (b64url_decode(seg, len, at, sp->cap - sp->used - 1, outlen) != 0)
		return REASON_BAD_BASE64;
	at[*outlen] = '\0';
	sp->used += *outlen + 1;
	*out = at;
	return REASON_OK;
}

/* Room for all three decoded segments: in the struct unless too many. */
static int
jws_space(struct jws *jws, const struct jws_segments *seg,
    struct jws_space *sp)
{
	sp->used = 0;
	sp->cap = B64URL_DECODED_MAX(seg->len[0]) +
	    B64URL_DECODED_MAX(seg->len[1]) +
	    B64URL_DECODED_MAX(seg->len[2]) + 3;
	if (sp->cap <= sizeof(jws->inline_buf)) {
		sp->buf = jws->inline_buf;
		return 0;
	}
	jws->heap = malloc(sp->cap);
	sp->buf = jws->heap;
	return sp->buf != NULL ? 0 : -1;
}

/* The header members we read, and those that forbid reading further. */
static enum reason_code
jws_check_header(struct jws *jws)
{
	if (jws->hdr[JWS_CRIT].type != TOKJSON_ABSENT ||
	    jws->hdr[JWS_ENC].type != TOKJSON_ABSENT ||
	    jws->hdr[JWS_ZIP].type != TOKJSON_ABSENT)
		return REASON_UNSUPPORTED_HEADER;

	if (jws->hdr[JWS_ALG].type != TOKJSON_STRING)
		return REASON_BAD_HEADER;

	/* A token in an algorithm we do not have ("none", HS*) can never
	 * verify, so it is refused as such before its payload is read; a
	 * name too long for the buffer is no algorithm we have either. */
	if (tokjson_string_copy(&jws->hdr[JWS_ALG], jws->alg,
	    sizeof(jws->alg), &jws->alg_len) != 0 ||
	    alg_find(jws->alg, jws->alg_len) == NULL)
		return REASON_ALG_NOT_ALLOWED;
	return REASON_OK;
}

static const char *const jws_header_names[JWS_NHEADER] = {
	[JWS_ALG] = "alg",
	[JWS_KID] = "kid",
	[JWS_TYP] = "typ",
	[JWS_CRIT] = "crit",
	[JWS_ENC] = "enc",
	[JWS_ZIP] = "zip",
};

/* Picked members that read as absent: never checked, or refused. */
static void
jws_forget(struct tokjson_value *values, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		values[i].type = TOKJSON_ABSENT;
}

/*
 * Decode one segment and check it as a JSON object, picking the members
 * named in names into values; on a refusal they read as absent.
 */
static enum reason_code
jws_decode_object(struct jws_space *sp, const char *seg, size_t seglen,
    const char *const *names, size_t nnames, struct tokjson_value *values,
    const char **text, size_t *textlen)
{
	const unsigned char *decoded;
	enum reason_code r;

	r = jws_decode(sp, seg, seglen, &decoded, textlen);
	if (r != REASON_OK)
		return r;
	*text = (const char *)decoded;
	if (tokjson_validate(*text, *textlen, names, nnames, values) != 0) {
		jws_forget(values, nnames);
		return REASON_BAD_JSON;
	}
	return REASON_OK;
}

/* Decode the header, check it as JSON and read what it says. */
static enum reason_code
jws_parse_header(struct jws *out, const struct jws_segments *seg,
    struct jws_space *sp)
{
	enum reason_code r;

	r = jws_decode_object(sp, seg->part[0], seg->len[0], jws_header_names,
	    JWS_NHEADER, out->hdr, &out->header, &out->header_len);
	return r != REASON_OK ? r : jws_check_header(out);
}

static enum reason_code
jws_parse_payload(struct jws *out, const struct jws_segments *seg,
    struct jws_space *sp)
{
	return jws_decode_object(sp, seg->part[1], seg->len[1],
	    claims_member_names, CLAIMS_NMEMBERS, out->claim, &out->payload,
	    &out->payload_len);
}

/*
 * Everything but the large buffer: what jws_clear relies on, and picked
 * members that read as absent until a text is checked, so nothing can
 * read an earlier token's members after a failed parse.
 */
static void
jws_init(struct jws *jws)
{
	jws_forget(jws->hdr, JWS_NHEADER);
	jws_forget(jws->claim, CLAIMS_NMEMBERS);
	jws->signing_input = NULL;
	jws->signing_input_len = 0;
	jws->header = NULL;
	jws->payload = NULL;
	jws->sig = NULL;
	jws->header_len = jws->payload_len = jws->sig_len = 0;
	jws->alg[0] = '\0';
	jws->alg_len = 0;
	jws->heap = NULL;
}

enum reason_code
jws_parse(const char *token, size_t len, size_t max_len, struct jws *out)
{
	struct jws_segments seg;
	struct jws_space sp;
	enum reason_code r;

	jws_init(out);

	/* Cap first: nothing below should ever see an oversized input. */
	if (len > max_len)
		return REASON_TOKEN_TOO_LARGE;

	r = jws_split(token, len, &seg);
	if (r != REASON_OK)
		return r;
	out->signing_input = token;
	out->signing_input_len = seg.len[0] + 1 + seg.len[1];

	if (jws_space(out, &seg, &sp) != 0)
		return REASON_INTERNAL;

	r = jws_parse_header(out, &seg, &sp);
	if (r != REASON_OK)
		return r;
	r = jws_parse_payload(out, &seg, &sp);
	if (r != REASON_OK)
		return r;

	return jws_decode(&sp, seg.part[2], seg.len[2], &out->sig,
	    &out->sig_len);
}

void
jws_clear(struct jws *jws)
{
	free(jws->heap);
	jws_init(jws);
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
