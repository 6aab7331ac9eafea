/*
 * Tideline's browser tracker, served by the ingest service at /v1/tideline.js. ES2017, no
 * dependencies. Events go to /v1/beacon with a publishable key as text/plain NDJSON, which a browser
 * sends without a CORS preflight. Each event carries an event_id made here, so a retry of it is
 * counted once end to end. Events wait in a bounded queue, kept in localStorage, until the ingest
 * service has them; on 429, 503 or no network they are retried with backoff. When the page is
 * hidden or left, what is queued goes with navigator.sendBeacon.
 */
(function (w) {
  'use strict';
  if (w.tideline && w.tideline.version) return;
  var MAX_QUEUE = 500, BATCH = 20, LINGER = 1000, GAP = 30 * 60 * 1000, MAX_BACKOFF = 30000, KEY = 'tideline.';
  var cfg = null, queue = [], timer = null, timerAt = 0, busy = false, backoff = 0, retryAt = 0, lastPage = null;

  function store(k, v) {
    try {
      if (v === undefined) return w.localStorage.getItem(KEY + k);
      w.localStorage.setItem(KEY + k, v);
    } catch (e) { /* storage off: memory only */ }
    return null;
  }
  function json(k) { try { return JSON.parse(store(k)); } catch (e) { return null; } }

  function uuid() {
    var c = w.crypto;
    if (c.randomUUID) return c.randomUUID();
    var b = c.getRandomValues(new Uint8Array(16)), h = '';
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + ([3, 5, 7, 9].indexOf(i) >= 0 ? '-' : '');
    return h;
  }

  function userId() {
    var u = store('user');
    if (!u) store('user', u = 'anon-' + uuid());
    return u;
  }

  function sessionId(now) {
    var s = json('session');
    if (!s || now - s.last > GAP) s = { id: uuid() };
    s.last = now;
    store('session', JSON.stringify(s));
    return s.id;
  }

  function cut(s) { return s ? String(s).slice(0, 2048) : undefined; }
  function save() { store('queue', JSON.stringify(queue)); }
  function url() { return cfg.endpoint.replace(/\/+$/, '') + '/v1/beacon?key=' + encodeURIComponent(cfg.key); }
  function body(events) { return events.map(function (e) { return JSON.stringify(e); }).join('\n'); }

  function track(type, properties) {
    if (!cfg) throw new Error('call tideline.init({endpoint, key}) first');
    var now = Date.now(), props = {}, l = w.location;
    for (var k in properties || {}) if (properties[k] != null) props[k] = String(properties[k]);
    var e = {
      event_id: uuid(), user_id: userId(), event_type: type, page: cut(l.pathname + l.search),
      referrer: cut(w.document.referrer), session_id: sessionId(now), occurred_at: new Date(now).toISOString(),
      properties: props
    };
    queue.push(e);
    if (queue.length > MAX_QUEUE) queue.splice(0, queue.length - MAX_QUEUE); // bounded: the oldest go
    save();
    schedule(queue.length >= BATCH ? 0 : LINGER);
    return e.event_id;
  }

  function page() {
    lastPage = w.location.pathname + w.location.search;
    return track('page_view', { title: w.document.title });
  }

  function identify(id) {
    var before = userId();
    if (id && id !== before) {
      store('user', String(id));
      track('identify', { anonymous_id: before });
    }
  }

  // A flush in ms, or sooner if one is due sooner; never before a retry is due.
  function schedule(ms) {
    var at = Math.max(Date.now() + ms, retryAt);
    if (!cfg || !queue.length || (timer && timerAt <= at)) return;
    if (timer) w.clearTimeout(timer);
    timerAt = at;
    timer = w.setTimeout(function () { timer = null; flush(); }, at - Date.now());
  }

  // Takes the sent events out of the queue, but those the stream could not take yet.
  function settle(sent, keep) {
    queue = queue.filter(function (e) { return sent.indexOf(e) < 0 || keep.indexOf(e) >= 0; });
    save();
    busy = false;
    if (keep.length) return later(null);
    backoff = 0;
    schedule(0);
  }

  function later(retryAfter) {
    backoff = Math.min(MAX_BACKOFF, backoff ? backoff * 2 : 1000);
    var wait = retryAfter > 0 ? retryAfter * 1000 : backoff * (0.5 + Math.random());
    retryAt = Date.now() + wait;
    busy = false;
    schedule(wait);
  }

  function flush() {
    if (busy || !queue.length) return;
    var sent = queue.slice(0, BATCH);
    busy = true;
    w.fetch(url(), { method: 'POST', body: body(sent), keepalive: true, credentials: 'omit' }).then(function (r) {
      if (r.status === 204) return settle(sent, []);
      if (r.status === 200) {
        return r.json().then(function (a) {
          settle(sent, a.results.filter(function (x) { return x.error === 'unavailable'; })
            .map(function (x) { return sent[x.index]; }));
        });
      }
      if (r.status === 429 || r.status >= 500) return later(Number(r.headers.get('Retry-After')));
      // Refused for good (a bad key, origin or event): a retry would be refused again.
      if (w.console) w.console.warn('tideline: the ingest service refused ' + sent.length + ' events: ' + r.status);
      settle(sent, []);
    }).catch(function () { later(null); });
  }

  // The page may be gone in a moment: hand what is queued to the browser, which sends it anyway.
  // While the ingest service is failing, the events also stay stored, and the next page sends them
  // again: their event_ids make the second delivery count nowhere.
  function leave() {
    if (!cfg || !queue.length || !w.navigator.sendBeacon) return;
    var left = queue;
    while (left.length && w.navigator.sendBeacon(url(), body(left.slice(0, BATCH)))) left = left.slice(BATCH);
    if (!backoff) queue = left;
    save();
  }

  function navigated() {
    if (w.location.pathname + w.location.search !== lastPage) page();
  }

  function init(options) {
    if (cfg) return;
    if (!options || !options.endpoint || !options.key) throw new Error('tideline.init needs {endpoint, key}');
    cfg = { endpoint: options.endpoint, key: options.key };
    if (options.userId) store('user', String(options.userId));
    var stored = json('queue');
    queue = Array.isArray(stored) ? stored.slice(-MAX_QUEUE) : [];
    w.addEventListener('pagehide', leave);
    w.document.addEventListener('visibilitychange', function () {
      if (w.document.visibilityState === 'hidden') leave();
    });
    var push = w.history.pushState;
    w.history.pushState = function () {
      var r = push.apply(this, arguments);
      navigated();
      return r;
    };
    w.addEventListener('popstate', navigated);
    if (options.autoPage !== false) page();
    schedule(LINGER);
  }

  w.tideline = {
    version: '1.0.0', init: init, track: track, page: page, identify: identify, flush: flush,
    pending: function () { return queue.length; }
  };
})(window);
