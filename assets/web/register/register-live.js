// How the register stays live (docs/register.md, "Live or not"): one Server-Sent Events stream
// on /register/api/stream, each `state` event a full snapshot, so a reconnect loses nothing.
// The browser reconnects by itself (the server asks for `retry: 1000`); this file adds what the
// browser does not: a watchdog for a silent stream (a tablet that left the Wi-Fi may never see
// an error), a look at why a stream was closed for good (a revoked link says so), re-creating
// it with backoff, and polling /register/api/state every 2 s when there is no stream to have
// (a browser without EventSource, or an older hub that does not serve it: 404).
'use strict';

window.MusterRegisterLive = (() => {
  const POLL_MS = 2000;
  const PROBE_AFTER_MS = 35000;  // no event for this long: re-open the stream (the server sends a snapshot at once)
  const DOWN_AFTER_MS = 40000;   // and if that brings nothing either, say "not live"
  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MAX_MS = 10000;   // a LAN hub: trying every 10 s costs nothing, and a restarted hub is seen soon

  // hooks: onState(state), onLive(bool), onRefused(status, body) for a session or room refused,
  // session() -> Promise<{status, body} | null> (GET /register/session; null: no answer).
  function create(hooks) {
    let mode = window.EventSource ? 'stream' : 'poll';
    let room = '';            // '' = the session's own scope
    let source = null;        // the one EventSource of the page
    let haveState = false;    // a state of the current scope has arrived
    let lastSignMs = 0;       // the last state or (re)opened stream
    let lastProbeMs = 0;
    let backoffMs = BACKOFF_FIRST_MS;
    let retryTimer = null;
    let pollTimer = null;
    let generation = 0;       // a newer start (a room picked) makes older answers stale
    let stopped = false;

    const query = () => (room ? `?room=${encodeURIComponent(room)}` : '');

    function accept(state, gen) {
      if (stopped || gen !== generation) return;
      haveState = true;
      lastSignMs = Date.now();
      backoffMs = BACKOFF_FIRST_MS;
      hooks.onState(state);
      hooks.onLive(true);
    }

    function closeStream() {
      if (source) {
        source.close();
        source = null;
      }
      clearTimeout(retryTimer);
      retryTimer = null;
    }

    function openStream() {
      closeStream();
      const gen = generation;
      const es = new EventSource(`api/stream${query()}`);
      source = es;
      es.addEventListener('state', (e) => {
        if (es !== source) return;
        let state;
        try { state = JSON.parse(e.data); } catch (err) { return; }
        accept(state, gen);
      });
      es.addEventListener('open', () => {
        if (es !== source) return;
        lastSignMs = Date.now();
        // A reconnect whose Last-Event-ID is the hub's current change gets no snapshot: the
        // page already shows the newest state, so it is live again.
        if (haveState) hooks.onLive(true);
      });
      es.addEventListener('error', () => {
        if (es !== source) return;
        hooks.onLive(false);
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (the server answered
        // something other than a stream: 401/403/404/5xx), so find out why.
        if (es.readyState === EventSource.CLOSED) whyClosed(gen);
      });
    }

    function retryStreamLater(gen) {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => {
        if (!stopped && gen === generation && mode === 'stream') openStream();
      }, backoffMs);
      backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
    }

    async function whyClosed(gen) {
      closeStream();
      const session = await hooks.session();
      if (stopped || gen !== generation) return;
      if (session && (session.status === 401 || session.status === 403)) {
        hooks.onRefused(session.status, session.body);
        return;
      }
      if (!session || session.status !== 200) {
        retryStreamLater(gen);
        return;
      }
      // The session is good: ask the stream's address what it answers, reading the status only.
      let status = 0;
      let body = {};
      const abort = new AbortController();
      try {
        const r = await fetch(`api/stream${query()}`, {
          credentials: 'same-origin', cache: 'no-store', signal: abort.signal,
          headers: { Accept: 'text/event-stream' },
        });
        status = r.status;
        if (!r.ok) { try { body = await r.json(); } catch (err) { body = {}; } }
      } catch (err) {
        status = 0;
      } finally {
        abort.abort();
      }
      if (stopped || gen !== generation) return;
      if (status === 404) {
        // An older hub with no stream: poll it as before.
        mode = 'poll';
        poll(gen);
      } else if (status === 401 || status === 403) {
        hooks.onRefused(status, body);
      } else {
        retryStreamLater(gen);
      }
    }

    async function poll(gen) {
      if (stopped || gen !== generation) return;
      try {
        const r = await fetch(`api/state${query()}`, { credentials: 'same-origin', cache: 'no-store' });
        if (stopped || gen !== generation) return;
        if (r.status === 401 || r.status === 403) {
          let body = {};
          try { body = await r.json(); } catch (err) { body = {}; }
          hooks.onRefused(r.status, body);
          return;
        }
        if (!r.ok) throw new Error(`status ${r.status}`);
        const state = await r.json();
        accept(state, gen);
      } catch (err) {
        if (stopped || gen !== generation) return;
        hooks.onLive(false);
      }
      clearTimeout(pollTimer);
      pollTimer = setTimeout(() => poll(gen), POLL_MS);
    }

    // Called every second by the page's clock.
    function watch() {
      if (stopped || mode !== 'stream') return;
      const now = Date.now();
      // A new stream's `open` counts as a sign: the hub answered, and sends what changed.
      if (now - lastSignMs > DOWN_AFTER_MS) hooks.onLive(false);
      if (source && now - Math.max(lastSignMs, lastProbeMs) > PROBE_AFTER_MS) {
        // The heartbeat (a comment every 15 s) is invisible to script, so silence is tested by
        // asking again: a new stream starts with a snapshot. This also replaces a stream stuck
        // connecting (a request the network swallowed), which the browser would wait on.
        lastProbeMs = now;
        openStream();
      }
    }

    // (Re)starts for a scope: '' for the session's own, or a room's id (whole-event links).
    function start(roomId) {
      room = roomId || '';
      generation += 1;
      haveState = false;
      backoffMs = BACKOFF_FIRST_MS;
      clearTimeout(pollTimer);
      lastSignMs = Date.now();
      if (mode === 'stream') openStream();
      else poll(generation);
    }

    // After a mark: a polling page fetches at once; a streaming one hears the change anyway.
    function nudge() {
      if (mode !== 'poll' || stopped) return;
      generation += 1;
      clearTimeout(pollTimer);
      poll(generation);
    }

    function stop() {
      stopped = true;
      closeStream();
      clearTimeout(pollTimer);
    }

    return { start, watch, nudge, stop, mode: () => mode };
  }

  return { create };
})();
