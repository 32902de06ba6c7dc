// A bounded client that checks every answer while the model changes under load: it
// sends the texts of BODIES (one JSON body per line) in turn to /predict over HTTPS (the
// balancer's certificate checked against CA) for SECONDS, on CONCURRENCY connections,
// with the bearer tokens of TOKENS in turn (one per line: many clients, each under the
// balancer's rate limit),
// and requires each answer to be a 200 equal to the answer of model A or of model B for
// that text (EXPECT_A, EXPECT_B: one JSON answer per line, in BODIES' order).  Prints
//   CHECKED answers=N model_a=N model_b=N wrong=N errors=N
// where model_a/model_b count the answers only that model gives.  Exit status 1 if any
// answer was wrong or an error.
// Usage: node check_answers.js URL CA TOKENS BODIES EXPECT_A EXPECT_B SECONDS CONCURRENCY
'use strict';
const fs = require('node:fs');
const https = require('node:https');
const { isDeepStrictEqual } = require('node:util');

const [url, caFile, tokensFile, bodiesFile, aFile, bFile, seconds, concurrency] = process.argv.slice(2);
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.length > 0);
const bodies = lines(bodiesFile);
const tokens = lines(tokensFile);
let sent = 0;
const expectA = lines(aFile).map((l) => JSON.parse(l));
const expectB = lines(bFile).map((l) => JSON.parse(l));
const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(caFile), maxSockets: Number(concurrency) });
const until = Date.now() + Number(seconds) * 1000;
const n = { answers: 0, model_a: 0, model_b: 0, wrong: 0, errors: 0 };
let firstProblem = '';

function post(body) {
  return new Promise((resolve) => {
    const req = https.request(url, {
      method: 'POST', agent,
      headers: { Authorization: `Bearer ${tokens[sent++ % tokens.length]}`, 'Content-Type': 'application/json' },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', (e) => resolve({ status: 0, text: e.message }));
    req.end(body);
  });
}

async function worker(start) {
  for (let i = start; Date.now() < until; i = (i + 1) % bodies.length) {
    const r = await post(bodies[i]);
    n.answers++;
    if (r.status !== 200) {
      n.errors++;
      firstProblem ||= `status ${r.status}: ${r.text.slice(0, 200)}`;
      continue;
    }
    const got = JSON.parse(r.text);
    const a = isDeepStrictEqual(got, expectA[i]), b = isDeepStrictEqual(got, expectB[i]);
    if (a && !b) n.model_a++;
    else if (b && !a) n.model_b++;
    else if (!a && !b) {
      n.wrong++;
      firstProblem ||= `text ${i}: ${r.text.slice(0, 200)}`;
    }
  }
}

const workers = [];
for (let w = 0; w < Number(concurrency); w++) workers.push(worker(Math.floor((w * bodies.length) / concurrency)));
Promise.all(workers).then(() => {
  console.log('CHECKED ' + Object.entries(n).map(([k, v]) => `${k}=${v}`).join(' '));
  if (firstProblem) console.log(`first problem: ${firstProblem}`);
  agent.destroy();
  process.exitCode = n.wrong || n.errors ? 1 : 0;
});
