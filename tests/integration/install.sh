#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# make install with DESTDIR lays out what a system daemon needs: the
# programs, a man page for each and one for the settings file, the
# systemd units (with their hardening, naming the installed programs),
# the sysusers.d file, a settings file the programs accept, and the
# deploy/ configurations; make uninstall takes it all away again.  The
# man pages must name every option the programs' --help shows and every
# setting the settings table knows.  TAP output.

. "$(dirname "$0")/lib.sh"

require_cmd make make
xt_init install
mkdir -p "$XT_STATE/log" || bail_out "cannot create $XT_STATE/log"
D=$XT_STATE/root
B=$XTOKEN_BUILDDIR

# The recursive make must not take part in the outer make's job server.
if ! env -u MAKEFLAGS -u MFLAGS make -s -C "$B" install DESTDIR="$D" \
    >"$XT_STATE/log/install.out" 2>&1; then
	bail_out "make install DESTDIR=... failed: $(tail -n 20 \
	    "$XT_STATE/log/install.out")"
fi
tap_ok "make install DESTDIR=... succeeds"

# find_one PATTERN: the one installed file whose path ends in PATTERN.
find_one()
{
	found=$(cd "$D" && find . -type f -path "*$1" | sed 's|^\.||')
	[ "$(printf '%s\n' "$found" | grep -c .)" -eq 1 ] || return 1
	printf '%s\n' "$found"
}

# expect_file DESC PATTERN: exactly one installed file matches.
expect_file()
{
	if f=$(find_one "$2"); then
		tap_ok "$1 ($f)"
	else
		tap_not_ok "$1" "no single file */$2 under $D"
	fi
}

for prog in xtoken-authorizer xtoken-api xtoken-verify xtoken-mint \
    xtoken-keygen; do
	if f=$(find_one "/bin/$prog") && [ -x "$D$f" ]; then
		tap_ok "program $prog ($f)"
	else
		tap_not_ok "program $prog" "not installed, or not executable"
	fi
done
BINDIR=$(dirname "$(find_one /bin/xtoken-authorizer)")

for page in man8/xtoken-authorizer.8 man8/xtoken-api.8 \
    man1/xtoken-verify.1 man1/xtoken-mint.1 man1/xtoken-keygen.1 \
    man5/xtoken.conf.5; do
	expect_file "man page $page" "/man/$page"
done

expect_file "sysusers.d file" /sysusers.d/xtoken.conf
expect_file "settings file for the units" /xtoken/xtoken.conf
for conf in lighttpd/xtoken.conf lighttpd/xtoken-tls.conf \
    lighttpd/external.conf lighttpd/external-tls.conf lighttpd/tls.conf \
    apache/xtoken.conf apache/authnz.conf nginx/xtoken.conf.template \
    nginx/xtoken-tls.conf.template nginx/xtoken-locations.conf \
    xtoken.conf.example; do
	expect_file "example $conf" "/deploy/$conf"
done

# --- the units ---------------------------------------------------------------

CONF=$(find_one /xtoken/xtoken.conf)
for unit in xtoken-authorizer xtoken-api; do
	if ! u=$(find_one "/systemd/system/$unit.service"); then
		tap_not_ok "unit $unit.service is installed"
		continue
	fi
	tap_ok "unit $unit.service is installed ($u)"
	exec_start=$(sed -n 's/^ExecStart=//p' "$D$u")
	if [ "$exec_start" = "$BINDIR/$unit --config $CONF" ]; then
		tap_ok "$unit.service starts the installed program with the" \
		    "installed settings"
	else
		tap_not_ok "$unit.service starts the installed program" \
		    "ExecStart=$exec_start"
	fi
	missing=
	for line in User=xtoken Group=xtoken NoNewPrivileges=yes \
	    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
	    PrivateDevices=yes CapabilityBoundingSet= \
	    RuntimeDirectory=$unit RestrictAddressFamilies= \
	    SystemCallFilter=@system-service \
	    "Environment=XTOKEN_LISTEN=unix:/run/$unit/fcgi.sock"; do
		grep -q "^$line" "$D$u" || missing="$missing $line"
	done
	if [ -z "$missing" ]; then
		tap_ok "$unit.service: own user, runtime directory, hardening"
	else
		tap_not_ok "$unit.service: own user, runtime directory," \
		    "hardening" "missing:$missing"
	fi
	if grep -n '@[a-z]*@' "$D$u" >/dev/null; then
		tap_not_ok "$unit.service has no placeholder left" \
		    "$(grep -n '@[a-z]*@' "$D$u")"
	else
		tap_ok "$unit.service has no placeholder left"
	fi
	# systemd-analyze checks the unit for real, with the program path
	# pointed into DESTDIR since it looks the program up.
	if command -v systemd-analyze >/dev/null 2>&1; then
		mkdir -p "$XT_STATE/units"
		sed "s|$BINDIR/|$D$BINDIR/|" "$D$u" \
		    >"$XT_STATE/units/$unit.service"
		if (cd "$XT_STATE/units" && systemd-analyze verify --man=no \
		    "./$unit.service") >"$XT_STATE/log/$unit.verify" 2>&1; then
			tap_ok "systemd-analyze verify $unit.service"
		else
			tap_not_ok "systemd-analyze verify $unit.service" \
			    "$(cat "$XT_STATE/log/$unit.verify")"
		fi
	fi
done
if grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' \
    "$D$(find_one /systemd/system/xtoken-authorizer.service)"; then
	tap_ok "systemctl reload sends the authorizer SIGHUP"
else
	tap_not_ok "systemctl reload sends the authorizer SIGHUP"
fi

# The settings file as installed is one both programs accept.
mkdir -p "$XT_STATE/keys"
"$XTOKEN_SRCDIR/deploy/xtoken-keygen" shop "$XT_STATE/clients" >/dev/null &&
    cp "$XT_STATE/clients/shop_public.pem" "$XT_STATE/keys/" ||
    bail_out "xtoken-keygen failed"
if "$D$BINDIR/xtoken-authorizer" --config "$D$CONF" \
    --keys "$XT_STATE/keys" --check >"$XT_STATE/log/check.out" 2>&1; then
	tap_ok "the installed settings file passes xtoken-authorizer --check"
else
	tap_not_ok "the installed settings file passes --check" \
	    "$(cat "$XT_STATE/log/check.out")"
fi

# --- the man pages say everything --------------------------------------------

# options_of PROGRAM: every --option its --help names.
options_of()
{
	"$D$BINDIR/$1" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u
}

for pair in xtoken-authorizer:man8/xtoken-authorizer.8 \
    xtoken-api:man8/xtoken-api.8 xtoken-verify:man1/xtoken-verify.1 \
    xtoken-mint:man1/xtoken-mint.1 xtoken-keygen:man1/xtoken-keygen.1; do
	prog=${pair%%:*}
	page=$D$(find_one "/man/${pair#*:}") || continue
	missing=
	for opt in $(options_of "$prog"); do
		escaped=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		grep -q -- "$escaped" "$page" || missing="$missing $opt"
	done
	if [ -z "$missing" ]; then
		tap_ok "$prog(${page##*.}) names every option of --help"
	else
		tap_not_ok "$prog(${page##*.}) names every option of --help" \
		    "missing:$missing"
	fi
done

page=$D$(find_one /man/man5/xtoken.conf.5)
missing=
for key in $(sed -n 's/^[	 ]*CONFIG_[A-Z]*("\([a-z_]*\)".*/\1/p' \
    "$XTOKEN_SRCDIR/shared/config.c"); do
	grep -q "^\.BR* $key\( \|$\)" "$page" || missing="$missing $key"
done
if [ -z "$missing" ]; then
	tap_ok "xtoken.conf(5) describes every setting"
else
	tap_not_ok "xtoken.conf(5) describes every setting" "missing:$missing"
fi

if command -v groff >/dev/null 2>&1; then
	for page in $(cd "$D" && find . -path '*/man/man*' -type f); do
		if groff -man -Tutf8 -ww -z "$D/$page" \
		    >"$XT_STATE/log/groff.out" 2>&1 &&
		    [ ! -s "$XT_STATE/log/groff.out" ]; then
			tap_ok "$(basename "$page") renders without warnings"
		else
			tap_not_ok "$(basename "$page") renders cleanly" \
			    "$(cat "$XT_STATE/log/groff.out")"
		fi
	done
fi

# --- and away again ----------------------------------------------------------

if env -u MAKEFLAGS -u MFLAGS make -s -C "$B" uninstall DESTDIR="$D" \
    >"$XT_STATE/log/uninstall.out" 2>&1; then
	left=$(cd "$D" && find . -type f)
	if [ -z "$left" ]; then
		tap_ok "make uninstall removes every file"
	else
		tap_not_ok "make uninstall removes every file" "left:" $left
	fi
else
	tap_not_ok "make uninstall DESTDIR=... succeeds" \
	    "$(tail -n 20 "$XT_STATE/log/uninstall.out")"
fi

tap_done
