#!/usr/bin/python3
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# A bounded request loop for the reload test: a few threads, each on its
# own kept-alive connection to a front server on 127.0.0.1, send requests
# whose exact answers are known in advance and count every answer that
# differs.  It stops at the first of: STOP_FILE exists, --max-requests
# sent, --max-seconds passed.
#
#   load.py URL CASES_FILE STOP_FILE [--threads N] [--max-requests N]
#       [--max-seconds S] [--pause S] [--cacert FILE]
#
# CASES_FILE has one request per line, tab-separated:
#   NAME  TOKEN_OR_-  STATUS  BODY_FILE_OR_-  REASON_OR_-
# A BODY_FILE is the exact body a 200 must carry; a REASON is what the
# refusal's JSON body must name.  Prints one summary line
#   requests=N failures=N ended=stop|requests|time seconds=S
# and up to 20 failures, and exits 1 if any answer differed.

import argparse
import http.client
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse


def load_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            name, token, status, body_file, reason = \
                line.rstrip("\n").split("\t")
            body = None
            if body_file != "-":
                with open(body_file, "rb") as bf:
                    body = bf.read()
            cases.append({
                "name": name,
                "token": None if token == "-" else token,
                "status": int(status),
                "body": body,
                "reason": None if reason == "-" else reason,
            })
    return cases


def judge(case, status, body):
    """None when the answer is the expected one, else what differs."""
    if status != case["status"]:
        return "status %d, expected %d" % (status, case["status"])
    if case["body"] is not None and body != case["body"]:
        return "body differs: %r" % body[:120]
    if case["reason"] is not None:
        try:
            got = json.loads(body.decode("utf-8")).get("reason")
        except ValueError:
            got = None
        if got != case["reason"]:
            return "reason %r, expected %r" % (got, case["reason"])
    return None


class Load:
    def __init__(self, args, cases):
        self.args = args
        self.cases = cases
        self.url = urllib.parse.urlsplit(args.url)
        if self.url.hostname != "127.0.0.1":
            raise SystemExit("load.py: only 127.0.0.1 is allowed")
        self.lock = threading.Lock()
        self.sent = 0
        self.failures = []
        self.ended = None
        self.started = time.monotonic()

    def connection(self):
        if self.url.scheme == "https":
            ctx = ssl.create_default_context(cafile=self.args.cacert)
            return http.client.HTTPSConnection(
                self.url.hostname, self.url.port, timeout=10, context=ctx)
        return http.client.HTTPConnection(self.url.hostname, self.url.port,
                                          timeout=10)

    def next_slot(self):
        """Take the right to send one more request, or say why not."""
        with self.lock:
            if self.ended:
                return False
            if os.path.exists(self.args.stop_file):
                self.ended = "stop"
            elif self.sent >= self.args.max_requests:
                self.ended = "requests"
            elif time.monotonic() - self.started > self.args.max_seconds:
                self.ended = "time"
            else:
                self.sent += 1
                return self.sent
            return False

    def fail(self, n, case, what):
        with self.lock:
            self.failures.append("#%d %s: %s" % (n, case["name"], what))

    def one(self, conn, n):
        case = self.cases[n % len(self.cases)]
        headers = {}
        if case["token"]:
            headers["x-token"] = case["token"]
        try:
            conn.request("GET", "/users", headers=headers)
            resp = conn.getresponse()
            body = resp.read()
        except (OSError, http.client.HTTPException) as e:
            self.fail(n, case, "no answer: %s" % e)
            conn.close()
            return
        what = judge(case, resp.status, body)
        if what:
            self.fail(n, case, what)

    def worker(self):
        conn = self.connection()
        while True:
            n = self.next_slot()
            if not n:
                break
            self.one(conn, n)
            if self.args.pause:
                time.sleep(self.args.pause)
        conn.close()

    def run(self):
        threads = [threading.Thread(target=self.worker)
                   for _ in range(self.args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("cases")
    p.add_argument("stop_file")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--max-requests", type=int, default=5000)
    p.add_argument("--max-seconds", type=float, default=25)
    p.add_argument("--pause", type=float, default=0.004)
    p.add_argument("--cacert")
    args = p.parse_args(argv)

    load = Load(args, load_cases(args.cases))
    load.run()
    print("requests=%d failures=%d ended=%s seconds=%.1f"
          % (load.sent, len(load.failures), load.ended,
             time.monotonic() - load.started))
    for line in load.failures[:20]:
        print(line)
    return 1 if load.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
