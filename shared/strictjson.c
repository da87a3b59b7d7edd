/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Strict JSON on top of json-c: its tokener is lenient by default (it
 * stops after the first value, accepts comments, single quotes and invalid
 * UTF-8), so every text goes through tokjson's validator first, the same
 * rules a token's header and claims meet, and json-c only builds the tree.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "strictjson.h"
#include "tokjson.h"

struct json_object *
strictjson_parse_object(const char *buf, size_t len)
{
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	size_t end;

	if (len == 0 || len > INT32_MAX)
		return NULL;

	if (tokjson_validate(buf, len, NULL, 0, NULL) != 0)
		return NULL;

	/* json-c's limit of n admits n - 1 nested objects and arrays. */
	tok = json_tokener_new_ex(STRICTJSON_MAX_DEPTH + 1);
	if (tok == NULL)
		return NULL;
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);

	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		goto fail;

	/* The tokener stops after one value: the rest must be whitespace. */
	for (end = json_tokener_get_parse_end(tok); end < len; end++) {
		if (strchr(" \t\r\n", buf[end]) == NULL || buf[end] == '\0')
			goto fail;
	}

	if (!json_object_is_type(obj, json_type_object))
		goto fail;

	json_tokener_free(tok);
	return obj;

fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}

int
strictjson_get_string(struct json_object *obj, const char *key,
    const char **str, size_t *len)
{
	struct json_object *member;

	if (!json_object_object_get_ex(obj, key, &member))
		return 0;
	if (!json_object_is_type(member, json_type_string))
		return -1;

	*str = json_object_get_string(member);
	*len = (size_t)json_object_get_string_len(member);
	return 1;
}

bool
strictjson_string_is(const char *str, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(str, want, len) == 0;
}
