#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Send one GET request whose header lines come from a file, over a plain
# socket, and print the HTTP status ("000" when none came back).  For
# requests curl refuses to build: curl caps a request's headers at 1 MiB,
# and the tests send a 1 MiB token on purpose.  A server may answer and
# close while the request is still being sent; the answer is read anyway.
# An https URL needs CA_FILE, the CA the server's certificate must chain to.
#
#   send_raw.py URL HEADER_FILE HEADERS_OUT BODY_OUT [CA_FILE]

import socket
import ssl
import sys
import urllib.parse


def main(argv):
    url, header_file, headers_out, body_out = argv[:4]
    cafile = argv[4] if len(argv) > 4 else None
    u = urllib.parse.urlsplit(url)
    if u.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("send_raw.py: only loopback URLs are allowed")
    with open(header_file, "rb") as f:
        lines = [ln for ln in f.read().split(b"\n") if ln]
    request = (b"GET " + (u.path or "/").encode("ascii") + b" HTTP/1.1\r\n"
               b"Host: " + u.netloc.encode("ascii") + b"\r\n" +
               b"".join(ln + b"\r\n" for ln in lines) +
               b"Connection: close\r\n\r\n")

    answer = b""
    raw = socket.create_connection((u.hostname, u.port or 80), timeout=20)
    if u.scheme == "https":
        ctx = ssl.create_default_context(cafile=cafile)
        raw = ctx.wrap_socket(raw, server_hostname=u.hostname)
    with raw as s:
        try:
            s.sendall(request)
            # Over TLS a half-close would end the TLS session itself;
            # "Connection: close" makes the server close after answering.
            if u.scheme != "https":
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass

    head, _, body = answer.partition(b"\r\n\r\n")
    with open(headers_out, "wb") as f:
        f.write(head + b"\r\n")
    with open(body_out, "wb") as f:
        f.write(body)
    status = "000"
    parts = head.split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/"):
        status = parts[1].decode("ascii", "replace")
    print(status)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
