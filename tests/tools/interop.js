// Copyright (c) 2026 The xtoken developers
// SPDX-License-Identifier: MIT
//
// Sign or verify a token with an independent Node.js JWT library, so the
// interoperability test can check xtoken against code it shares nothing
// with.
//
//   node interop.js mint   LIB ALG APPID PRIVATE.pem    prints a token
//   node interop.js verify LIB ALG PUBLIC.pem TOKEN     exit 0 if it verifies
//
// LIB is jsonwebtoken or jose, loaded from XTOKEN_NODE_MODULES (installed
// by the test from tests/tools/node/package-lock.json).  Exit status 3:
// the library does not offer ALG.
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.XTOKEN_NODE_MODULES;
const load = (name) => require(path.join(modules, name));
const LIFETIME = 300;

function claims(app) {
	const now = Math.floor(Date.now() / 1000);
	return { appId: app, iat: now, exp: now + LIFETIME };
}

const libs = {
	jsonwebtoken: {
		algs: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
		    'ES256', 'ES384', 'ES512'],
		async mint(alg, app, pem) {
			return load('jsonwebtoken').sign(claims(app), pem,
			    { algorithm: alg, noTimestamp: true });
		},
		async verify(alg, pem, token) {
			return load('jsonwebtoken').verify(token, pem,
			    { algorithms: [alg] }).appId;
		},
	},
	jose: {
		algs: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
		    'ES256', 'ES384', 'ES512', 'EdDSA'],
		async mint(alg, app, pem) {
			const jose = load('jose');
			const key = await jose.importPKCS8(pem, alg);
			return new jose.SignJWT(claims(app))
			    .setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
		},
		async verify(alg, pem, token) {
			const jose = load('jose');
			const key = await jose.importSPKI(pem, alg);
			const got = await jose.jwtVerify(token, key,
			    { algorithms: [alg], requiredClaims: ['exp'] });
			return got.payload.appId;
		},
	},
};

async function main(argv) {
	const [verb, lib, alg, a, b] = argv;
	if (argv.length !== 5 || !['mint', 'verify'].includes(verb) ||
	    !libs[lib]) {
		process.stderr.write('usage: see the header of interop.js\n');
		return 2;
	}
	if (!libs[lib].algs.includes(alg)) {
		process.stderr.write(`${lib} cannot do ${alg}\n`);
		return 3;
	}
	try {
		if (verb === 'mint') {
			const pem = fs.readFileSync(b, 'utf8');
			process.stdout.write(await libs[lib].mint(alg, a, pem) +
			    '\n');
			return 0;
		}
		const app = await libs[lib].verify(alg,
		    fs.readFileSync(a, 'utf8'), b);
		if (!app) {
			process.stderr.write(`${lib}: no appId\n`);
			return 1;
		}
		process.stdout.write(app + '\n');
		return 0;
	} catch (e) {
		process.stderr.write(`${lib} refused: ${e.message}\n`);
		return 1;
	}
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
