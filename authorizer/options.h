/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The settings options xtoken-authorizer and xtoken-verify share, so the
 * offline check reads exactly the configuration the authorizer reads.
 */
#ifndef XTOKEN_OPTIONS_H
#define XTOKEN_OPTIONS_H

#include <getopt.h>
#include <stdio.h>

#include "config.h"

/* getopt_long value of every option that is a setting. */
#define OPTIONS_SETTING	0x100

/* The token settings, as getopt_long entries named like the file keys. */
#define OPTIONS_TOKEN_SETTINGS \
	{ "keys",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "algorithm",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "leeway",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "max-lifetime",	required_argument, NULL, OPTIONS_SETTING }, \
	{ "max-token-bytes",	required_argument, NULL, OPTIONS_SETTING }, \
	{ "token-cache",	required_argument, NULL, OPTIONS_SETTING }, \
	{ "audience",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "iss-is-app",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "sub-is-app",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "typ",		required_argument, NULL, OPTIONS_SETTING }, \
	{ "strict-claims",	required_argument, NULL, OPTIONS_SETTING }, \
	{ "policy",		required_argument, NULL, OPTIONS_SETTING }

/* Print the help lines of the token settings and of --config. */
void options_usage_token_settings(FILE *fp);

#endif
