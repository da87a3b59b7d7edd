/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The floor of the benchmark: a FastCGI program that does no work.  As
 * an Authorizer it always answers 200; as a Responder it answers the
 * bytes xtoken-api sends for GET /users.  lighttpd in front of two of
 * these costs what the web server and the two FastCGI hops cost.
 */
#include "autoconf.h"

#include <string.h>

#include <fcgiapp.h>

/* The headers and the demo database's users, as xtoken-api writes them. */
static const char floor_users[] =
	"Status: 200 OK\r\n"
	"Content-Type: application/json\r\n"
	"Content-Length: 233\r\n"
	"Cache-Control: no-store\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"\r\n"
	"[{\"id\":1,\"name\":\"Alice Martin\","
	"\"email\":\"alice@example.org\"},"
	"{\"id\":2,\"name\":\"Bob Nguyen\",\"email\":\"bob@example.org\"},"
	"{\"id\":3,\"name\":\"Chloe Dubois\","
	"\"email\":\"chloe@example.org\"},"
	"{\"id\":4,\"name\":\"David Okafor\","
	"\"email\":\"david@example.org\"}]";

static const char floor_grant[] =
	"Status: 200 OK\r\n"
	"Variable-APP_ID: bench\r\n"
	"\r\n";

int
main(void)
{
	FCGX_Request req;
	const char *role;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&req) >= 0) {
		role = FCGX_GetParam("FCGI_ROLE", req.envp);
		if (role != NULL && strcmp(role, "AUTHORIZER") == 0)
			FCGX_PutS(floor_grant, req.out);
		else
			FCGX_PutS(floor_users, req.out);
		FCGX_Finish_r(&req);
	}
	return 0;
}
