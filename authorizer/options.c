/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Help text of the shared token settings.
 */
#include "autoconf.h"

#include "options.h"

void
options_usage_token_settings(FILE *fp)
{
	fprintf(fp,
"Each setting can also come from a config file or the environment\n"
"(command line > environment > config file > default):\n"
"  --keys DIR             XTOKEN_KEYS       key files: <appId>_public.pem,\n"
"                                           <appId>@<kid>_public.pem,\n"
"                                           <appId>_jwks.json\n"
"                                           [" CONFIG_DEFAULT_KEYS_DIR "]\n"
"  --algorithm ALG        XTOKEN_ALGORITHM  alg of RSA keys that name none\n"
"                                           (RS256 RS384 RS512 PS256 PS384\n"
"                                           PS512) [" CONFIG_DEFAULT_ALGORITHM "]\n"
"  --leeway SECONDS       XTOKEN_LEEWAY     clock skew allowed [%d]\n"
"  --max-lifetime SECONDS XTOKEN_MAX_LIFETIME  cap on exp - now and on\n"
"                                           exp - iat, leeway added [%d]\n"
"  --max-token-bytes N    XTOKEN_MAX_TOKEN_BYTES  size cap [%d]\n"
"  --token-cache N        XTOKEN_TOKEN_CACHE  verified tokens kept, so a\n"
"                                           reused token is not verified\n"
"                                           again; 0: off [%d]\n"
"  --audience AUD         XTOKEN_AUDIENCE   aud must contain AUD [unchecked]\n"
"  --iss-is-app yes|no    XTOKEN_ISS_IS_APP iss must equal appId [no]\n"
"  --sub-is-app yes|no    XTOKEN_SUB_IS_APP sub must equal appId [no]\n"
"  --typ TYPE             XTOKEN_TYP        header typ must be TYPE\n"
"                                           [unchecked]\n"
"  --strict-claims yes|no XTOKEN_STRICT_CLAIMS  a checked claim must be\n"
"                                           present [yes]\n"
"  --policy FILE          XTOKEN_POLICY     access rules, one APPID METHODS\n"
"                                           PATH per line [every valid\n"
"                                           caller may call every route]\n"
"  --config FILE          XTOKEN_CONFIG     read key = value settings\n",
	    CONFIG_DEFAULT_LEEWAY, CONFIG_DEFAULT_MAX_LIFETIME,
	    CONFIG_DEFAULT_MAX_TOKEN_BYTES, CONFIG_DEFAULT_TOKEN_CACHE);
}
