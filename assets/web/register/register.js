// The live register on a facilitator's tablet (docs/register.md, "The page"): opens the
// session, draws each state it is given, and wires the live connection (register-live.js) and
// the marks (register-marks.js) to the page.
// Every piece of data reaches the page through textContent, never as HTML: a name such as
// "<img src=x onerror=alert(1)>" is shown as those characters. Nothing is fetched from
// anywhere but this server (the Content-Security-Policy allows nothing else either).
'use strict';

(() => {
  const TOAST_MS = 5000;
  const ukTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  const ukClock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/London' });
  const $ = (id) => document.getElementById(id);

  let csrfToken = null;   // every POST carries it (X-CSRF-Token)
  let linkId = null;      // this tablet's register link: its own marks can be undone here
  let lastState = null;
  let lastUpdateMs = null;  // when the last state arrived (the banner's "last update")
  let stopped = false;
  let wholeEvent = false;   // a hub staff link: may pick any room of the event
  let pickedRoom = '';      // '' = the whole event
  let live = null;
  let marks = null;
  let toastTimer = null;

  const hhmm = (ms) => ukTime.format(new Date(ms));

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // Lower case without accents, so "sian" finds "Siân".
  const fold = (s) => String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

  function showProblem(title, text) {
    stopped = true;
    if (live) live.stop();
    $('register').hidden = true;
    $('live').hidden = true;
    $('banner').hidden = true;
    $('problem-title').textContent = title;
    $('problem-text').textContent = text;
    $('problem').hidden = false;
  }

  function refused(status, body) {
    showProblem('This register is closed', (body && body.error) || 'Ask hub staff for a new link.');
  }

  function showBanner() {
    const banner = $('banner');
    const text = lastUpdateMs ? `Not live — last update ${hhmm(lastUpdateMs)}` : 'Not live — connecting to the hub…';
    if (banner.textContent !== text) banner.textContent = text;  // aria-live: speak only a change
    banner.hidden = false;
  }

  function setLive(yes) {
    if (stopped) return;
    const badge = $('live');
    badge.hidden = false;
    badge.dataset.state = yes ? 'live' : 'down';
    badge.textContent = yes ? 'Live' : 'Not live';
    if (yes) $('banner').hidden = true;
    else showBanner();
  }

  function toast(text, ok) {
    const t = $('toast');
    t.textContent = text;
    t.className = ok ? 'toast ok' : 'toast err';
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, TOAST_MS);
  }

  async function readJson(response) {
    try { return await response.json(); } catch (e) { return {}; }
  }

  function personRow(p, parts) {
    const li = el('li');
    li.dataset.participant = String(p.id);
    li.dataset.search = fold(`${p.first_name} ${p.surname} ${p.school || ''}`);
    const who = el('div', 'who');
    who.append(el('span', 'name', `${p.first_name} ${p.surname}`));
    if (p.school) who.append(el('span', 'school', p.school));
    for (const line of parts.lines || []) who.append(line);
    li.append(who);
    if (parts.when) li.append(parts.when);
    if (parts.actions) li.append(parts.actions);
    return li;
  }

  function fillList(id, rows, partsOf) {
    $(id).replaceChildren(...rows.map((p) => personRow(p, partsOf(p))));
  }

  function arrival(p, tag) {
    const when = el('div', 'arrival');
    when.append(el('span', 'time', hhmm(p.arrived_ms)));
    if (tag) when.append(tag);
    return when;
  }

  // "by hand (Forgot badge) — Sam", the note under it, and "left 11:05 — Sam".
  function markLines(p) {
    const lines = [];
    if (p.by_hand) {
      lines.push(el('span', 'by-hand', `by hand (${MusterRegisterMarks.reasonText(p.by_hand.reason)}) — ${p.by_hand.author}`));
      if (p.by_hand.note) lines.push(el('span', 'note', p.by_hand.note));
    }
    if (p.left_ms !== null && p.left_ms !== undefined) {
      const by = p.left_mark && p.left_mark.author ? ` — ${p.left_mark.author}` : '';
      lines.push(el('span', 'left-early', `left ${hhmm(p.left_ms)}${by}`));
    }
    return lines;
  }

  function applySearch() {
    const q = fold($('search').value.trim());
    for (const id of ['here', 'missing', 'visitors']) {
      let shown = 0;
      for (const li of $(id).children) {
        const match = !q || li.dataset.search.includes(q);
        li.hidden = !match;
        if (match) shown += 1;
      }
      $(`${id}-empty`).hidden = shown > 0;
      $(`${id}-empty`).textContent = q && $(id).children.length ? 'No match.' : $(`${id}-empty`).dataset.none;
    }
  }

  function fillRoomPicker(s) {
    if (!wholeEvent) return;
    const select = $('room-select');
    const wanted = [['', 'Whole event'], ...s.rooms.map((r) => [String(r.id), r.name])];
    const have = [...select.options].map((o) => [o.value, o.textContent]);
    if (JSON.stringify(have) !== JSON.stringify(wanted)) {
      select.replaceChildren(...wanted.map(([value, name]) => {
        const o = el('option', null, name);
        o.value = value;
        return o;
      }));
    }
    select.value = pickedRoom;
    $('room-pick').hidden = false;
  }

  function render(s) {
    if (!s) return;
    fillRoomPicker(s);
    $('event').textContent = s.event ? s.event.title : 'Register';
    $('room').textContent = s.room ? s.room.name : 'Whole event';
    $('session').textContent = s.session
      ? `${s.session.name} ${hhmm(s.session.starts_ms)}–${hhmm(s.session.ends_ms)}` : '';
    // A room with no kiosk of its own counts the entrance's scans of its list (docs/register.md).
    $('counted-at').hidden = s.counted_at !== 'entrance';
    document.title = `${s.room ? s.room.name : 'Whole event'} — Register`;
    const c = s.counts;
    $('count-in').textContent = c.in;
    $('count-expected').textContent = c.expected;
    $('count-late').textContent = c.late;
    $('count-missing').textContent = c.missing;
    $('count-visitors').textContent = c.visitors;
    $('here-count').textContent = `(${s.here.length})`;
    $('missing-count').textContent = `(${s.expected.length})`;
    $('visitors-count').textContent = `(${s.visitors.length})`;

    fillList('here', s.here, (p) => ({
      lines: markLines(p),
      when: arrival(p, p.minutes_late !== null && p.minutes_late !== undefined
        ? el('span', 'tag late', `Late ${p.minutes_late} min`) : null),
      actions: marks.actionsFor('here', p),
    }));
    fillList('missing', s.expected, (p) => ({ actions: marks.actionsFor('missing', p) }));
    fillList('visitors', s.visitors, (p) => {
      const why = p.reason === 'other_room'
        ? (p.expected_room ? `${p.expected_room}'s list` : 'No room') : 'Not expected';
      return { when: arrival(p, el('span', 'tag visitor', why)) };
    });
    applySearch();
    $('problem').hidden = true;
    $('register').hidden = false;
  }

  function onState(s) {
    lastState = s;
    lastUpdateMs = Date.now();
    render(s);
  }

  // GET /register/session: the CSRF token (again) and whether this tablet holds a session.
  async function askSession() {
    try {
      const r = await fetch('session', { credentials: 'same-origin', cache: 'no-store' });
      const body = await readJson(r);
      if (r.ok) {
        csrfToken = body.csrf_token || csrfToken;
        linkId = body.link_id ?? linkId;
        wholeEvent = body.room === null;
      }
      return { status: r.status, body };
    } catch (e) {
      return null;
    }
  }

  async function resumeSession() {
    const s = await askSession();
    return s !== null && s.status === 200 && csrfToken !== null;
  }

  async function openSession() {
    const code = new URLSearchParams(location.hash.slice(1)).get('code');
    if (code) {
      let refusal = null;
      try {
        const r = await fetch('session', {
          method: 'POST', credentials: 'same-origin', cache: 'no-store',
          headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }),
        });
        const body = await readJson(r);
        if (r.ok) {
          csrfToken = body.csrf_token;
          linkId = body.link_id ?? null;
          wholeEvent = body.room === null;
        } else refusal = body.error || 'Ask hub staff for a new link.';
      } catch (e) {
        refusal = 'The hub did not answer. Check the tablet is on the venue network, then open the link again.';
      } finally {
        // The code is spent (or refused): it leaves the address bar, the history and any bookmark.
        history.replaceState(null, '', location.pathname + location.search);
      }
      if (csrfToken) return true;
      // A tablet that already holds a session (the link opened twice) keeps its register.
      if (await resumeSession()) return true;
      showProblem('This link does not open the register', refusal);
      return false;
    }
    if (await resumeSession()) return true;
    showProblem('No register on this tablet', 'Open the link from the room\u2019s pack (scan its QR code), or ask hub staff for a new link.');
    return false;
  }

  function tick() {
    $('clock').textContent = ukClock.format(new Date());
    if (live && !stopped) live.watch();
  }

  document.addEventListener('DOMContentLoaded', async () => {
    for (const id of ['here', 'missing', 'visitors']) $(`${id}-empty`).dataset.none = $(`${id}-empty`).textContent;
    live = MusterRegisterLive.create({
      onState,
      onLive: setLive,
      onRefused: refused,
      session: askSession,
    });
    marks = MusterRegisterMarks.create({
      state: () => lastState,
      csrf: () => csrfToken,
      linkId: () => linkId,
      renewCsrf: askSession,
      toast,
      changed: () => live.nudge(),
      rerender: () => render(lastState),
    });
    marks.wire();
    tick();
    setInterval(tick, 1000);
    $('search').addEventListener('input', applySearch);
    $('room-select').addEventListener('change', (e) => {
      pickedRoom = e.target.value;
      live.start(pickedRoom);  // one stream per page: the old one is closed first
    });
    if (await openSession()) live.start(pickedRoom);
  });
})();
