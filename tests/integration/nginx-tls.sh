#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# nginx.sh over HTTPS: deploy/nginx/xtoken-tls.conf.template with a
# throw-away CA; curl verifies the certificate chain.  TAP output.

XT_TLS=yes
. "$(dirname "$0")/nginx.sh"
