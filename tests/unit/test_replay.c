/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the replay memory and of the shared state file that
 * holds it: expiry, a full table refusing, several mappings of one file
 * seeing the same data, and files that must be refused.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "replay.h"
#include "state.h"

#define NOW	INT64_C(1800000000)

static void
make_id(unsigned char *id, uint32_t n)
{
	uint32_t i;

	/* Spread like a hash: the home slot comes from the first bytes. */
	for (i = 0; i < VERIFIER_TOKEN_ID_LEN; i++)
		id[i] = (unsigned char)((n * 2654435761u) >> ((i % 4) * 8)) ^
		    (unsigned char)i;
	memcpy(id + 16, &n, sizeof(n));
}

static struct replay_table *
new_table(size_t capacity)
{
	struct replay_table *t = calloc(1, replay_table_size(capacity));

	assert_non_null(t);
	replay_table_init(t, capacity);
	return t;
}

static void
test_second_use_is_seen(void **state)
{
	struct replay_table *t = new_table(1024);
	unsigned char a[VERIFIER_TOKEN_ID_LEN], b[VERIFIER_TOKEN_ID_LEN];

	make_id(a, 1);
	make_id(b, 2);
	assert_int_equal(replay_remember(t, a, NOW + 330, NOW), REPLAY_NEW);
	assert_int_equal(replay_remember(t, b, NOW + 330, NOW), REPLAY_NEW);
	assert_int_equal(replay_remember(t, a, NOW + 330, NOW + 10),
	    REPLAY_SEEN);
	assert_int_equal(replay_remember(t, a, NOW + 330, NOW + 329),
	    REPLAY_SEEN);
	assert_int_equal(replay_count(t, NOW), 2);
	free(t);
}

static void
test_expired_entry_is_forgotten(void **state)
{
	struct replay_table *t = new_table(1024);
	unsigned char a[VERIFIER_TOKEN_ID_LEN];

	make_id(a, 7);
	assert_int_equal(replay_remember(t, a, NOW + 330, NOW), REPLAY_NEW);
	/* At exp + leeway the verifier refuses the token by itself. */
	assert_int_equal(replay_count(t, NOW + 330), 0);
	assert_int_equal(replay_remember(t, a, NOW + 700, NOW + 330),
	    REPLAY_NEW);
	free(t);
}

static void
test_full_table_refuses_new_tokens(void **state)
{
	struct replay_table *t = new_table(REPLAY_MIN_CAPACITY);
	unsigned char id[VERIFIER_TOKEN_ID_LEN];
	uint32_t i;

	for (i = 0; i < REPLAY_MIN_CAPACITY; i++) {
		make_id(id, i);
		assert_int_equal(replay_remember(t, id, NOW + 300, NOW),
		    REPLAY_NEW);
	}
	make_id(id, 100000);
	assert_int_equal(replay_remember(t, id, NOW + 300, NOW), REPLAY_FULL);
	/* Every remembered token is still refused: none was pushed out. */
	for (i = 0; i < REPLAY_MIN_CAPACITY; i++) {
		make_id(id, i);
		assert_int_equal(replay_remember(t, id, NOW + 300, NOW + 1),
		    REPLAY_SEEN);
	}
	/* Once they expire there is room again. */
	make_id(id, 100000);
	assert_int_equal(replay_remember(t, id, NOW + 600, NOW + 300),
	    REPLAY_NEW);
	free(t);
}

/* Many tokens over time in a small table: expired entries are reused
 * and live ones are always found. */
static void
test_churn(void **state)
{
	struct replay_table *t = new_table(4096);
	unsigned char id[VERIFIER_TOKEN_ID_LEN];
	uint32_t i;

	for (i = 0; i < 200000; i++) {
		make_id(id, i);
		/* 10 tokens a second, each alive 60 s: 600 live at once. */
		assert_int_equal(replay_remember(t, id, NOW + i / 10 + 60,
		    NOW + i / 10), REPLAY_NEW);
		if (i >= 500) {
			make_id(id, i - 500);
			assert_int_equal(replay_remember(t, id,
			    NOW + (i - 500) / 10 + 60, NOW + i / 10),
			    REPLAY_SEEN);
		}
	}
	free(t);
}

static char *
temp_path(void)
{
	char *path = strdup("/tmp/xtoken-state-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	return path;
}

static void
test_state_file_is_shared(void **state)
{
	char *path = temp_path();
	unsigned char id[VERIFIER_TOKEN_ID_LEN];
	struct state *a, *b;
	bool created = false;
	struct stat sb;
	char err[256];

	a = state_open(path, 1024, STATE_CREATE, &created, err, sizeof(err));
	assert_non_null(a);
	assert_true(created);
	assert_true(state_is_shared(a));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	b = state_open(path, 1024, STATE_CREATE, &created, err, sizeof(err));
	assert_non_null(b);
	assert_false(created);

	make_id(id, 42);
	assert_int_equal(state_lock(a), 0);
	assert_int_equal(replay_remember(state_replay(a), id, NOW + 300,
	    NOW), REPLAY_NEW);
	state_unlock(a);
	assert_int_equal(state_lock(b), 0);
	assert_int_equal(replay_remember(state_replay(b), id, NOW + 300,
	    NOW), REPLAY_SEEN);
	state_unlock(b);

	state_close(a);
	state_close(b);
	unlink(path);
	free(path);
}

static void
test_state_other_layout_refused_while_in_use(void **state)
{
	char *path = temp_path();
	struct state *a, *b;
	char err[256] = "";

	a = state_open(path, 1024, STATE_CREATE, NULL, err, sizeof(err));
	assert_non_null(a);
	b = state_open(path, 2048, STATE_CREATE, NULL, err, sizeof(err));
	assert_null(b);
	assert_non_null(strstr(err, "another layout"));
	state_close(a);

	/* Alone, a process sets the file up for its own layout. */
	b = state_open(path, 2048, STATE_CREATE, NULL, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(state_replay(b)->capacity, 2048);
	state_close(b);
	unlink(path);
	free(path);
}

static void
test_state_kept_across_restarts(void **state)
{
	char *path = temp_path();
	unsigned char id[VERIFIER_TOKEN_ID_LEN];
	struct state *a;
	bool created = true;
	char err[256];

	make_id(id, 9);
	a = state_open(path, 1024, STATE_CREATE, NULL, err, sizeof(err));
	assert_non_null(a);
	assert_int_equal(state_lock(a), 0);
	replay_remember(state_replay(a), id, NOW + 300, NOW);
	state_unlock(a);
	state_close(a);

	a = state_open(path, 1024, STATE_CREATE, &created, err, sizeof(err));
	assert_non_null(a);
	assert_false(created);
	assert_int_equal(state_lock(a), 0);
	assert_int_equal(replay_remember(state_replay(a), id, NOW + 300,
	    NOW + 1), REPLAY_SEEN);
	state_unlock(a);
	state_close(a);
	unlink(path);
	free(path);
}

/* A process killed while holding the lock does not wedge the others. */
static void
test_state_lock_survives_dead_holder(void **state)
{
	char *path = temp_path();
	struct state *a, *b;
	char err[256];
	pid_t pid;
	int status;

	a = state_open(path, 1024, STATE_CREATE, NULL, err, sizeof(err));
	assert_non_null(a);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		b = state_open(path, 1024, STATE_CREATE, NULL, err,
		    sizeof(err));
		if (b == NULL || state_lock(b) != 0)
			_exit(1);
		_exit(0);	/* dies holding the lock */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(state_lock(a), 1);
	state_unlock(a);
	assert_int_equal(state_lock(a), 0);
	state_unlock(a);
	state_close(a);
	unlink(path);
	free(path);
}

static void
test_state_refuses_bad_files(void **state)
{
	char *path = temp_path();
	struct state *a;
	char err[256] = "";
	FILE *fp;

	/* Readable by others: anyone could learn or, if writable, lift. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0644), 0);
	a = state_open(path, 1024, STATE_CREATE, NULL, err, sizeof(err));
	assert_null(a);
	assert_non_null(strstr(err, "0600"));
	unlink(path);

	/* Attaching never creates. */
	a = state_open(path, 1024, STATE_ATTACH, NULL, err, sizeof(err));
	assert_null(a);
	assert_non_null(strstr(err, path));

	/* A symbolic link is not followed. */
	assert_int_equal(symlink("/etc/passwd", path), 0);
	a = state_open(path, 1024, STATE_CREATE, NULL, err, sizeof(err));
	assert_null(a);
	unlink(path);
	free(path);
}

static void
test_state_attach_reads_layout(void **state)
{
	char *path = temp_path();
	struct state *a, *b;
	char err[256];

	a = state_open(path, 3000, STATE_CREATE, NULL, err, sizeof(err));
	assert_non_null(a);
	assert_int_equal(state_lock(a), 0);
	metrics_record(state_metrics(a), "shop", REASON_OK, 1000);
	state_unlock(a);

	b = state_open(path, 0, STATE_ATTACH, NULL, err, sizeof(err));
	assert_non_null(b);
	assert_int_equal(state_replay(b)->capacity, 3000);
	assert_string_equal(state_metrics(b)->apps[0].app_id, "shop");
	assert_int_equal(state_metrics(b)->apps[0].count[REASON_OK], 1);
	state_close(b);
	state_close(a);
	unlink(path);
	free(path);
}

static void
test_state_private(void **state)
{
	unsigned char id[VERIFIER_TOKEN_ID_LEN];
	struct state *a;
	char err[256];

	a = state_open(NULL, 1024, STATE_CREATE, NULL, err, sizeof(err));
	assert_non_null(a);
	assert_false(state_is_shared(a));
	make_id(id, 3);
	assert_int_equal(state_lock(a), 0);
	assert_int_equal(replay_remember(state_replay(a), id, NOW + 1, NOW),
	    REPLAY_NEW);
	state_unlock(a);
	state_close(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_use_is_seen),
		cmocka_unit_test(test_expired_entry_is_forgotten),
		cmocka_unit_test(test_full_table_refuses_new_tokens),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_state_file_is_shared),
		cmocka_unit_test(test_state_other_layout_refused_while_in_use),
		cmocka_unit_test(test_state_kept_across_restarts),
		cmocka_unit_test(test_state_lock_survives_dead_holder),
		cmocka_unit_test(test_state_refuses_bad_files),
		cmocka_unit_test(test_state_attach_reads_layout),
		cmocka_unit_test(test_state_private),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
