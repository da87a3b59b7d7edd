# SPDX-License-Identifier: MIT
# make bench: throughput, latency and memory of xtoken next to openssl
# speed, the Node.js design it replaces and a do-nothing FastCGI floor.
# Not part of make check: it measures, it asserts nothing.  See
# tests/bench/run and README.md ("Performance").

EXTRA_PROGRAMS = tests/bench/bench-inproc tests/bench/bench-floor
tests_bench_bench_inproc_SOURCES = tests/bench/inproc.c
tests_bench_bench_inproc_LDADD = $(XTOKEN_LIBS)
tests_bench_bench_floor_SOURCES = tests/bench/floor.c
tests_bench_bench_floor_LDADD = $(FCGI_LIBS)

BENCH_OUT = $(abs_top_builddir)/tests/bench/out

bench: all tests/bench/bench-inproc tests/bench/bench-floor
	/usr/bin/python3 $(abs_top_srcdir)/tests/bench/run \
	    --srcdir '$(abs_top_srcdir)' --builddir '$(abs_top_builddir)' \
	    --out '$(BENCH_OUT)'

.PHONY: bench

EXTRA_DIST += tests/bench/run tests/bench/plot.gp tests/bench/setup \
	tests/bench/peer/server.js tests/bench/peer/package.json \
	tests/bench/peer/package-lock.json
CLEANFILES = $(EXTRA_PROGRAMS)
