// The HTTP prediction service, on tg: what the old Python prototype served from Docker
// on port 8000, now Node's http module, better-sqlite3 and tg.so over the model registry.
//
//   TG_DB=movies.db node server.js          (PORT=8000, TG_HOST=127.0.0.1, TG_EXT=../../tg.so, TG_MODEL=genre)
//   node server.js --model-db models/genre.db --token-file token.txt
//   curl -s localhost:8000/predict -H "Authorization: Bearer $(cat token.txt)" \
//        -d '{"overview": "A ghost haunts a family.", "title": "The Others"}'
//     -> {"genre":"Horror","tags":["Horror"],"scores":{"Horror":0.91,...}}
// "title" is optional: the model gets tg_text(title, overview), i.e. both for a model
// that reads titles (the shipped one), the overview alone for any other.
//   curl -s localhost:8000/health   -> {"status":"ok","model":{"id":1,"name":"genre"}}
//
// --model-db PATH (or TG_MODEL_DB) attaches a model database read-only, for a served
// database without a model (without TG_DB, the main database is an empty in-memory one).
// --token-file PATH (one token per line; or TG_TOKEN_FILE, or TG_TOKEN itself) makes
// /predict require "Authorization: Bearer TOKEN": 401 without one, 403 with a wrong one.
// Only SHA-256 digests of tokens are kept and compared (crypto.timingSafeEqual); no token
// is logged.
// A redeploy with tg-train is picked up by the next request; no restart needed.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { parseArgs } = require('node:util');
const Database = require('better-sqlite3');

let args;
try {
  args = parseArgs({ options: { 'model-db': { type: 'string' }, 'token-file': { type: 'string' } } }).values;
} catch (e) {
  console.error(`server.js: ${e.message}\nusage: node server.js [--model-db PATH] [--token-file PATH]`);
  process.exit(2);
}
const PORT = Number(process.env.PORT || 8000); // 0: any free port (printed)
// Loopback unless told otherwise: a container (images/) listens on 0.0.0.0 behind its port mapping.
const HOST = process.env.TG_HOST || '127.0.0.1';
const MAX_BODY = Number(process.env.TG_MAX_BODY ?? 1024 * 1024); // bytes
const MODEL_DB = args['model-db'] ?? process.env.TG_MODEL_DB;
const DB_PATH = process.env.TG_DB || (MODEL_DB ? ':memory:' : 'movies.db');
const EXT = process.env.TG_EXT ?? path.join(__dirname, '..', '..', 'tg.so');
const MODEL = process.env.TG_MODEL ?? 'genre';
const TOKEN_FILE = args['token-file'] ?? process.env.TG_TOKEN_FILE;

// The tokens' SHA-256 digests, by their hex; the tokens themselves are not kept.  A token file holds
// one token per line (one per client: a client is revoked by removing its line).
const digest = (s) => crypto.createHash('sha256').update(s).digest();
let tokenDigests = null;
try {
  const tokens = TOKEN_FILE ? fs.readFileSync(TOKEN_FILE, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean)
    : process.env.TG_TOKEN !== undefined ? [process.env.TG_TOKEN] : null;
  if (tokens && (tokens.length === 0 || tokens.some((t) => /\s/.test(t) || t === '')))
    throw new Error(`${TOKEN_FILE ?? 'TG_TOKEN'}: no token, or a token with spaces`);
  if (tokens) tokenDigests = new Map(tokens.map((t) => [digest(t).toString('hex'), digest(t)]));
} catch (e) {
  console.error(`server.js: token: ${e.message}`);
  process.exit(1);
}

let db, predict, model;
try {
  db = DB_PATH === ':memory:' ? new Database(DB_PATH) : new Database(DB_PATH, { readonly: true, fileMustExist: true });
  // Without ".so": SQLite tries the name as given, then with ".so", and reports the last
  // failure, so a damaged tg.so is reported as itself, not as "tg.so.so: cannot open".
  db.loadExtension(EXT.replace(/\.so$/, ''));
  if (MODEL_DB) {
    if (!fs.existsSync(MODEL_DB)) throw new Error(`model database ${MODEL_DB} does not exist`);
    db.prepare('ATTACH ? AS tgm').run(MODEL_DB);
  }
  db.pragma('query_only = ON'); // read-only, the attached database too (no URI filenames here)
  predict = db.prepare('SELECT tg_predict(t, @model) AS genre, tg_tags(t, @model) AS tags,' +
                       ' tg_scores(t, @model) AS scores FROM (SELECT tg_text(@title, @text, @model) AS t)');
  model = db.prepare("SELECT m ->> '$.id' AS id, m ->> '$.name' AS name, m ->> '$.created_at' AS created_at" +
                     ' FROM (SELECT tg_model(@model) AS m)');
} catch (e) {
  console.error(`server.js: ${DB_PATH}: ${e.message}`);
  process.exit(1);
}

function send(res, status, body, headers = {}) {
  const data = JSON.stringify(body) + '\n';
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

// Reads the body up to MAX_BODY bytes, else answers 413 as soon as the Content-Length or
// the bytes received so far pass the limit.  Nothing past the limit is kept: what the
// client still sends is discarded, so that it can read the answer (closing at once would
// reset the connection under it), then the connection is cut: after LINGER_MS for a body
// of unknown length, after DRAIN_MS for a declared one of at most 16 times the limit.
const LINGER_MS = 1000;
const DRAIN_MS = 10000;
function readBody(req, res, done) {
  let size = 0, over = false;
  const chunks = [];
  const tooLarge = () => {
    over = true;
    chunks.length = 0;
    send(res, 413, { error: `request body over ${MAX_BODY} bytes` });
    const declared = Number(req.headers['content-length']);
    const wait = declared > 0 && declared <= 16 * MAX_BODY ? DRAIN_MS : LINGER_MS;
    const timer = setTimeout(() => req.socket.destroy(), wait).unref();
    req.on('end', () => clearTimeout(timer));
  };
  req.on('data', (chunk) => {
    if (over) return;
    size += chunk.length;
    if (size > MAX_BODY) return tooLarge();
    chunks.push(chunk);
  });
  req.on('end', () => { if (!over) done(Buffer.concat(chunks).toString('utf8')); });
  if (Number(req.headers['content-length']) > MAX_BODY) tooLarge();
}

// null when the request may go on, else the status that refuses it: 400 with more than
// one Authorization header, 401 without a bearer token, 403 with a wrong one.  Node keeps
// only the first of duplicated Authorization headers in req.headers, while a balancer
// may count the request against the last one (haproxy's req.hdr() does): such a request
// is refused, never read one way here and another way there.  What is looked up and
// compared is the digest of the token sent, never the token: how long the lookup takes
// can only tell how much of a digest matched, which does not help to find a token.  The
// final comparison of the fixed-length digests is timingSafeEqual.
function refusal(req) {
  if (!tokenDigests) return null;
  const auth = req.headersDistinct.authorization ?? [];
  if (auth.length > 1) return 400;
  const m = /^Bearer +(\S+) *$/i.exec(auth[0] ?? '');
  if (!m) return 401;
  const d = digest(m[1]);
  const t = tokenDigests.get(d.toString('hex'));
  return t && crypto.timingSafeEqual(d, t) ? null : 403;
}

function handlePredict(req, res) {
  const refused = refusal(req);
  if (refused === 400) return send(res, 400, { error: 'more than one Authorization header' });
  if (refused === 401)
    return send(res, 401, { error: 'a bearer token is required' }, { 'WWW-Authenticate': 'Bearer' });
  if (refused === 403) return send(res, 403, { error: 'the token is not valid' });
  readBody(req, res, (text) => {
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return send(res, 400, { error: 'body is not valid JSON' });
    }
    // A null title is no title, as SQL's NULL is to tg_text.
    if (body === null || typeof body !== 'object' || typeof body.overview !== 'string'
        || !(body.title == null || typeof body.title === 'string'))
      return send(res, 400, { error: 'expected a JSON object with a string "overview" (and optionally a string or null "title")' });
    let row;
    try {
      row = predict.get({ text: body.overview, title: body.title ?? null, model: MODEL });
    } catch (e) {
      return send(res, 500, { error: e.message });
    }
    // A text without a single word gets NULL from tg: no genre, no tags, no scores.
    send(res, 200, {
      genre: row.genre,
      tags: row.tags === null ? [] : JSON.parse(row.tags),
      scores: row.scores === null ? {} : JSON.parse(row.scores),
    });
  });
}

function handleHealth(req, res) {
  try {
    send(res, 200, { status: 'ok', model: model.get({ model: MODEL }) });
  } catch (e) {
    send(res, 503, { status: 'error', error: e.message });
  }
}

const routes = { '/predict': ['POST', handlePredict], '/health': ['GET', handleHealth] };

const server = http.createServer((req, res) => {
  let route;
  try {
    route = routes[new URL(req.url, 'http://localhost').pathname];
  } catch {
    return send(res, 400, { error: 'bad request target' });
  }
  if (!route) return send(res, 404, { error: 'not found' });
  const [method, handler] = route;
  if (req.method !== method && !(method === 'GET' && req.method === 'HEAD'))
    return send(res, 405, { error: `use ${method}` }, { Allow: method === 'GET' ? 'GET, HEAD' : method });
  handler(req, res);
});

// A client that asks first (Expect: 100-continue, as curl does for large bodies) is told
// 401/403 or 413 before it sends anything.
server.on('checkContinue', (req, res) => {
  if (new URL(req.url, 'http://localhost').pathname === '/predict' && refusal(req))
    return server.emit('request', req, res); // refused before the body is sent
  if (Number(req.headers['content-length']) > MAX_BODY)
    return send(res, 413, { error: `request body over ${MAX_BODY} bytes` }, { Connection: 'close' });
  res.writeContinue();
  server.emit('request', req, res);
});

server.on('error', (e) => {
  console.error(`server.js: ${e.message}`);
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  const modelDb = MODEL_DB ? `, model db ${MODEL_DB}` : '';
  console.log(`tg server listening on http://${HOST}:${server.address().port} (db ${DB_PATH}${modelDb},` +
              ` /predict ${tokenDigests ? 'needs a token' : 'open to all: no token set'})`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close(() => { db.close(); process.exit(0); });
    server.closeAllConnections();
  });
}
