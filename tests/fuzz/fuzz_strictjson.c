/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * libFuzzer harness for the strict JSON parser: any bytes, not
 * NUL-terminated.  What it accepts must be an object whose members can
 * all be read back, and must parse again once json-c has written it out.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "strictjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_read_members(struct json_object *obj)
{
	const char *str;
	size_t len;

	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (strictjson_get_string(obj, key, &str, &len) == 1)
			(void)strictjson_string_is(str, len, key);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *obj, *again;
	const char *text;

	obj = strictjson_parse_object((const char *)data, size);
	if (obj == NULL)
		return 0;
	if (!json_object_is_type(obj, json_type_object))
		abort();
	fuzz_read_members(obj);

	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	again = strictjson_parse_object(text, strlen(text));
	if (again == NULL) {
		fprintf(stderr, "accepted, then refused its own output: "
		    "%s\n", text);
		abort();
	}
	json_object_put(again);
	json_object_put(obj);
	return 0;
}
