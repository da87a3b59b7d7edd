/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The FastCGI serving loop: the listening socket, the request threads and
 * a stop on SIGTERM that lets requests in flight finish.
 */
#include "autoconf.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "errbuf.h"
#include "fcgisrv.h"
#include "xtlog.h"

#define FCGISRV_BACKLOG		128
#define FCGISRV_UNIX_PREFIX	"unix:"

/* What the request threads and the signal thread share. */
struct fcgisrv {
	int			 listen_fd;
	fcgisrv_handler		 handle;
	void			*arg;
	pthread_mutex_t		 accept_lock;
	atomic_int		 stopping;
	atomic_int		 failed;
	sigset_t		 signals;
};

static fcgisrv_hup_hook	 fcgisrv_hup;
static void		*fcgisrv_hup_arg;
static atomic_int	 fcgisrv_stop_sig;

/*
 * spec NULL: the web server, mod_fcgid or spawn-fcgi passed the listening
 * socket as fd 0.  Anything else there (a terminal, /dev/null, a pipe)
 * means the program was started by hand without --listen.
 */
static int
fcgisrv_check_fd0(char *err, size_t errlen)
{
	int listening = 0;
	socklen_t len = sizeof(listening);

	if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 ||
	    !listening) {
		errbuf_set(err, errlen, "standard input is not a listening "
		    "socket: let the web server or spawn-fcgi start this "
		    "program, or pass --listen unix:PATH or "
		    "--listen 127.0.0.1:PORT");
		return -1;
	}
	return 0;
}

/*
 * Only a socket that refuses connections is stale.  A regular file is
 * never removed, and a socket that answers (or is merely busy) means a
 * second copy of the program is serving there.
 */
static int
fcgisrv_remove_stale(const struct sockaddr_un *sun, char *err, size_t errlen)
{
	struct stat st;
	int fd, r, e;

	if (lstat(sun->sun_path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errbuf_set(err, errlen, "%s exists and is not a socket; "
		    "remove it or choose another path", sun->sun_path);
		return -1;
	}

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	e = errno;
	close(fd);
	if (r == 0 || e == EAGAIN) {
		errbuf_set(err, errlen, "%s is in use by another process; "
		    "stop it or choose another path", sun->sun_path);
		return -1;
	}
	if (e != ECONNREFUSED) {
		errno = e;
		return -1;
	}

	if (unlink(sun->sun_path) != 0 && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * The socket file gets mode 0660 whatever the umask: the web server
 * connects as our user or through our group, and other local users must
 * not be able to bypass the web server (and the authorizer in front).
 */
/* A unix socket path that fits a sockaddr_un. */
static int
fcgisrv_check_unix_path(const char *path, char *err, size_t errlen)
{
	size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;

	if (*path == '\0' || strlen(path) > max) {
		errbuf_set(err, errlen, "listen \"unix:%.120s\": the path "
		    "must be 1 to %zu bytes long", path, max);
		return -1;
	}
	return 0;
}

static int
fcgisrv_listen_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	mode_t old_mask;
	int fd, r;

	if (fcgisrv_check_unix_path(path, err, errlen) != 0)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));

	err[0] = '\0';
	if (fcgisrv_remove_stale(&sun, err, errlen) != 0) {
		if (err[0] == '\0')
			errbuf_set(err, errlen, "cannot replace %s: %s",
			    path, strerror(errno));
		return -1;
	}

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		errbuf_set(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	old_mask = umask(0117);
	r = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old_mask);
	if (r != 0 || listen(fd, FCGISRV_BACKLOG) != 0) {
		errbuf_set(err, errlen, "cannot listen on unix:%s: %s",
		    path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Split "HOST:PORT" or "[V6ADDR]:PORT".  An empty host (or "*") would
 * listen on every interface, which must be asked for by name (0.0.0.0).
 */
static int
fcgisrv_split_hostport(const char *spec, char *host, size_t hostlen,
    const char **port, char *err, size_t errlen)
{
	const char *colon, *start = spec, *end;

	if ((colon = strrchr(spec, ':')) == NULL) {
		errbuf_set(err, errlen, "listen \"%.120s\": expected "
		    "HOST:PORT or unix:PATH", spec);
		return -1;
	}
	end = colon;
	if (*spec == '[' && colon > spec && colon[-1] == ']') {
		start = spec + 1;
		end = colon - 1;
	}
	if (end == start || (end - start == 1 && *start == '*')) {
		errbuf_set(err, errlen, "listen \"%.120s\": give the host, "
		    "e.g. 127.0.0.1%s; an empty host would listen on every "
		    "interface", spec, colon);
		return -1;
	}
	if ((size_t)(end - start) >= hostlen) {
		errbuf_set(err, errlen, "listen \"%.120s\": host name too "
		    "long", spec);
		return -1;
	}
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	*port = colon + 1;
	return 0;
}

static int
fcgisrv_check_port(const char *spec, const char *port, char *err,
    size_t errlen)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(port, &end, 10);
	if (*port < '0' || *port > '9' || *end != '\0' || errno != 0 ||
	    n < 1 || n > 65535) {
		errbuf_set(err, errlen, "listen \"%.120s\": the port must be "
		    "a number from 1 to 65535", spec);
		return -1;
	}
	return 0;
}

/* Bind the first address of host that works. */
static int
fcgisrv_bind_tcp(const char *spec, struct addrinfo *list, char *err,
    size_t errlen)
{
	struct addrinfo *ai;
	int fd = -1, on = 1, saved = EADDRNOTAVAIL;

	for (ai = list; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on)) == 0 &&
		    bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, FCGISRV_BACKLOG) == 0)
			return fd;
		saved = errno;
		close(fd);
		fd = -1;
	}
	errbuf_set(err, errlen, "cannot listen on %.120s: %s", spec,
	    strerror(saved));
	return -1;
}

/* The addresses of "HOST:PORT", or -1 with a sentence in err. */
static int
fcgisrv_resolve_tcp(const char *spec, struct addrinfo **list, char *err,
    size_t errlen)
{
	struct addrinfo hints;
	const char *port;
	char host[256];
	int r;

	if (fcgisrv_split_hostport(spec, host, sizeof(host), &port, err,
	    errlen) != 0 || fcgisrv_check_port(spec, port, err, errlen) != 0)
		return -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	/* A numeric address: starting must not depend on name lookups. */
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	r = getaddrinfo(host, port, &hints, list);
	if (r != 0) {
		errbuf_set(err, errlen, "listen \"%.120s\": \"%s\" is not "
		    "an IP address (write 127.0.0.1 or [::1], not a name)",
		    spec, host);
		return -1;
	}
	return 0;
}

static int
fcgisrv_listen_tcp(const char *spec, char *err, size_t errlen)
{
	struct addrinfo *list = NULL;
	int fd;

	if (fcgisrv_resolve_tcp(spec, &list, err, errlen) != 0)
		return -1;
	fd = fcgisrv_bind_tcp(spec, list, err, errlen);
	freeaddrinfo(list);
	return fd;
}

int
fcgisrv_check_spec(const char *spec, char *err, size_t errlen)
{
	struct addrinfo *list = NULL;

	if (spec == NULL)
		return 0;
	if (strncmp(spec, FCGISRV_UNIX_PREFIX,
	    sizeof(FCGISRV_UNIX_PREFIX) - 1) == 0)
		return fcgisrv_check_unix_path(spec +
		    sizeof(FCGISRV_UNIX_PREFIX) - 1, err, errlen);
	if (fcgisrv_resolve_tcp(spec, &list, err, errlen) != 0)
		return -1;
	freeaddrinfo(list);
	return 0;
}

int
fcgisrv_listen(const char *spec, char *err, size_t errlen)
{
	char dummy[1];

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (spec == NULL)
		return fcgisrv_check_fd0(err, errlen) == 0 ? 0 : -1;
	if (strncmp(spec, FCGISRV_UNIX_PREFIX,
	    sizeof(FCGISRV_UNIX_PREFIX) - 1) == 0)
		return fcgisrv_listen_unix(spec +
		    sizeof(FCGISRV_UNIX_PREFIX) - 1, err, errlen);
	return fcgisrv_listen_tcp(spec, err, errlen);
}

void
fcgisrv_set_hup_hook(fcgisrv_hup_hook hook, void *arg)
{
	fcgisrv_hup = hook;
	fcgisrv_hup_arg = arg;
}

/*
 * Stop accepting.  shutdown() on the listening socket makes the accept()
 * a request thread is blocked in fail at once (EINVAL on Linux, which
 * libfcgi's OS_Accept passes up as an error), and every later accept()
 * fail the same way; FCGX_ShutdownPending covers a thread that is about
 * to call accept().  Connections already accepted are not touched, so
 * no request in flight is cut off.  Waking accept() with a signal instead
 * would leave the socket to other processes sharing it, but libfcgi does
 * not retry a read interrupted by a signal, and a request being read
 * would be dropped.
 */
static void
fcgisrv_stop(struct fcgisrv *srv)
{
	atomic_store(&srv->stopping, 1);
	FCGX_ShutdownPending();
	shutdown(srv->listen_fd, SHUT_RDWR);
}

/*
 * Wait for a signal; returns it, or -1 after a pause or an interruption.
 * While log lines are held back, this thread wakes when the oldest held
 * line is due and writes it, so a quiet server's last lines still reach
 * the log within the hold interval.
 */
static int
fcgisrv_next_signal(struct fcgisrv *srv)
{
	struct timespec pause;
	long ms;
	int sig;

	if (xtlog_hold_interval() == 0)
		return sigwait(&srv->signals, &sig) == 0 ? sig : -1;

	/* At least a millisecond, so a line due now is not spun on. */
	ms = xtlog_due_in();
	if (ms == 0)
		ms = 1;
	pause.tv_sec = ms / 1000;
	pause.tv_nsec = (ms % 1000) * 1000000;
	sig = sigtimedwait(&srv->signals, NULL, &pause);
	if (sig < 0)
		xtlog_flush_due();
	return sig;
}

/*
 * The only thread that receives SIGTERM, SIGINT and SIGHUP: every thread
 * blocks them, so the kernel can no longer deliver one to a thread that
 * sits in accept() under no obligation to notice it.
 */
static void *
fcgisrv_signal_main(void *p)
{
	struct fcgisrv *srv = p;
	int sig;

	for (;;) {
		sig = fcgisrv_next_signal(srv);
		if (sig < 0)
			continue;
		if (sig != SIGHUP)
			break;
		if (fcgisrv_hup != NULL)
			fcgisrv_hup(fcgisrv_hup_arg);
		else
			xtlog_info("SIGHUP received: nothing to reload, "
			    "restart the program to apply new settings");
	}

	/* The program logs the one stop line once the requests are done. */
	if (!atomic_load(&srv->stopping))
		atomic_store(&fcgisrv_stop_sig, sig);
	fcgisrv_stop(srv);
	return NULL;
}

/*
 * Errors of the listening socket itself end the service; anything else
 * (too many open files, no memory, an aborted connection) is worth a
 * pause and another try.
 */
static int
fcgisrv_accept_fatal(int rc)
{
	switch (-rc) {
	case EBADF:
	case EINVAL:
	case ENOTSOCK:
	case EOPNOTSUPP:
	case EFAULT:
		return 1;
	default:
		return 0;
	}
}

/* Accept under the lock: returns 0 with a request, -1 to leave. */
static int
fcgisrv_accept(struct fcgisrv *srv, FCGX_Request *req)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	int rc;

	for (;;) {
		pthread_mutex_lock(&srv->accept_lock);
		if (atomic_load(&srv->stopping)) {
			pthread_mutex_unlock(&srv->accept_lock);
			return -1;
		}
		rc = FCGX_Accept_r(req);
		pthread_mutex_unlock(&srv->accept_lock);

		if (rc >= 0)
			return 0;
		if (atomic_load(&srv->stopping))
			return -1;
		if (fcgisrv_accept_fatal(rc)) {
			xtlog_error("cannot accept FastCGI connections: %s",
			    strerror(-rc));
			atomic_store(&srv->failed, 1);
			return -1;
		}
		xtlog_warn("accepting a FastCGI connection failed: %s; "
		    "retrying", rc > -10000 ? strerror(-rc) : "library error");
		nanosleep(&pause, NULL);
	}
}

static void *
fcgisrv_worker_main(void *p)
{
	struct fcgisrv *srv = p;
	FCGX_Request req;

	if (FCGX_InitRequest(&req, srv->listen_fd, 0) != 0) {
		atomic_store(&srv->failed, 1);
		return NULL;
	}
	while (fcgisrv_accept(srv, &req) == 0) {
		srv->handle(&req, srv->arg);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return NULL;
}

/*
 * Start n request threads; returns how many started.  If not all of them
 * could, the ones running are stopped again: a service with fewer threads
 * than configured would hide the problem.
 */
static int
fcgisrv_start_workers(struct fcgisrv *srv, pthread_t *tids, int n)
{
	int i, e;

	for (i = 0; i < n; i++) {
		e = pthread_create(&tids[i], NULL, fcgisrv_worker_main, srv);
		if (e != 0) {
			xtlog_error("cannot start request thread %d of %d: "
			    "%s", i + 1, n, strerror(e));
			fcgisrv_stop(srv);
			break;
		}
	}
	return i;
}

int
fcgisrv_serve(int listen_fd, int threads, fcgisrv_handler handle,
    void *arg)
{
	struct fcgisrv srv;
	pthread_t sig_tid, *tids = NULL;
	sigset_t old_mask;
	int i, started = 0, r = -1;

	if (listen_fd < 0 || threads < 1 || handle == NULL)
		return -1;
	memset(&srv, 0, sizeof(srv));
	atomic_store(&fcgisrv_stop_sig, 0);
	srv.listen_fd = listen_fd;
	srv.handle = handle;
	srv.arg = arg;
	if (FCGX_Init() != 0 ||
	    (tids = calloc((size_t)threads, sizeof(*tids))) == NULL ||
	    pthread_mutex_init(&srv.accept_lock, NULL) != 0) {
		free(tids);
		return -1;
	}

	/* Blocked before any thread exists, so every thread inherits it. */
	sigemptyset(&srv.signals);
	sigaddset(&srv.signals, SIGTERM);
	sigaddset(&srv.signals, SIGINT);
	sigaddset(&srv.signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &srv.signals, &old_mask);

	if (pthread_create(&sig_tid, NULL, fcgisrv_signal_main, &srv) != 0) {
		xtlog_error("cannot start the signal thread");
		goto out;
	}
	started = fcgisrv_start_workers(&srv, tids, threads);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);

	/*
	 * Request threads also end after a fatal accept error or a failed
	 * start, with the signal thread still waiting: wake it with the
	 * signal it waits for (harmless if it has already returned, as its
	 * id stays valid until joined).  Setting stopping first keeps it
	 * from recording a stop request nobody made.
	 */
	atomic_store(&srv.stopping, 1);
	pthread_kill(sig_tid, SIGTERM);
	pthread_join(sig_tid, NULL);
	xtlog_flush();

	if (started == threads && !atomic_load(&srv.failed))
		r = 0;
 out:
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	pthread_mutex_destroy(&srv.accept_lock);
	free(tids);
	return r;
}

const char *
fcgisrv_stop_reason(void)
{
	switch (atomic_load(&fcgisrv_stop_sig)) {
	case SIGTERM:
		return "on SIGTERM";
	case SIGINT:
		return "on SIGINT";
	default:
		return "";
	}
}

const char *
fcgisrv_param(FCGX_Request *req, const char *name)
{
	if (req == NULL || name == NULL || req->envp == NULL)
		return NULL;
	return FCGX_GetParam(name, req->envp);
}
