// tg's page: tags the text in the box as it changes, with SQLite and tg compiled to
// WebAssembly (tg-sqlite.js, built from web/tg_wasm.c) and the model database fetched
// from beside the page.  Nothing leaves the browser.
//
// The answer lives on #answer, for people and for tests alike:
//   data-tg-state  loading | ready (no text yet) | answer | none (no word the model
//                  knows) | error (the message is in #status)
//   data-tg-top    tg_predict(t), data-tg-tags  tg_tags(t), both exactly as SQL returns
//                  them for t = tg_text(title, overview) (present only in state "answer")
//   data-tg-first-ms  milliseconds from navigation to the first state after loading
// The boxes start with ?q=... (overview) and ?t=... (title) from the URL.
// window.tg.tag(text, title) gives the raw answer (for the benchmark).
'use strict';

const MAX_BYTES = 1 << 20; // longer texts get a message rather than a slow page

const $ = (id) => document.getElementById(id);
const box = $('text');
const titleBox = $('title');
const answerEl = $('answer');
const encoder = new TextEncoder();

function show(state, message) {
  answerEl.dataset.tgState = state;
  $('status').textContent = message || '';
  if (!('tgFirstMs' in answerEl.dataset) && state !== 'loading')
    answerEl.dataset.tgFirstMs = performance.now().toFixed(1);
}

// The wasm side: text in, the four SQL results out (null when no word is known).
function makeTagger(mod) {
  const col = (i) => {
    const p = mod._tgw_column(i);
    return p ? mod.UTF8ToString(p) : null;
  };
  const pass = (bytes) => { // into SQLite's memory, which tgw_open/tgw_run then own
    const p = mod._tgw_alloc(bytes.length);
    if (!p) throw new Error('tg: out of memory in the page');
    mod.HEAPU8.set(bytes, p);
    return p;
  };
  const check = (rc) => {
    if (rc) throw new Error(mod.UTF8ToString(mod._tgw_error()));
  };
  return {
    open(bytes) {
      check(mod._tgw_open(pass(bytes), bytes.length));
      return JSON.parse(mod.UTF8ToString(mod._tgw_info()));
    },
    tag(text, title = '') {
      const bytes = encoder.encode(text); // lone surrogates become U+FFFD here
      const titleBytes = encoder.encode(title);
      check(mod._tgw_run(pass(bytes), bytes.length, pass(titleBytes), titleBytes.length));
      return { top: col(0), tags: col(1), scores: col(2), explain: col(3) };
    },
  };
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function renderScores(scores, tags, thresholds) {
  const list = $('scores');
  list.replaceChildren();
  for (const [genre, p] of Object.entries(scores)) {
    const li = el('li', tags.includes(genre) ? 'tagged' : '');
    const bar = el('span', 'bar');
    bar.append(el('span', 'fill'));
    bar.firstChild.style.width = (100 * p).toFixed(1) + '%';
    if (thresholds && genre in thresholds) {
      const tick = el('span', 'threshold');
      tick.style.left = (100 * thresholds[genre]).toFixed(1) + '%';
      tick.title = 'tagged from ' + (100 * thresholds[genre]).toFixed(1) + '%';
      bar.append(tick);
    }
    li.append(el('span', 'genre', genre), bar, el('span', 'pct', (100 * p).toFixed(1) + '%'));
    list.append(li);
  }
}

// Words as tg's tokenizer cuts them (ext/core/tokenize.h): runs of letters, digits and
// non-ASCII characters; ASCII punctuation, U+0080..U+00BF and U+2000..U+203F separate.
// Tokens of one byte are dropped.
const WORD = /[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u2000-\u203f]+/g;
const words = (s) => Array.from(s.matchAll(WORD))
  .filter((m) => m[0].length > 1 || m[0].charCodeAt(0) > 0x7f);

// Marks in the text each word of a feature tg_explain listed, coloured by its sum.
function renderWhy(text, top, explain) {
  $('why-genre').textContent = top;
  const weight = new Map(); // "word" or "word word" -> contribution
  const list = $('why-list');
  list.replaceChildren();
  for (const { feature, contribution } of explain) {
    weight.set(words(feature).map((m) => m[0].toLowerCase()).join(' '), contribution);
    const li = el('li', contribution >= 0 ? 'pos' : 'neg', feature);
    li.append(el('span', 'pct', (contribution >= 0 ? '+' : '') + contribution.toFixed(2)));
    list.append(li);
  }
  const ws = words(text);
  const low = ws.map((m) => m[0].toLowerCase());
  const sums = low.map((w, i) => (weight.get(w) || 0)
    + (weight.get(low[i - 1] + ' ' + w) || 0) + (weight.get(w + ' ' + low[i + 1]) || 0));
  const max = sums.reduce((m, x) => Math.max(m, Math.abs(x)), 1e-9);
  const out = $('why-text');
  out.replaceChildren();
  let at = 0;
  ws.forEach((m, i) => {
    if (!sums[i]) return;
    out.append(text.slice(at, m.index));
    const mark = el('mark', sums[i] > 0 ? 'pos' : 'neg', m[0]);
    mark.style.setProperty('--w', (0.25 + 0.75 * Math.abs(sums[i]) / max).toFixed(2));
    mark.title = (sums[i] > 0 ? '+' : '') + sums[i].toFixed(2) + ' toward ' + top;
    out.append(mark);
    at = m.index + m[0].length;
  });
  out.append(text.slice(at));
}

const tgMessage = (e) => (e.message.startsWith('tg:') ? e.message : 'tg: ' + e.message);

// Draws the answer for text, if there is one; the state and message to show.
function answer(tagger, thresholds, text, title) {
  if (!text.trim() && !title.trim())
    return ['ready', 'Type or paste a film overview above.'];
  const n = encoder.encode(text).length + encoder.encode(title).length;
  if (n > MAX_BYTES)
    return ['error', `tg: this text is ${(n / 1048576).toFixed(1)} MB; the page tags texts up to 1 MB.`];
  const a = tagger.tag(text, title);
  if (a.top === null)
    return ['none', 'tg: no word in this text is known to the model.'];
  const tags = JSON.parse(a.tags);
  $('tags').replaceChildren(...tags.map((t) => el('li', '', t)));
  renderScores(JSON.parse(a.scores), tags, thresholds);
  renderWhy(text, a.top, JSON.parse(a.explain));
  answerEl.dataset.tgTop = a.top;
  answerEl.dataset.tgTags = a.tags;
  return ['answer', ''];
}

function update(tagger, thresholds) {
  delete answerEl.dataset.tgTop;
  delete answerEl.dataset.tgTags;
  try {
    show(...answer(tagger, thresholds, box.value, titleBox.value));
  } catch (e) {
    show('error', tgMessage(e));
  }
}

async function start() {
  if (location.protocol === 'file:')
    throw new Error('tg: open this page over http from a static server (web/README.md), '
      + 'not as a file: the browser will not let it read its model database.');
  const model = fetch('genre.db').then((r) => {
    if (!r.ok) throw new Error(`tg: cannot fetch the model database genre.db (HTTP ${r.status})`);
    return r.arrayBuffer();
  });
  const tagger = makeTagger(await tgSqlite());
  const info = tagger.open(new Uint8Array(await model));
  $('about').textContent = `tg ${info.version}, model ${info.model.name} #${info.model.id} `
    + `(${info.model.labels.length} genres, trained ${info.model.created_at.slice(0, 10)}), `
    + `running in this page: SQLite ${info.sqlite} and tg compiled to WebAssembly; no server sees your text.`;
  window.tg = tagger;
  const query = new URLSearchParams(location.search);
  box.value = query.get('q') || box.value;
  titleBox.value = query.get('t') || titleBox.value;
  for (const input of [box, titleBox])
    input.addEventListener('input', () => update(tagger, info.model.thresholds));
  update(tagger, info.model.thresholds);
}

start().catch((e) => show('error', tgMessage(e)));
