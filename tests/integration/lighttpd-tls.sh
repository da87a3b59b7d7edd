#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# lighttpd.sh over HTTPS: deploy/lighttpd/xtoken-tls.conf with a
# throw-away CA; curl verifies the certificate chain.  TAP output.

XT_TLS=yes
. "$(dirname "$0")/lighttpd.sh"
