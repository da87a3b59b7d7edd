#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# apache-authnz.sh over HTTPS: deploy/apache/authnz.conf started with
# -DTLS, with a throw-away CA; curl verifies the certificate chain.  TAP
# output.

XT_TLS=yes
. "$(dirname "$0")/apache-authnz.sh"
