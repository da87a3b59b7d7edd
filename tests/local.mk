# SPDX-License-Identifier: MIT
# make check: cmocka unit tests of shared/ and integration tests against
# real lighttpd and Apache.  Every test speaks TAP, so the summary counts
# single checks, not files.

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
TEST_EXTENSIONS = .sh

# Where the tests find the programs, their own helpers and the material
# beside the repository (../shared; tests that need it skip without it).
AM_TESTS_ENVIRONMENT = \
	CMOCKA_MESSAGE_OUTPUT=TAP; export CMOCKA_MESSAGE_OUTPUT; \
	XTOKEN_BUILDDIR='$(abs_top_builddir)'; export XTOKEN_BUILDDIR; \
	XTOKEN_SRCDIR='$(abs_top_srcdir)'; export XTOKEN_SRCDIR; \
	: $${XTOKEN_MATERIAL:='$(abs_top_srcdir)/../shared'}; \
	export XTOKEN_MATERIAL;

UNIT_TESTS = \
	tests/unit/test_alg \
	tests/unit/test_b64url \
	tests/unit/test_claims \
	tests/unit/test_tokjson \
	tests/unit/test_config \
	tests/unit/test_vectors \
	tests/unit/test_verifier \
	tests/unit/test_fastpath \
	tests/unit/test_keys \
	tests/unit/test_policy \
	tests/unit/test_pathnorm \
	tests/unit/test_access \
	tests/unit/test_rates \
	tests/unit/test_replay \
	tests/unit/test_metrics \
	tests/unit/test_xtlog \
	tests/unit/test_jsonbuf

check_PROGRAMS = $(UNIT_TESTS)
UNIT_LDADD = $(XTOKEN_LIBS) $(CMOCKA_LIBS) $(FCGI_LIBS)
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_rates_LDADD = $(UNIT_LDADD)
tests_unit_test_rates_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_replay_LDADD = $(UNIT_LDADD)
tests_unit_test_replay_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_metrics_LDADD = $(UNIT_LDADD)
tests_unit_test_metrics_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_xtlog_LDADD = $(UNIT_LDADD)
tests_unit_test_xtlog_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_alg_LDADD = $(UNIT_LDADD)
tests_unit_test_alg_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_b64url_LDADD = $(UNIT_LDADD)
tests_unit_test_b64url_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_claims_LDADD = $(UNIT_LDADD)
tests_unit_test_claims_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_tokjson_LDADD = $(UNIT_LDADD)
tests_unit_test_tokjson_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_config_LDADD = $(UNIT_LDADD)
tests_unit_test_config_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_vectors_LDADD = $(UNIT_LDADD)
tests_unit_test_vectors_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_verifier_SOURCES = \
	tests/unit/test_verifier.c tests/unit/testkeys.c tests/unit/testkeys.h
tests_unit_test_verifier_LDADD = $(UNIT_LDADD)
tests_unit_test_verifier_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fastpath_SOURCES = \
	tests/unit/test_fastpath.c tests/unit/testkeys.c tests/unit/testkeys.h
tests_unit_test_fastpath_LDADD = $(UNIT_LDADD)
tests_unit_test_fastpath_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_keys_SOURCES = \
	tests/unit/test_keys.c tests/unit/testkeys.c tests/unit/testkeys.h
tests_unit_test_keys_LDADD = $(UNIT_LDADD)
tests_unit_test_keys_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_policy_SOURCES = \
	tests/unit/test_policy.c tests/unit/testkeys.c tests/unit/testkeys.h
tests_unit_test_policy_LDADD = $(UNIT_LDADD)
tests_unit_test_policy_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_pathnorm_LDADD = $(UNIT_LDADD)
tests_unit_test_pathnorm_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_jsonbuf_SOURCES = \
	tests/unit/test_jsonbuf.c api/jsonbuf.c api/jsonbuf.h
tests_unit_test_jsonbuf_LDADD = $(UNIT_LDADD)
tests_unit_test_jsonbuf_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/api
tests_unit_test_access_SOURCES = \
	tests/unit/test_access.c tests/unit/testkeys.c tests/unit/testkeys.h
tests_unit_test_access_LDADD = $(UNIT_LDADD)
tests_unit_test_access_CFLAGS = $(UNIT_CFLAGS)

INTEGRATION_TESTS = \
	tests/integration/verify.sh \
	tests/integration/interop.sh \
	tests/integration/authorizer.sh \
	tests/integration/lighttpd.sh \
	tests/integration/limits.sh \
	tests/integration/lighttpd-tls.sh \
	tests/integration/lighttpd-external.sh \
	tests/integration/lighttpd-external-tls.sh \
	tests/integration/access.sh \
	tests/integration/apache.sh \
	tests/integration/apache-tls.sh \
	tests/integration/apache-authnz.sh \
	tests/integration/apache-authnz-tls.sh \
	tests/integration/nginx.sh \
	tests/integration/nginx-tls.sh \
	tests/integration/standalone.sh \
	tests/integration/reload.sh \
	tests/integration/users-cache.sh \
	tests/integration/install.sh

TESTS = $(UNIT_TESTS) $(INTEGRATION_TESTS)

EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/lib.sh \
	tests/integration/front.sh \
	tests/tools/fcgi_raw.py \
	tests/tools/inflight.py \
	tests/tools/load.py \
	tests/tools/pyjwt_mint.py \
	tests/tools/cases.py \
	tests/tools/send_raw.py \
	tests/tools/interop.py \
	tests/tools/authorizer_cases.py \
	tests/tools/interop.js \
	tests/tools/node/package.json \
	tests/tools/node/package-lock.json

# What the tests leave in the build tree: the Node.js modules of the
# interoperability test and the state directories of failed runs.
clean-local: clean-local-tests
clean-local-tests:
	-rm -rf tests/node tests/tmp
.PHONY: clean-local-tests

# With ./configure --enable-sanitizers, make check runs as it is, leak
# checks included: the programs free what they allocate and stop cleanly
# on SIGTERM, so no ASAN_OPTIONS are needed.  A report from a program the
# tests run directly fails that test through its exit status; the web
# servers hand their FastCGI children a filtered environment and keep
# their stderr in the server log.

# make fuzz (not part of check): libFuzzer harnesses built with clang and
# the sanitizers, each run for FUZZ_SECONDS; see tests/fuzz/run.sh.
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_HARNESSES = \
	tests/fuzz/fuzz_verifier.c \
	tests/fuzz/fuzz_strictjson.c \
	tests/fuzz/fuzz_tokjson.c \
	tests/fuzz/fuzz_b64url.c \
	tests/fuzz/fuzz_authz.c
FUZZ_SRC = $(shared_libxtoken_a_SOURCES) \
	$(authorizer_xtoken_authorizer_SOURCES)
FUZZ_LIBS = $(CRYPTO_LIBS) $(JSONC_LIBS) $(FCGI_LIBS) $(HIREDIS_LIBS) \
	$(LIBS)

fuzz: autoconf.h
	FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_CC='$(FUZZ_CC)' \
	FUZZ_SRCDIR='$(abs_top_srcdir)' FUZZ_BUILDDIR='$(abs_top_builddir)' \
	FUZZ_CFLAGS='$(CRYPTO_CFLAGS) $(JSONC_CFLAGS) $(HIREDIS_CFLAGS)' \
	FUZZ_LIBS='$(FUZZ_LIBS)' FUZZ_SOURCES='$(FUZZ_SRC)' \
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh

.PHONY: fuzz

EXTRA_DIST += $(FUZZ_HARNESSES) \
	tests/fuzz/run.sh \
	tests/fuzz/seeds.py
