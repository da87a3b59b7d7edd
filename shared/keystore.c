/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Loading of the key files and lookup by appId.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "jwk.h"
#include "keystore.h"
#include "strictjson.h"

/* What one file is about to add, before it is known to be good. */
struct keystore_file {
	const char	*dir;
	const char	*name;
	char		 path[4096];
	char		 app_id[CLAIMS_APP_ID_MAX + 1];
	char		 kid[KEYSTORE_KID_MAX + 1];
};

bool
keystore_kid_valid(const char *kid, size_t len)
{
	size_t i;

	if (len == 0 || len > KEYSTORE_KID_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (kid[i] <= 0x20 || kid[i] >= 0x7f)
			return false;
	}
	return true;
}

/* Length of the stem before suffix, or 0 if name does not end so. */
static size_t
keystore_stem_len(const char *name, const char *suffix)
{
	size_t len = strlen(name), slen = strlen(suffix);

	if (len <= slen || strcmp(name + len - slen, suffix) != 0)
		return 0;
	return len - slen;
}

/* Split "<appId>[@<kid>]" and check both parts. */
static int
keystore_parse_stem(struct keystore_file *f, size_t stem_len, char *err,
    size_t errlen)
{
	const char *mark = memchr(f->name, KEYSTORE_KID_MARK, stem_len);
	size_t app_len = mark ? (size_t)(mark - f->name) : stem_len;
	size_t kid_len = mark ? stem_len - app_len - 1 : 0;

	if (!claims_app_id_valid(f->name, app_len)) {
		snprintf(err, errlen, "%s: \"%.*s\" is not a valid appId "
		    "(1-%d characters of A-Z a-z 0-9 . _ -, not starting "
		    "with a dot)", f->path, (int)app_len, f->name,
		    CLAIMS_APP_ID_MAX);
		return -1;
	}
	if (mark != NULL && !claims_app_id_valid(mark + 1, kid_len)) {
		snprintf(err, errlen, "%s: key ID \"%.*s\" must be 1-%d "
		    "characters of A-Z a-z 0-9 . _ -", f->path, (int)kid_len,
		    mark + 1, CLAIMS_APP_ID_MAX);
		return -1;
	}
	memcpy(f->app_id, f->name, app_len);
	f->app_id[app_len] = '\0';
	memcpy(f->kid, mark ? mark + 1 : "", kid_len);
	f->kid[kid_len] = '\0';
	return 0;
}

/* Read a whole regular file of bounded size; the caller frees it. */
static char *
keystore_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > KEYSTORE_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %d bytes, not a key "
		    "file", path, KEYSTORE_MAX_FILE);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	n = read(fd, buf, (size_t)st.st_size);
	if (n != st.st_size) {
		snprintf(err, errlen, "%s: short read", path);
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	*len = (size_t)n;

out:
	close(fd);
	return buf;
}

/* Grow the entry array by one zeroed slot (not yet counted). */
static struct keystore_entry *
keystore_slot(struct keystore *ks)
{
	struct keystore_entry *grown;

	grown = reallocarray(ks->entries, ks->count + 1, sizeof(*grown));
	if (grown == NULL)
		return NULL;
	ks->entries = grown;
	memset(&grown[ks->count], 0, sizeof(*grown));
	return &grown[ks->count];
}

/*
 * Bind pkey to its algorithm, check that it fits, and add it.  Takes
 * ownership of pkey whatever the outcome.
 */
static int
keystore_add(struct keystore *ks, const struct keystore_file *f,
    const char *kid, EVP_PKEY *pkey, const struct alg *alg, char *err,
    size_t errlen)
{
	struct keystore_entry *e;
	char why[256];

	if (alg == NULL) {
		snprintf(err, errlen, "%s: %s keys are not supported", f->path,
		    EVP_PKEY_get0_type_name(pkey));
		goto fail;
	}
	if (alg_check_key(alg, pkey, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s: refused: %s", f->path, why);
		goto fail;
	}
	e = keystore_slot(ks);
	if (e == NULL || (e->source = strdup(f->name)) == NULL ||
	    (e->prep = alg_prepare(alg, pkey)) == NULL) {
		if (e != NULL) {
			free(e->source);
			e->source = NULL;
		}
		snprintf(err, errlen, "out of memory loading keys");
		goto fail;
	}

	memcpy(e->app_id, f->app_id, sizeof(e->app_id));
	snprintf(e->kid, sizeof(e->kid), "%s", kid);
	e->alg = alg;
	e->pkey = pkey;
	ks->count++;
	return 0;

fail:
	EVP_PKEY_free(pkey);
	return -1;
}

static int
keystore_load_pem(struct keystore *ks, const struct keystore_file *f,
    const struct alg *rsa_alg, char *err, size_t errlen)
{
	EVP_PKEY *pkey = NULL;
	size_t len;
	char *text;
	BIO *bio;

	text = keystore_read_file(f->path, &len, err, errlen);
	if (text == NULL)
		return -1;

	/* OpenSSL skips PEM blocks of other types to find the public key,
	 * so a private key beside it would pass unnoticed. */
	if (strstr(text, "PRIVATE KEY-----") != NULL) {
		snprintf(err, errlen, "%s: holds a private key; the keys "
		    "directory takes public keys only", f->path);
		free(text);
		return -1;
	}
	bio = BIO_new_mem_buf(text, (int)len);
	if (bio != NULL)
		pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(text);
	ERR_clear_error();

	if (pkey == NULL) {
		snprintf(err, errlen, "%s: not a PEM public key "
		    "(expected -----BEGIN PUBLIC KEY-----)", f->path);
		return -1;
	}
	return keystore_add(ks, f, f->kid, pkey,
	    alg_default_for_key(pkey, rsa_alg), err, errlen);
}

/* One JWK of a set: its alg, when given, must name one of ours. */
static int
keystore_load_jwk(struct keystore *ks, const struct keystore_file *f,
    struct json_object *obj, size_t index, const struct alg *rsa_alg,
    char *err, size_t errlen)
{
	const struct alg *alg;
	struct jwk_key jwk;
	char why[256];

	if (jwk_to_key(obj, &jwk, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s: key %zu: %s", f->path, index, why);
		return -1;
	}
	if (jwk.kid != NULL && !keystore_kid_valid(jwk.kid,
	    strlen(jwk.kid))) {
		snprintf(err, errlen, "%s: key %zu: \"kid\" must be 1-%d "
		    "printable characters", f->path, index, KEYSTORE_KID_MAX);
		EVP_PKEY_free(jwk.pkey);
		return -1;
	}
	alg = jwk.alg != NULL ? alg_find(jwk.alg, strlen(jwk.alg)) :
	    alg_default_for_key(jwk.pkey, rsa_alg);
	if (alg == NULL && jwk.alg != NULL) {
		snprintf(err, errlen, "%s: key %zu: \"alg\" \"%s\" is not "
		    "supported", f->path, index, jwk.alg);
		EVP_PKEY_free(jwk.pkey);
		return -1;
	}
	return keystore_add(ks, f, jwk.kid ? jwk.kid : "", jwk.pkey, alg,
	    err, errlen);
}

static int
keystore_load_jwks(struct keystore *ks, const struct keystore_file *f,
    const struct alg *rsa_alg, char *err, size_t errlen)
{
	struct json_object *set = NULL, *keys;
	size_t len, i, n;
	char *text;
	int result = -1;

	text = keystore_read_file(f->path, &len, err, errlen);
	if (text == NULL)
		return -1;
	set = strictjson_parse_object(text, len);
	free(text);
	if (set == NULL || !json_object_object_get_ex(set, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array) ||
	    (n = json_object_array_length(keys)) == 0) {
		snprintf(err, errlen, "%s: not a JWK Set (a strict JSON "
		    "object with a non-empty \"keys\" array)", f->path);
		goto out;
	}

	for (i = 0; i < n; i++) {
		if (keystore_load_jwk(ks, f, json_object_array_get_idx(keys,
		    i), i, rsa_alg, err, errlen) != 0)
			goto out;
	}
	result = 0;

out:
	json_object_put(set);
	return result;
}

/* Handle one directory entry: load it, skip it, or refuse it. */
static int
keystore_consider(struct keystore *ks, const char *dir, const char *name,
    const struct alg *rsa_alg, char *err, size_t errlen)
{
	struct keystore_file f = { .dir = dir, .name = name };
	size_t pem_len, jwks_len;

	if (name[0] == '.')
		return 0;
	snprintf(f.path, sizeof(f.path), "%s/%s", dir, name);
	if (keystore_stem_len(name, "_private.pem") != 0) {
		snprintf(err, errlen, "%s: a private key does not belong in "
		    "the keys directory; keep it with its application",
		    f.path);
		return -1;
	}

	pem_len = keystore_stem_len(name, KEYSTORE_PEM_SUFFIX);
	jwks_len = keystore_stem_len(name, KEYSTORE_JWKS_SUFFIX);
	if (pem_len == 0 && jwks_len == 0)
		return 0;
	if (keystore_parse_stem(&f, pem_len ? pem_len : jwks_len, err,
	    errlen) != 0)
		return -1;
	if (jwks_len != 0 && f.kid[0] != '\0') {
		snprintf(err, errlen, "%s: a JWK Set names its key IDs "
		    "inside; name the file <appId>%s", f.path,
		    KEYSTORE_JWKS_SUFFIX);
		return -1;
	}

	if (pem_len != 0)
		return keystore_load_pem(ks, &f, rsa_alg, err, errlen);
	return keystore_load_jwks(ks, &f, rsa_alg, err, errlen);
}

static int
keystore_cmp(const void *a, const void *b)
{
	const struct keystore_entry *ea = a, *eb = b;
	int c = strcmp(ea->app_id, eb->app_id);

	return c != 0 ? c : strcmp(ea->kid, eb->kid);
}

/* After sorting: the same (appId, kid) twice makes "kid" ambiguous. */
static int
keystore_check_unique(const struct keystore *ks, char *err, size_t errlen)
{
	const struct keystore_entry *a, *b;
	size_t i;

	for (i = 1; i < ks->count; i++) {
		a = &ks->entries[i - 1];
		b = &ks->entries[i];
		if (b->kid[0] != '\0' && keystore_cmp(a, b) == 0) {
			snprintf(err, errlen, "key ID \"%s\" of %s is given "
			    "twice (%s and %s)", b->kid, b->app_id, a->source,
			    b->source);
			return -1;
		}
	}
	return 0;
}

int
keystore_load_dir(struct keystore *ks, const char *dir,
    const struct alg *rsa_alg, char *err, size_t errlen)
{
	struct dirent *de;
	DIR *d;
	int result = -1;

	memset(ks, 0, sizeof(*ks));
	d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "keys directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}

	while ((de = readdir(d)) != NULL) {
		if (keystore_consider(ks, dir, de->d_name, rsa_alg, err,
		    errlen) != 0)
			goto out;
	}
	if (ks->count == 0) {
		snprintf(err, errlen, "keys directory %s holds no key file "
		    "(<appId>%s or <appId>%s)", dir, KEYSTORE_PEM_SUFFIX,
		    KEYSTORE_JWKS_SUFFIX);
		goto out;
	}

	qsort(ks->entries, ks->count, sizeof(*ks->entries), keystore_cmp);
	result = keystore_check_unique(ks, err, errlen);

out:
	closedir(d);
	if (result != 0)
		keystore_clear(ks);
	return result;
}

/* First entry whose app_id is not below key (binary search). */
static size_t
keystore_lower_bound(const struct keystore *ks, const char *key)
{
	size_t lo = 0, hi = ks->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ks->entries[mid].app_id, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
keystore_app_keys(const struct keystore *ks, const char *app_id,
    size_t len, const struct keystore_entry **first)
{
	char key[CLAIMS_APP_ID_MAX + 1];
	size_t lo, hi;

	*first = NULL;
	if (len == 0 || len > CLAIMS_APP_ID_MAX || memchr(app_id, 0, len))
		return 0;
	memcpy(key, app_id, len);
	key[len] = '\0';

	lo = keystore_lower_bound(ks, key);
	for (hi = lo; hi < ks->count; hi++) {
		if (strcmp(ks->entries[hi].app_id, key) != 0)
			break;
	}
	if (hi > lo)
		*first = &ks->entries[lo];
	return hi - lo;
}

size_t
keystore_app_count(const struct keystore *ks)
{
	size_t i, apps = 0;

	for (i = 0; i < ks->count; i++) {
		if (i == 0 || strcmp(ks->entries[i - 1].app_id,
		    ks->entries[i].app_id) != 0)
			apps++;
	}
	return apps;
}

void
keystore_clear(struct keystore *ks)
{
	size_t i;

	for (i = 0; i < ks->count; i++) {
		alg_prepared_free(ks->entries[i].prep);
		EVP_PKEY_free(ks->entries[i].pkey);
		free(ks->entries[i].source);
	}
	free(ks->entries);
	memset(ks, 0, sizeof(*ks));
}
