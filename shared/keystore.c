/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Loading of <appId>_public.pem files and lookup by appId.
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

#include <openssl/err.h>
#include <openssl/pem.h>

#include "keystore.h"

/* Length of the appId in a file name, or 0 if it is not a key file name. */
static size_t
keystore_app_id_len(const char *name, const char *suffix)
{
	size_t len = strlen(name), slen = strlen(suffix);

	if (len <= slen || strcmp(name + len - slen, suffix) != 0)
		return 0;
	return len - slen;
}

/* Read one PEM public key from an open regular file of bounded size. */
static EVP_PKEY *
keystore_read_pem(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;
	EVP_PKEY *pkey = NULL;
	FILE *fp;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_size > KEYSTORE_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %d bytes, not a key",
		    path, KEYSTORE_MAX_FILE);
		close(fd);
		return NULL;
	}

	fp = fdopen(fd, "r");
	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	pkey = PEM_read_PUBKEY(fp, NULL, NULL, NULL);
	fclose(fp);
	ERR_clear_error();

	if (pkey == NULL)
		snprintf(err, errlen, "%s: not a PEM public key "
		    "(expected -----BEGIN PUBLIC KEY-----)", path);
	return pkey;
}

/* Load dir/name as the key of the appId its name starts with. */
static int
keystore_load_file(struct keystore_entry *e, const char *dir,
    const char *name, size_t id_len, const struct alg *alg, char *err,
    size_t errlen)
{
	char path[4096], why[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!claims_app_id_valid(name, id_len)) {
		snprintf(err, errlen, "%s: \"%.*s\" is not a valid appId "
		    "(1-%d characters of A-Z a-z 0-9 . _ -, not starting "
		    "with a dot)", path, (int)id_len, name, CLAIMS_APP_ID_MAX);
		return -1;
	}

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	e->pkey = keystore_read_pem(fd, path, err, errlen);
	if (e->pkey == NULL)
		return -1;

	if (alg_check_key(alg, e->pkey, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s: refused: %s", path, why);
		EVP_PKEY_free(e->pkey);
		e->pkey = NULL;
		return -1;
	}

	memcpy(e->app_id, name, id_len);
	e->app_id[id_len] = '\0';
	e->alg = alg;
	return 0;
}

/* Grow the entry array by one slot. */
static struct keystore_entry *
keystore_add(struct keystore *ks)
{
	struct keystore_entry *grown;

	grown = reallocarray(ks->entries, ks->count + 1, sizeof(*grown));
	if (grown == NULL)
		return NULL;
	ks->entries = grown;
	memset(&grown[ks->count], 0, sizeof(*grown));
	return &grown[ks->count];
}

/* Handle one directory entry: load it, skip it, or refuse it. */
static int
keystore_consider(struct keystore *ks, const char *dir, const char *name,
    const struct alg *alg, char *err, size_t errlen)
{
	struct keystore_entry *e;
	size_t id_len;

	if (name[0] == '.')
		return 0;
	if (keystore_app_id_len(name, "_private.pem") != 0) {
		snprintf(err, errlen, "%s/%s: a private key does not belong "
		    "in the keys directory; keep it with its application",
		    dir, name);
		return -1;
	}
	id_len = keystore_app_id_len(name, KEYSTORE_SUFFIX);
	if (id_len == 0)
		return 0;

	e = keystore_add(ks);
	if (e == NULL) {
		snprintf(err, errlen, "out of memory loading keys");
		return -1;
	}
	if (keystore_load_file(e, dir, name, id_len, alg, err, errlen) != 0)
		return -1;
	ks->count++;
	return 0;
}

static int
keystore_cmp(const void *a, const void *b)
{
	const struct keystore_entry *ea = a, *eb = b;

	return strcmp(ea->app_id, eb->app_id);
}

int
keystore_load_dir(struct keystore *ks, const char *dir,
    const struct alg *alg, char *err, size_t errlen)
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
		if (keystore_consider(ks, dir, de->d_name, alg, err,
		    errlen) != 0)
			goto out;
	}
	if (ks->count == 0) {
		snprintf(err, errlen, "keys directory %s holds no "
		    "<appId>%s file", dir, KEYSTORE_SUFFIX);
		goto out;
	}

	qsort(ks->entries, ks->count, sizeof(*ks->entries), keystore_cmp);
	result = 0;

out:
	closedir(d);
	if (result != 0)
		keystore_clear(ks);
	return result;
}

const struct keystore_entry *
keystore_find(const struct keystore *ks, const char *app_id, size_t len)
{
	struct keystore_entry probe;

	if (len == 0 || len > CLAIMS_APP_ID_MAX || memchr(app_id, 0, len))
		return NULL;
	memcpy(probe.app_id, app_id, len);
	probe.app_id[len] = '\0';

	return bsearch(&probe, ks->entries, ks->count, sizeof(probe),
	    keystore_cmp);
}

void
keystore_clear(struct keystore *ks)
{
	size_t i;

	for (i = 0; i < ks->count; i++)
		EVP_PKEY_free(ks->entries[i].pkey);
	free(ks->entries);
	memset(ks, 0, sizeof(*ks));
}
