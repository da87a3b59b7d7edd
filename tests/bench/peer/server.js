// Copyright (c) 2026 The xtoken developers
// SPDX-License-Identifier: MIT
//
// The design xtoken replaces, rebuilt for make bench: one express server
// whose middleware reads the caller's <appId>_public.pem and verifies the
// x-token with jsonwebtoken (RS512 only) on each request, then serves
// GET /users from the same SQLite database as xtoken-api.  A node cluster
// of PEER_WORKERS processes listens on 127.0.0.1:PEER_PORT.
//
// PEER_CACHE_KEYS=1 is the fairer variant: each key file is read and
// parsed once, then kept in memory.

'use strict';

const cluster = require('node:cluster');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const port = Number(process.env.PEER_PORT);
const keysDir = process.env.PEER_KEYS;
const dbPath = process.env.PEER_DB;
const workers = Number(process.env.PEER_WORKERS || 2);
const cacheKeys = process.env.PEER_CACHE_KEYS === '1';

// The same rule as xtoken's: the appId never becomes a path it should not.
const appIdRule = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

function startPrimary() {
  for (let i = 0; i < workers; i++)
    cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (code !== 0)
      console.error(`peer: worker ${worker.process.pid} exited ${code}`);
  });
  const stop = () => {
    for (const id in cluster.workers)
      cluster.workers[id].kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function startWorker() {
  const express = require('express');
  const jwt = require('jsonwebtoken');
  const Database = require('better-sqlite3');

  const db = new Database(dbPath, { readonly: true });
  const listUsers = db.prepare('SELECT id, name, email FROM users ' +
    'ORDER BY id');
  const keys = new Map();

  function publicKey(appId) {
    const file = path.join(keysDir, appId + '_public.pem');
    if (!cacheKeys)
      return fs.readFileSync(file);
    let key = keys.get(appId);
    if (key === undefined) {
      key = crypto.createPublicKey(fs.readFileSync(file));
      keys.set(appId, key);
    }
    return key;
  }

  function refuse(res, reason) {
    res.status(401).set('WWW-Authenticate', 'Bearer realm="peer"')
      .json({ error: 'invalid_token', reason });
  }

  function authorize(req, res, next) {
    const token = req.get('x-token');
    if (!token)
      return refuse(res, 'no_token');
    const decoded = jwt.decode(token);
    const appId = decoded && decoded.appId;
    if (typeof appId !== 'string' || !appIdRule.test(appId))
      return refuse(res, 'bad_app_id');
    let key;
    try {
      key = publicKey(appId);
    } catch (e) {
      return refuse(res, 'unknown_app');
    }
    try {
      jwt.verify(token, key, { algorithms: ['RS512'] });
    } catch (e) {
      return refuse(res, 'bad_token');
    }
    req.appId = appId;
    next();
  }

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/users', authorize, (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Content-Type-Options', 'nosniff');
    res.json(listUsers.all());
  });
  app.listen(port, '127.0.0.1');
}

if (cluster.isPrimary)
  startPrimary();
else
  startWorker();
