// The browser tracker in a fake page: its own clock, timers, fetch, sendBeacon and storage.
// Run by the build (node --test), or alone: node --test ingest-service/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { webcrypto } from 'node:crypto';
import vm from 'node:vm';

const SOURCE = readFileSync(new URL('../../main/resources/tracker/tideline.js', import.meta.url), 'utf8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function page({ storage = new Map(), answers = [], beaconOk = true } = {}) {
  let now = Date.parse('2026-11-29T10:00:00Z');
  let timers = [];
  const listeners = {};
  const requests = [];
  const beacons = [];
  const warnings = [];
  const on = (name, fn) => (listeners[name] = listeners[name] || []).push(fn);
  const fire = (name) => (listeners[name] || []).forEach((fn) => fn());
  class FakeDate extends Date {
    constructor(...a) { super(...(a.length ? a : [now])); }
    static now() { return now; }
  }
  const location = { pathname: '/shop', search: '?q=1' };
  const document = { referrer: 'https://search.example/', title: 'Shop', visibilityState: 'visible', addEventListener: on };
  const window = {
    location, document,
    Date: FakeDate,
    crypto: webcrypto,
    console: { warn: (m) => warnings.push(m) },
    localStorage: {
      getItem: (k) => (storage.has(k) ? storage.get(k) : null),
      setItem: (k, v) => storage.set(k, String(v)),
    },
    navigator: { sendBeacon: (url, body) => (beacons.push({ url, body }), beaconOk) },
    history: { pushState(state, title, url) { location.pathname = url; } },
    addEventListener: on,
    setTimeout: (fn, ms) => (timers.push({ at: now + ms, fn, id: timers.length + 1 }), timers.at(-1)),
    clearTimeout: (t) => (timers = timers.filter((x) => x !== t)),
    fetch: (url, options) => {
      requests.push({ url, options, events: options.body.split('\n').map((l) => JSON.parse(l)) });
      const a = answers.shift() || { status: 204 };
      if (a.fail) return Promise.reject(new TypeError('Failed to fetch'));
      return Promise.resolve({
        status: a.status,
        headers: { get: (h) => (a.headers || {})[h] || null },
        json: () => Promise.resolve(a.json),
      });
    },
  };
  window.window = window;
  vm.runInNewContext(SOURCE, { window, Date: FakeDate, JSON, Math, Number, String, Array, Uint8Array, Error, encodeURIComponent });
  const settle = () => new Promise((r) => setImmediate(() => setImmediate(() => setImmediate(r))));
  return {
    t: window.tideline, history: window.history, requests, beacons, warnings, storage, document, answers, fire,
    // Moves the clock on, running each timer that comes due and letting its fetch settle.
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await settle();
        timers.sort((a, b) => a.at - b.at);
        if (!timers.length || timers[0].at > end) break;
        const next = timers.shift();
        now = Math.max(now, next.at);
        next.fn();
      }
      now = end;
      await settle();
    },
  };
}

const init = (p) => p.t.init({ endpoint: 'https://in.example/', key: 'pk_demo' });
const sentIds = (p) => p.requests.flatMap((r) => r.events.map((e) => e.event_id));

test('init records a page view and sends it after the linger to the beacon as NDJSON text, with no custom header', async () => {
  const p = page();
  init(p);
  await p.advance(999);
  assert.equal(p.requests.length, 0);
  await p.advance(1);

  assert.equal(p.requests.length, 1);
  const { url, options, events } = p.requests[0];
  assert.equal(url, 'https://in.example/v1/beacon?key=pk_demo');
  assert.equal(options.method, 'POST');
  assert.equal(options.keepalive, true);
  assert.equal(typeof options.body, 'string'); // sent as text/plain: a simple request, no preflight
  assert.equal(options.headers, undefined);
  const [e] = events;
  assert.match(e.event_id, UUID);
  assert.match(e.user_id, /^anon-/);
  assert.match(e.session_id, UUID);
  assert.equal(e.event_type, 'page_view');
  assert.equal(e.page, '/shop?q=1');
  assert.equal(e.referrer, 'https://search.example/');
  assert.equal(e.occurred_at, '2026-11-29T10:00:00.000Z');
  assert.deepEqual(e.properties, { title: 'Shop' });
  assert.equal(p.t.pending(), 0);
});

test('events wait out the linger together; a full batch goes at once, at most twenty a request', async () => {
  const p = page();
  p.t.init({ endpoint: 'https://in.example', key: 'pk_demo', autoPage: false });
  for (let i = 0; i < 5; i++) p.t.track('click', { n: i, skip: null });
  await p.advance(999);
  assert.equal(p.requests.length, 0);
  await p.advance(1);
  assert.deepEqual(p.requests.map((r) => r.events.length), [5]);
  assert.deepEqual(p.requests[0].events[3].properties, { n: '3' });

  for (let i = 0; i < 25; i++) p.t.track('click');
  await p.advance(0);
  assert.deepEqual(p.requests.map((r) => r.events.length), [5, 20, 5]);
});

test('a 503 is retried after its Retry-After with the same event ids, and delivered once', async () => {
  const p = page({ answers: [{ status: 503, headers: { 'Retry-After': '2' } }] });
  init(p);
  await p.advance(1000);
  assert.equal(p.requests.length, 1);
  await p.advance(1999);
  assert.equal(p.requests.length, 1);
  await p.advance(1);
  assert.equal(p.requests.length, 2);
  assert.deepEqual(p.requests[1].events, p.requests[0].events);
  await p.advance(60_000);
  assert.equal(p.requests.length, 2);
});

test('while the network fails the events are kept, backing off, and go once it is back', async () => {
  const p = page({ answers: Array(6).fill({ fail: true }) });
  init(p);
  p.t.track('click');
  await p.advance(120_000);

  assert.equal(p.requests.length, 7);
  assert.equal(p.t.pending(), 0);
  assert.equal(new Set(sentIds(p)).size, 2);
  assert.deepEqual(p.requests.at(-1).events.map((e) => e.event_type), ['page_view', 'click']);
});

test('only what the stream could not take is sent again', async () => {
  const p = page({
    answers: [{ status: 200, json: { accepted: 1, failed: 1, results: [{ index: 0 }, { index: 1, error: 'unavailable' }] } }],
  });
  p.t.init({ endpoint: 'https://in.example', key: 'pk_demo', autoPage: false });
  const a = p.t.track('a');
  const b = p.t.track('b');
  await p.advance(5_000);

  assert.deepEqual(p.requests.map((r) => r.events.map((e) => e.event_id)), [[a, b], [b]]);
});

test('a refusal for good is not retried', async () => {
  const p = page({ answers: [{ status: 403 }] });
  init(p);
  await p.advance(60_000);
  assert.equal(p.requests.length, 1);
  assert.equal(p.t.pending(), 0);
  assert.match(p.warnings[0], /403/);
});

test('the queue is bounded: past 500 events the oldest go', async () => {
  const p = page({ answers: Array(100).fill({ fail: true }) });
  p.t.init({ endpoint: 'https://in.example', key: 'pk_demo', autoPage: false });
  for (let i = 0; i < 520; i++) p.t.track('click', { n: i });
  assert.equal(p.t.pending(), 500);
  assert.equal(JSON.parse(p.storage.get('tideline.queue'))[0].properties.n, '20');
});

test('leaving the page hands the queue to sendBeacon', async () => {
  const p = page();
  init(p);
  p.t.track('click');
  p.fire('pagehide');

  assert.equal(p.beacons.length, 1);
  assert.equal(p.beacons[0].url, 'https://in.example/v1/beacon?key=pk_demo');
  assert.deepEqual(p.beacons[0].body.split('\n').map((l) => JSON.parse(l).event_type), ['page_view', 'click']);
  assert.equal(p.t.pending(), 0);
});

test('events left while the ingest service fails stay stored, and the next page sends them again', async () => {
  const storage = new Map();
  const first = page({ storage, answers: [{ fail: true }] });
  init(first);
  await first.advance(1000);
  first.document.visibilityState = 'hidden';
  first.fire('visibilitychange');
  assert.equal(first.beacons.length, 1);

  const next = page({ storage });
  init(next);
  await next.advance(1000);
  const ids = sentIds(next);
  assert.equal(ids.length, 2);
  assert.ok(ids.includes(sentIds(first)[0]));
});

test('identify changes the user of later events and says who it was', async () => {
  const p = page();
  p.t.init({ endpoint: 'https://in.example', key: 'pk_demo', autoPage: false });
  const anon = (p.t.track('a'), JSON.parse(JSON.stringify(p.storage.get('tideline.user'))));
  p.t.identify('user-42');
  p.t.track('b');
  await p.advance(2_000);

  const events = p.requests[0].events;
  assert.deepEqual(events.map((e) => [e.event_type, e.user_id]), [['a', anon], ['identify', 'user-42'], ['b', 'user-42']]);
  assert.deepEqual(events[1].properties, { anonymous_id: anon });
});

test('a page that knows its user says so at init', async () => {
  const p = page();
  p.t.init({ endpoint: 'https://in.example', key: 'pk_demo', userId: 'alice' });
  await p.advance(1_000);
  assert.equal(p.requests[0].events[0].user_id, 'alice');
});

test('a history navigation is a page view; the same page again is not', async () => {
  const p = page();
  init(p);
  p.t.init({ endpoint: 'https://other.example', key: 'pk_x' }); // a second init changes nothing
  p.history.pushState({}, '', '/cart');
  p.history.pushState({}, '', '/cart');
  p.fire('popstate');
  await p.advance(2_000);

  assert.deepEqual(sentIds(p).length, 2);
  assert.deepEqual(p.requests.flatMap((r) => r.events.map((e) => e.page)), ['/shop?q=1', '/cart?q=1']);
});

test('the session lasts while events come within 30 minutes of each other', async () => {
  const p = page();
  p.t.init({ endpoint: 'https://in.example', key: 'pk_demo', autoPage: false });
  p.t.track('a');
  await p.advance(29 * 60_000);
  p.t.track('b');
  await p.advance(31 * 60_000);
  p.t.track('c');
  await p.advance(2_000);

  const [a, b, c] = p.requests.flatMap((r) => r.events.map((e) => e.session_id));
  assert.equal(a, b);
  assert.notEqual(b, c);
});

test('the tracker stays under 4 KB gzipped', () => {
  const size = gzipSync(Buffer.from(SOURCE), { level: 9 }).length;
  assert.ok(size < 4096, `tideline.js is ${size} bytes gzipped`);
});
