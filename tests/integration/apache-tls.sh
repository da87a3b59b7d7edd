#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# apache.sh over HTTPS: deploy/apache/xtoken.conf started with -DTLS, with
# a throw-away CA; curl verifies the certificate chain.  TAP output.

XT_TLS=yes
. "$(dirname "$0")/apache.sh"
