#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Requests in flight while a program is told to stop, for the standalone
# test.  Talks FastCGI directly to the program's socket (fcgi_raw.py).
#
#   inflight.py partial ADDRESS GO_FILE TOKEN
#       Connect and send the first half of an authorizer request, print
#       "ready", wait until GO_FILE exists (10 s at most), send the rest
#       and print the answer.  Exit 0 with an answer, 1 without.
#
#   inflight.py hammer ADDRESS TOKEN SECONDS [THREADS]
#       Send requests from several threads for SECONDS (and at most
#       MAX_ATTEMPTS in all) and sort every attempt: "answered" (a
#       complete answer granting the token), "wrong" (a complete answer
#       that is not that), "refused" (no connection), "cut" (connected,
#       but the stream ended without a complete answer).  Prints
#       "answered=N wrong=N refused=N cut=N".

import os
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcgi_raw  # noqa: E402

MAX_ATTEMPTS = 30000


def authz_params(token):
    return [("FCGI_ROLE", "AUTHORIZER"), ("REQUEST_METHOD", "GET"),
            ("REQUEST_URI", "/users"), ("REMOTE_ADDR", "127.0.0.1"),
            ("HTTP_X_TOKEN", token)]


def granted(raw):
    status, headers, _ = fcgi_raw.parse_answer(raw)
    return status == 200 and "variable-app_id" in headers


def partial(address, go_file, token):
    data = fcgi_raw.request_bytes(authz_params(token), stdin=False)
    half = len(data) // 2
    s = fcgi_raw.connect(address, timeout=15)
    s.sendall(data[:half])
    print("ready", flush=True)
    deadline = time.monotonic() + 10
    while not os.path.exists(go_file) and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        s.sendall(data[half:])
        raw = fcgi_raw.read_answer(s)
    except OSError as e:
        print("error: %s" % e)
        return 1
    finally:
        s.close()
    if raw is None:
        print("no answer: the connection closed")
        return 1
    sys.stdout.write(raw.decode("latin-1"))
    return 0


class Hammer:
    def __init__(self, address, token, seconds):
        self.address = address
        self.data = fcgi_raw.request_bytes(authz_params(token), stdin=False)
        self.until = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.counts = {"answered": 0, "wrong": 0, "refused": 0, "cut": 0}
        self.busy = 0

    def count(self, what):
        with self.lock:
            self.counts[what] += 1

    def once(self):
        try:
            s = fcgi_raw.connect(self.address, timeout=5)
        except OSError:
            self.count("refused")
            time.sleep(0.01)
            return
        try:
            s.sendall(self.data)
            raw = fcgi_raw.read_answer(s)
        except OSError:
            raw = None
        finally:
            s.close()
        if raw is None:
            self.count("cut")
        elif granted(raw):
            self.count("answered")
        else:
            self.count("wrong")

    def take(self):
        with self.lock:
            if sum(self.counts.values()) + self.busy >= MAX_ATTEMPTS:
                return False
            self.busy += 1
            return True

    def worker(self):
        while time.monotonic() < self.until and self.take():
            self.once()
            with self.lock:
                self.busy -= 1

    def run(self, threads):
        ts = [threading.Thread(target=self.worker) for _ in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        print(" ".join("%s=%d" % kv for kv in self.counts.items()))


def main(argv):
    if len(argv) >= 5 and argv[1] == "partial":
        return partial(argv[2], argv[3], argv[4])
    if len(argv) >= 5 and argv[1] == "hammer":
        threads = int(argv[5]) if len(argv) > 5 else 4
        Hammer(argv[2], argv[3], float(argv[4])).run(threads)
        return 0
    sys.stderr.write("usage: inflight.py partial ADDRESS GO_FILE TOKEN\n"
                     "       inflight.py hammer ADDRESS TOKEN SECONDS "
                     "[THREADS]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
