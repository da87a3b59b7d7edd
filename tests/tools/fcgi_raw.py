#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# A small FastCGI client (the web server's side of the protocol), so the
# tests can talk to a program listening on its own socket without any web
# server in between, and can stop half-way through a request on purpose.
#
# As a command:
#   fcgi_raw.py ADDRESS [--role AUTHORIZER] [NAME=VALUE ...]
# sends one request with those parameters and prints the program's answer
# (headers and body) on stdout.  ADDRESS is unix:PATH or HOST:PORT.
# Exit status 0 when an answer arrived, 1 when the connection failed or
# closed before the end of the request.

import socket
import struct
import sys

VERSION = 1
BEGIN_REQUEST = 1
END_REQUEST = 3
PARAMS = 4
STDIN = 5
STDOUT = 6
STDERR = 7
ROLES = {"RESPONDER": 1, "AUTHORIZER": 2, "FILTER": 3}
REQUEST_ID = 1


def connect(address, timeout=10.0):
    """A connected socket to unix:PATH or HOST:PORT."""
    if address.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address[len("unix:"):]
    else:
        host, _, port = address.rpartition(":")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host.strip("[]"), int(port))
    s.settimeout(timeout)
    s.connect(target)
    return s


def record(rtype, content=b""):
    """One record with no padding."""
    return struct.pack(">BBHHBB", VERSION, rtype, REQUEST_ID,
                       len(content), 0, 0) + content


def pair_length(n):
    if n < 128:
        return struct.pack(">B", n)
    return struct.pack(">I", n | 0x80000000)


def encode_params(params):
    out = b""
    for name, value in params:
        name = name.encode("utf-8") if isinstance(name, str) else name
        value = value.encode("utf-8") if isinstance(value, str) else value
        out += pair_length(len(name)) + pair_length(len(value))
        out += name + value
    return out


def begin(role="AUTHORIZER"):
    """BEGIN_REQUEST without FCGI_KEEP_CONN: the program closes after."""
    return record(BEGIN_REQUEST, struct.pack(">HB5x", ROLES[role], 0))


def params_records(params):
    """The PARAMS stream, in records of at most 32 KiB, and its end."""
    data = encode_params(params)
    out = b""
    for i in range(0, len(data), 32768):
        out += record(PARAMS, data[i:i + 32768])
    return out + record(PARAMS)


def request_bytes(params, role="AUTHORIZER", stdin=True):
    """A whole request.  An authorizer gets no STDIN, as from lighttpd."""
    out = begin(role) + params_records(params)
    if stdin:
        out += record(STDIN)
    return out


def read_answer(s):
    """Collect STDOUT until END_REQUEST; None if the stream ends first."""
    buf = b""
    out = b""
    while True:
        while len(buf) >= 8:
            _, rtype, _, clen, plen, _ = struct.unpack(">BBHHBB", buf[:8])
            if len(buf) < 8 + clen + plen:
                break
            content = buf[8:8 + clen]
            buf = buf[8 + clen + plen:]
            if rtype == STDOUT:
                out += content
            elif rtype == END_REQUEST:
                return out
        chunk = s.recv(65536)
        if not chunk:
            return None
        buf += chunk


def ask(address, params, role="AUTHORIZER", timeout=10.0):
    """One request on a fresh connection; the answer or None."""
    s = connect(address, timeout)
    try:
        s.sendall(request_bytes(params, role, stdin=(role == "RESPONDER")))
        return read_answer(s)
    finally:
        s.close()


def parse_answer(raw):
    """(status, {lower-case header: value}, body) of a CGI-style answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers, body


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: fcgi_raw.py ADDRESS [--role ROLE] "
                         "[NAME=VALUE ...]\n")
        return 2
    address = argv[1]
    role = "AUTHORIZER"
    params = []
    args = argv[2:]
    if len(args) >= 2 and args[0] == "--role":
        role = args[1]
        args = args[2:]
    for a in args:
        name, _, value = a.partition("=")
        params.append((name, value))
    params.insert(0, ("FCGI_ROLE", role))
    try:
        raw = ask(address, params, role)
    except OSError as e:
        sys.stderr.write("fcgi_raw.py: %s: %s\n" % (address, e))
        return 1
    if raw is None:
        sys.stderr.write("fcgi_raw.py: the connection closed before "
                         "the end of the request\n")
        return 1
    sys.stdout.write(raw.decode("latin-1"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
