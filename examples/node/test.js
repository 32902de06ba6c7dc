// Checks server.js over real HTTP on a free loopback port, and tag.js.  Run by
// `make examples` (examples/run.sh) as  TG_DB=trained.db node test.js ; prints one
// "ok"/"FAIL" line per check and exits non-zero if any failed.
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const Database = require('better-sqlite3');

const DB = process.env.TG_DB;
const ROOT = path.join(__dirname, '..', '..');
const EXT = process.env.TG_EXT ?? path.join(ROOT, 'tg.so');
const LIMIT = 1024 * 1024;
let passed = 0, failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e.message).split('\n').join('\n     ')}`);
  }
}

// Starts server.js with PORT=0 and resolves once it prints the port it got; output()
// is everything it has printed so far.
function startServer(env, args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'server.js'), ...args], {
      env: { ...process.env, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no port after 10 s: ${out}${err}`)); }, 10000);
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, port: Number(m[1]), output: () => out + err }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
}

function stopServer({ child }) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners('exit');
    child.on('exit', (code, signal) => resolve(signal ?? code));
    child.kill('SIGTERM');
  });
}

// One request on a fresh connection: { status, headers, body (parsed JSON or raw text) }.
// A server that answers before reading the whole body (a 413) may close the connection
// while the upload is still going: the answer, once it has come, is what counts, so a
// write error after it (EPIPE, ECONNRESET) does not lose it.
function request(port, method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      const done = () => {
        let json;
        try { json = JSON.parse(text); } catch { json = text; }
        resolve({ status: res.statusCode, headers: res.headers, body: json });
      };
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', (e) => { if (!answered) reject(e); });
    req.end(body);
  });
}

// A POST that declares its length and waits for "100 Continue" before sending the body, as
// curl does for large bodies: a server that refuses the size answers before any is sent.
function requestExpectingContinue(port, urlPath, body) {
  return new Promise((resolve, reject) => {
    let bodySent = false;
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: urlPath, agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
                 Expect: '100-continue' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = text; }
        resolve({ status: res.statusCode, body: json, bodySent });
        req.destroy();
      });
    });
    req.on('continue', () => { bodySent = true; req.end(body); });
    req.on('error', reject);
  });
}

// Streams a chunked body that never ends, over a raw socket (Node's own client would
// close the connection itself once answered): resolves with the status and JSON of the
// answer, how much was sent before it came, and how long the server then took to cut.
function endlessUpload(port) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 'a'), Buffer.from('\r\n')]);
    let sent = 0, text = '', answer = null, answeredAt = 0, done = false, waiting = false;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
                   'Transfer-Encoding: chunked\r\n\r\n');
    });
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(pump);
      clearTimeout(giveUp);
      socket.destroy();
      if (!answer) return reject(new Error(`no answer after sending ${sent} bytes: ${text}`));
      resolve({ ...answer, closedAfterMs: Date.now() - answeredAt });
    };
    socket.setEncoding('latin1');
    socket.on('data', (d) => {
      text += d;
      const m = /^HTTP\/1\.1 (\d+)[^]*?\r\ncontent-length: (\d+)\r\n[^]*?\r\n\r\n/i.exec(text);
      if (!answer && m && text.length >= m[0].length + Number(m[2])) {
        answer = { status: Number(m[1]), body: JSON.parse(text.slice(m[0].length)), sentBefore: sent };
        answeredAt = Date.now();
      }
    });
    socket.on('error', () => {}); // the server cutting the connection: expected
    socket.on('close', finish);
    const pump = setInterval(() => { // keep sending, as fast as the socket takes it, until cut
      if (waiting || socket.connecting || socket.destroyed) return;
      sent += chunk.length;
      if (!socket.write(chunk)) {
        waiting = true;
        socket.once('drain', () => { waiting = false; });
      }
    }, 1);
    const giveUp = setTimeout(finish, 8000);
  });
}

async function main() {
  if (!DB) throw new Error('set TG_DB to a database trained by tg-train');
  const labels = (() => {
    const db = new Database(DB, { readonly: true });
    db.loadExtension(EXT);
    const l = JSON.parse(db.prepare("SELECT tg_model() ->> '$.labels' AS l").get().l);
    db.close();
    return l;
  })();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-node-'));
  const empty = path.join(tmp, 'empty.db');
  new Database(empty).close();
  const served = path.join(tmp, 'served.db'); // a copy: the redeploy check changes it
  fs.copyFileSync(DB, served);

  let server;
  await check('server.js starts on a free loopback port', async () => {
    server = await startServer({ TG_DB: served });
  });
  if (!server) return;
  const { port } = server;
  const ghost = 'A family moves into an old house where a ghost and a demon hunt them every night.';

  await check('GET /health: 200, status ok, the deployed model id and name', async () => {
    const r = await request(port, 'GET', '/health');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body.status, 'ok');
    assert.ok(Number.isInteger(r.body.model.id) && r.body.model.id >= 1, JSON.stringify(r.body));
    assert.equal(r.body.model.name, 'genre');
  });
  await check('POST /predict: genre, tags and scores, as tg answers in SQL', async () => {
    const r = await request(port, 'POST', '/predict', JSON.stringify({ overview: ghost }),
                            { 'Content-Type': 'application/json' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { genre, tags, scores } = r.body;
    assert.ok(labels.includes(genre), `genre ${genre}`);
    assert.ok(Array.isArray(tags) && tags[0] === genre, `tags ${tags}`);
    assert.deepEqual(Object.keys(scores).sort(), [...labels].sort());
    assert.equal(Object.entries(scores).sort((a, b) => b[1] - a[1])[0][0], genre);
    const db = new Database(DB, { readonly: true });
    db.loadExtension(EXT);
    const sql = db.prepare('SELECT tg_predict(@t) AS g, tg_tags(@t) AS t, tg_scores(@t) AS s').get({ t: ghost });
    db.close();
    assert.deepEqual(r.body, { genre: sql.g, tags: JSON.parse(sql.t), scores: JSON.parse(sql.s) });
  });
  await check('POST /predict: a text without words gets genre null, no tags, no scores', async () => {
    const r = await request(port, 'POST', '/predict', '{"overview": "... !!!"}');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { genre: null, tags: [], scores: {} });
  });
  await check('POST /predict: bad JSON is a 400 with a JSON error', async () => {
    const r = await request(port, 'POST', '/predict', '{"overview": "unterminated');
    assert.equal(r.status, 400);
    assert.match(r.body.error, /JSON/);
  });
  for (const [what, body] of [['a number overview', '{"overview": 42}'], ['no overview', '{"title": "x"}'],
                              ['null', 'null'], ['an array', '["a ghost"]'], ['an empty body', '']]) {
    await check(`POST /predict: ${what} is a 400 with a JSON error`, async () => {
      const r = await request(port, 'POST', '/predict', body);
      assert.equal(r.status, 400);
      assert.equal(typeof r.body.error, 'string');
    });
  }
  await check('POST /predict: a 2 MB body (Content-Length, Expect: 100-continue) is a 413 before it is sent', async () => {
    const big = JSON.stringify({ overview: 'ghost '.repeat(2 * LIMIT / 6) });
    const r = await requestExpectingContinue(port, '/predict', big);
    assert.equal(r.status, 413);
    assert.equal(r.bodySent, false);
    assert.match(r.body.error, /over/);
  });
  await check('POST /predict: an endless chunked body gets 413 at ~1 MB, then the connection is cut', async () => {
    const r = await endlessUpload(port);
    assert.equal(r.status, 413);
    assert.ok(r.sentBefore < 16 * LIMIT, `answered only after ${r.sentBefore} bytes`);
    assert.ok(r.closedAfterMs < 5000, `connection still open ${r.closedAfterMs} ms after the 413`);
  });
  await check('unknown path is a 404, wrong method a 405 with Allow', async () => {
    const a = await request(port, 'GET', '/nope');
    assert.equal(a.status, 404);
    assert.equal(typeof a.body.error, 'string');
    const b = await request(port, 'GET', '/predict');
    assert.equal(b.status, 405);
    assert.equal(b.headers.allow, 'POST');
    const c = await request(port, 'DELETE', '/health');
    assert.equal(c.status, 405);
  });
  await check('the server still answers after all that', async () => {
    const r = await request(port, 'GET', '/health');
    assert.equal(r.status, 200);
  });
  await check('a redeploy by tg-train is served from the next request on, no restart', async () => {
    const before = (await request(port, 'GET', '/health')).body.model.id;
    const train = (...args) => execFileSync(path.join(ROOT, 'tg-train'), args, { encoding: 'utf8' });
    train('-q', '--force', '--deploy', 'always', path.join(ROOT, 'data', 'sample_movies.csv'), served);
    const after = (await request(port, 'GET', '/health')).body.model.id;
    assert.ok(after > before, `model ${before}, then ${after}`);
    train('rollback', '-q', served);
    assert.equal((await request(port, 'GET', '/health')).body.model.id, before);
  });
  await check('SIGTERM stops the server with status 0', async () => {
    assert.equal(await stopServer(server), 0);
  });

  // A database without a model: the extension raises, the server says so.
  let bare;
  await check('without a model: POST /predict is a 500 with tg\'s error, /health a 503', async () => {
    bare = await startServer({ TG_DB: empty });
    const r = await request(bare.port, 'POST', '/predict', JSON.stringify({ overview: ghost }));
    assert.equal(r.status, 500);
    assert.match(r.body.error, /^tg: no model registry/);
    const h = await request(bare.port, 'GET', '/health');
    assert.equal(h.status, 503);
    assert.equal(h.body.status, 'error');
  });
  if (bare) await stopServer(bare);
  await check('a missing database: the server exits 1 with a message', async () => {
    await assert.rejects(startServer({ TG_DB: path.join(tmp, 'missing.db') }), /exited 1: server\.js: .*missing\.db/);
  });
  await check('a damaged TG_EXT: the server exits 1 naming that file and the cause, not "tg.so.so"', async () => {
    const bad = path.join(tmp, 'damaged', 'tg.so');
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    fs.writeFileSync(bad, 'not an ELF file'.repeat(8));
    await assert.rejects(startServer({ TG_DB: DB, TG_EXT: bad }), (e) => {
      assert.match(e.message, /exited 1: server\.js: .*damaged\/tg\.so: invalid ELF header/);
      assert.doesNotMatch(e.message, /tg\.so\.so/);
      return true;
    });
  });

  // Token authentication on /predict.
  const token = crypto.randomBytes(24).toString('base64url');
  const tokenFile = path.join(tmp, 'token');
  fs.writeFileSync(tokenFile, token + '\n');
  let guarded;
  await check('--token-file: the server starts and says /predict needs a token', async () => {
    guarded = await startServer({ TG_DB: DB }, ['--token-file', tokenFile]);
    assert.match(guarded.output(), /needs a token/);
  });
  if (guarded) {
    const gp = guarded.port, body = JSON.stringify({ overview: ghost });
    await check('token: no Authorization is a 401 with WWW-Authenticate: Bearer', async () => {
      const r = await request(gp, 'POST', '/predict', body);
      assert.equal(r.status, 401);
      assert.equal(r.headers['www-authenticate'], 'Bearer');
    });
    await check('token: another scheme or an empty bearer is a 401', async () => {
      for (const auth of [`Basic ${token}`, 'Bearer ', token])
        assert.equal((await request(gp, 'POST', '/predict', body, { Authorization: auth })).status, 401, auth);
    });
    await check('token: a wrong token (shorter, longer, one character off) is a 403', async () => {
      const off = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
      for (const t of [token.slice(1), token + 'x', off])
        assert.equal((await request(gp, 'POST', '/predict', body, { Authorization: `Bearer ${t}` })).status, 403, t);
    });
    await check('token: the right token gets the prediction', async () => {
      const r = await request(gp, 'POST', '/predict', body, { Authorization: `Bearer ${token}` });
      assert.equal(r.status, 200);
      assert.ok(labels.includes(r.body.genre), JSON.stringify(r.body));
    });
    await check('token: two Authorization headers are a 400, whatever the second says', async () => {
      for (const second of [`Bearer ${token}`, 'Bearer other', 'x']) {
        const r = await request(gp, 'POST', '/predict', body, { Authorization: [`Bearer ${token}`, second] });
        assert.equal(r.status, 400, second);
        assert.match(r.body.error, /more than one Authorization header/);
      }
    });
    await check('token: the scheme in any case, any number of spaces before the token', async () => {
      for (const auth of [`bearer ${token}`, `BEARER   ${token}`, `BeArEr ${token}  `])
        assert.equal((await request(gp, 'POST', '/predict', body, { Authorization: auth })).status, 200, auth);
    });
    await check('token: a refused large upload (Expect: 100-continue) is refused before it is sent', async () => {
      const r = await requestExpectingContinue(gp, '/predict', JSON.stringify({ overview: 'ghost '.repeat(1000) }));
      assert.equal(r.status, 401);
      assert.equal(r.bodySent, false);
    });
    await check('token: /health stays open (the balancer\'s checks)', async () => {
      assert.equal((await request(gp, 'GET', '/health')).status, 200);
    });
    await check('token: never printed by the server', async () => {
      await stopServer(guarded);
      assert.ok(!guarded.output().includes(token), guarded.output());
    });
  }
  await check('token: a token file without a token stops the server with a message', async () => {
    fs.writeFileSync(tokenFile, '\n');
    await assert.rejects(startServer({ TG_DB: DB }, ['--token-file', tokenFile]), /exited 1: server\.js: token: .*no token/);
  });
  await check('token: a file of several tokens (one per client): each is let in', async () => {
    const other = crypto.randomBytes(24).toString('base64url');
    fs.writeFileSync(tokenFile, `${token}\n${other}\n`);
    const s = await startServer({ TG_DB: DB }, ['--token-file', tokenFile]);
    const st = [];
    for (const t of [token, other, 'nope'])
      st.push((await request(s.port, 'POST', '/predict', JSON.stringify({ overview: ghost }), { Authorization: `Bearer ${t}` })).status);
    await stopServer(s);
    assert.deepEqual(st, [200, 200, 403]);
  });
  await check('TG_TOKEN works as --token-file does', async () => {
    const s = await startServer({ TG_DB: DB, TG_TOKEN: token });
    const a = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: ghost }));
    const b = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: ghost }),
                            { Authorization: `Bearer ${token}` });
    await stopServer(s);
    assert.deepEqual([a.status, b.status], [401, 200]);
  });

  // The model from another database, attached read-only.
  await check('--model-db: a database without a model served with the model database attached', async () => {
    const s = await startServer({ TG_DB: empty }, ['--model-db', DB]);
    const r = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: ghost }));
    const h = await request(s.port, 'GET', '/health');
    await stopServer(s);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(labels.includes(r.body.genre));
    assert.equal(h.body.model.name, 'genre');
  });
  await check('a "title" beside the overview: the shipped model reads both, as tg_text joins them in SQL', async () => {
    const shipped = path.join(__dirname, '..', '..', 'models', 'genre.db');
    const s = await startServer({ TG_DB: empty }, ['--model-db', shipped]);
    try {
      const film = { title: 'The Haunting of Hill House', overview: 'A family moves into an old mansion.' };
      const r = await request(s.port, 'POST', '/predict', JSON.stringify(film));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const db = new Database(':memory:');
      db.loadExtension(EXT);
      db.prepare('ATTACH ? AS tgm').run(shipped);
      const sql = db.prepare('SELECT tg_predict(t) AS g, tg_tags(t) AS t, tg_scores(t) AS s' +
                             ' FROM (SELECT tg_text(@title, @overview) AS t)').get(film);
      db.close();
      assert.deepEqual(r.body, { genre: sql.g, tags: JSON.parse(sql.t), scores: JSON.parse(sql.s) });
      const bad = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: ghost, title: 7 }));
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /"title"/);
      // A null title is no title: the same answer as without one.
      const none = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: film.overview }));
      const nul = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: film.overview, title: null }));
      assert.equal(nul.status, 200, JSON.stringify(nul.body));
      assert.deepEqual(nul.body, none.body);
    } finally {
      await stopServer(s);
    }
  });
  await check('--model-db without TG_DB: an in-memory main database', async () => {
    const s = await startServer({ TG_DB: '' }, ['--model-db', DB]);
    const r = await request(s.port, 'POST', '/predict', JSON.stringify({ overview: ghost }));
    await stopServer(s);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });
  await check('--model-db of a missing file: the server exits 1 with a message', async () => {
    await assert.rejects(startServer({ TG_DB: empty }, ['--model-db', path.join(tmp, 'nope.db')]),
                         /exited 1: server\.js: .*nope\.db does not exist/);
  });

  await check('tag.js tags the first test films with the model\'s genres', async () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'tag.js'), DB], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 5, out);
    for (const line of lines) assert.ok(labels.includes(line.split('\t')[1]), line);
  });
  await check('tag.js tags texts given on its command line', async () => {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'tag.js'), DB, ghost, '...'],
                             { encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => l.split('\t'));
    assert.equal(lines.length, 2, out);
    assert.equal(lines[0][0], ghost);
    assert.ok(labels.includes(lines[0][1]), out);
    assert.equal(lines[1][1], '-');
  });
  fs.rmSync(tmp, { recursive: true, force: true });
}

main()
  .catch((e) => { failed++; console.log(`FAIL node test: ${e.message}`); })
  .finally(() => {
    console.log(`node: ${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  });
