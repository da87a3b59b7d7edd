#!/bin/sh
# SPDX-License-Identifier: MIT
# make fuzz: build each libFuzzer harness in tests/fuzz with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, make a fresh seed
# corpus, run each harness for FUZZ_SECONDS with bounded memory, and
# print one summary line per harness.  Fails if any harness found a crash,
# a leak, a timeout or a broken invariant.  Everything it writes goes to
# $FUZZ_BUILDDIR/tests/tmp/fuzz; the corpus there grows from run to run.
#
# make passes FUZZ_SRCDIR, FUZZ_BUILDDIR, FUZZ_CC, FUZZ_SECONDS,
# FUZZ_CFLAGS, FUZZ_LIBS and FUZZ_SOURCES (the sources of shared/ and of
# the authorizer).

set -u

: "${FUZZ_SECONDS:=60}"
: "${FUZZ_CC:=clang}"
: "${FUZZ_CFLAGS:=}"
: "${FUZZ_LIBS:=}"
: "${PYTHON:=/usr/bin/python3}"
src=$FUZZ_SRCDIR
work=$FUZZ_BUILDDIR/tests/tmp/fuzz
harnesses="verifier strictjson tokjson b64url authz"

die()
{
	echo "make fuzz: $*" >&2
	exit 2
}

command -v "$FUZZ_CC" >/dev/null 2>&1 ||
	die "$FUZZ_CC not found: install clang (and libclang-rt-14-dev)"
case $FUZZ_SECONDS in
''|*[!0-9]*) die "FUZZ_SECONDS must be a number of seconds" ;;
esac

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
flags="-g -O1 -fno-omit-frame-pointer $san -I$FUZZ_BUILDDIR -I$src/shared"
flags="$flags -I$src/authorizer $FUZZ_CFLAGS"

mkdir -p "$work/obj" "$work/bin" "$work/log" "$work/crash" ||
	die "cannot create $work"

# The library and the authorizer but its main(), built for fuzzing.
objs=
for f in $FUZZ_SOURCES; do
	case $f in
	*.c) ;;
	*) continue ;;
	esac
	[ "$f" = authorizer/main.c ] && continue
	o=$work/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
	# shellcheck disable=SC2086
	$FUZZ_CC $flags -fsanitize=fuzzer-no-link -c "$src/$f" -o "$o" ||
		die "cannot compile $f"
	objs="$objs $o"
done

for h in $harnesses; do
	# shellcheck disable=SC2086
	$FUZZ_CC $flags -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$h.c" \
	    $objs $FUZZ_LIBS -o "$work/bin/fuzz_$h" ||
		die "cannot build fuzz_$h"
done

rm -rf "$work/seeds"
"$PYTHON" "$src/tests/fuzz/seeds.py" "$work/seeds" ||
	die "cannot write the seed corpus"

failed=0
for h in $harnesses; do
	mkdir -p "$work/corpus/$h"
	log=$work/log/$h.log
	"$work/bin/fuzz_$h" -max_total_time="$FUZZ_SECONDS" \
	    -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
	    -max_len=16384 -print_final_stats=1 \
	    -artifact_prefix="$work/crash/$h-" \
	    "$work/corpus/$h" "$work/seeds/$h" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	units=$(ls "$work/corpus/$h" | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$h: ok, ${runs:-?} runs in ${FUZZ_SECONDS} s," \
		    "corpus $units"
	else
		failed=$((failed + 1))
		echo "fuzz_$h: FAILED (exit $rc), see $log;" \
		    "input in $work/crash/"
		grep -m 3 -E 'ERROR|SUMMARY|fuzz_[a-z]+:' "$log" |
		    sed 's/^/  /'
	fi
done

echo "make fuzz: $(echo $harnesses | wc -w) harnesses, $failed failed"
[ "$failed" -eq 0 ]
