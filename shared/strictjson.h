/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Strict parsing of the small JSON objects inside a token.
 */
#ifndef XTOKEN_STRICTJSON_H
#define XTOKEN_STRICTJSON_H

#include <stdbool.h>
#include <stddef.h>

#include "tokjson.h"

struct json_object;

#define STRICTJSON_MAX_DEPTH	TOKJSON_MAX_DEPTH

/*
 * Parse len bytes as one JSON object that tokjson_validate accepts (RFC
 * 8259 grammar, valid UTF-8, unique member names, nesting at most
 * STRICTJSON_MAX_DEPTH, ...), so key files and policy files meet the
 * rules a token does.  Returns the object (the caller owns it and
 * releases it with json_object_put), or NULL on any deviation.
 */
struct json_object *strictjson_parse_object(const char *buf, size_t len);

/*
 * Look up member key of obj as a string.  Returns 1 and sets *str and *len if
 * it is a string, 0 if it is absent, -1 if it is present with another type.
 * *len counts every byte, so a string with an embedded NUL ("\u0000")
 * cannot pass for a shorter one.
 */
int strictjson_get_string(struct json_object *obj, const char *key,
    const char **str, size_t *len);

/* True if the string of len bytes equals the NUL-terminated want exactly. */
bool strictjson_string_is(const char *str, size_t len, const char *want);

#endif
