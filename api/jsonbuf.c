/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * JSON text written straight into a buffer: cheaper than building json-c
 * objects only to print them, for answers whose shape is fixed.
 */
#include "autoconf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonbuf.h"

#define JSONBUF_MIN	256

void
jsonbuf_init(struct jsonbuf *jb)
{
	memset(jb, 0, sizeof(*jb));
}

void
jsonbuf_free(struct jsonbuf *jb)
{
	free(jb->data);
	jsonbuf_init(jb);
}

/* Make room for need more bytes; 0, or -1 (and failed set). */
static int
jsonbuf_reserve(struct jsonbuf *jb, size_t need)
{
	size_t cap;
	char *p;

	if (jb->failed)
		return -1;
	if (need <= jb->cap - jb->len)
		return 0;

	cap = jb->cap < JSONBUF_MIN ? JSONBUF_MIN : jb->cap;
	while (cap - jb->len < need) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(jb->data, cap)) == NULL)
		goto fail;
	jb->data = p;
	jb->cap = cap;
	return 0;
 fail:
	jb->failed = 1;
	return -1;
}

void
jsonbuf_add(struct jsonbuf *jb, const char *s, size_t len)
{
	if (len == 0 || jsonbuf_reserve(jb, len) != 0)
		return;
	memcpy(jb->data + jb->len, s, len);
	jb->len += len;
}

/* The escape for byte c, or NULL when c is copied as it is. */
static const char *
jsonbuf_escape(unsigned char c, char tmp[7])
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	if (c >= 0x20)
		return NULL;
	memcpy(tmp, "\\u00", 4);
	tmp[4] = hex[c >> 4];
	tmp[5] = hex[c & 0xf];
	tmp[6] = '\0';
	return tmp;
}

void
jsonbuf_add_string(struct jsonbuf *jb, const char *s)
{
	const char *esc;
	char tmp[7];
	size_t i, run = 0;

	jsonbuf_add(jb, "\"", 1);
	for (i = 0; s[i] != '\0'; i++) {
		if ((esc = jsonbuf_escape((unsigned char)s[i], tmp)) == NULL)
			continue;
		/* Copy the plain bytes before this one in one piece. */
		jsonbuf_add(jb, s + run, i - run);
		jsonbuf_add(jb, esc, strlen(esc));
		run = i + 1;
	}
	jsonbuf_add(jb, s + run, i - run);
	jsonbuf_add(jb, "\"", 1);
}

void
jsonbuf_add_int64(struct jsonbuf *jb, int64_t v)
{
	char num[24];
	int n;

	n = snprintf(num, sizeof(num), "%" PRId64, v);
	if (n > 0)
		jsonbuf_add(jb, num, (size_t)n);
}
