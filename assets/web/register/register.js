// The live register on a facilitator's tablet (docs/register.md, "The page").
// Every piece of data reaches the page through textContent, never as HTML: a name such as
// "<img src=x onerror=alert(1)>" is shown as those characters. Nothing is fetched from
// anywhere but this server (the Content-Security-Policy allows nothing else either).
'use strict';

(() => {
  const REFRESH_MS = 2000;  // polling for now; Server-Sent Events replace it in the next step
  const ukTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  const ukClock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/London' });
  const $ = (id) => document.getElementById(id);

  let csrfToken = null;  // for the marks of the next step: every POST carries it
  let lastState = null;
  let lastUpdateMs = null;
  let stopped = false;
  let wholeEvent = false;  // a hub staff link: may pick any room of the event
  let pickedRoom = '';     // '' = the whole event

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
    $('register').hidden = true;
    $('live').hidden = true;
    $('banner').hidden = true;
    $('problem-title').textContent = title;
    $('problem-text').textContent = text;
    $('problem').hidden = false;
  }

  function setLive(live) {
    $('live').hidden = !live;
    const banner = $('banner');
    if (live) {
      banner.hidden = true;
    } else {
      banner.textContent = lastUpdateMs ? `Not live — last update ${hhmm(lastUpdateMs)}` : 'Not live — connecting…';
      banner.hidden = false;
    }
  }

  async function readJson(response) {
    try { return await response.json(); } catch (e) { return {}; }
  }

  function personRow(p, right) {
    const li = el('li');
    li.dataset.participant = String(p.id);
    li.dataset.search = fold(`${p.first_name} ${p.surname} ${p.school || ''}`);
    const who = el('div');
    who.append(el('span', 'name', `${p.first_name} ${p.surname}`));
    if (p.school) who.append(el('span', 'school', p.school));
    li.append(who);
    if (right) li.append(right);
    return li;
  }

  function fillList(id, rows, makeRight) {
    const list = $(id);
    list.replaceChildren(...rows.map((p) => personRow(p, makeRight ? makeRight(p) : null)));
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
    fillRoomPicker(s);
    $('event').textContent = s.event ? s.event.title : 'Register';
    $('room').textContent = s.room ? s.room.name : 'Whole event';
    $('session').textContent = s.session
      ? `${s.session.name} ${hhmm(s.session.starts_ms)}–${hhmm(s.session.ends_ms)}` : '';
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

    fillList('here', s.here, (p) => {
      const t = el('span', 'time', hhmm(p.arrived_ms));
      if (p.minutes_late !== null && p.minutes_late !== undefined) t.append(el('span', 'tag late', `Late ${p.minutes_late} min`));
      return t;
    });
    fillList('missing', s.expected, null);
    fillList('visitors', s.visitors, (p) => {
      const t = el('span', 'time', hhmm(p.arrived_ms));
      const why = p.reason === 'other_room'
        ? (p.expected_room ? `${p.expected_room}'s list` : 'No room') : 'Not expected';
      t.append(el('span', 'tag visitor', why));
      return t;
    });
    applySearch();
    $('problem').hidden = true;
    $('register').hidden = false;
  }

  // One refresh chain at a time: a newer one (a room picked) makes an older one's answer stale.
  let generation = 0;
  let timer = null;

  async function refresh(gen = generation) {
    if (stopped || gen !== generation) return;
    try {
      const query = pickedRoom ? `?room=${encodeURIComponent(pickedRoom)}` : '';
      const r = await fetch(`api/state${query}`, { credentials: 'same-origin', cache: 'no-store' });
      if (gen !== generation) return;
      if (r.status === 401 || r.status === 403) {
        const body = await readJson(r);
        showProblem('This register is closed', body.error || 'Ask hub staff for a new link.');
        return;
      }
      if (!r.ok) throw new Error(`status ${r.status}`);
      const s = await r.json();
      if (gen !== generation) return;
      lastState = s;
      lastUpdateMs = Date.now();
      render(lastState);
      setLive(true);
    } catch (e) {
      if (gen !== generation) return;
      setLive(false);
    }
    if (!stopped) timer = setTimeout(() => refresh(gen), REFRESH_MS);
  }

  function refreshNow() {
    generation += 1;
    clearTimeout(timer);
    refresh(generation);
  }

  async function openSession() {
    const code = new URLSearchParams(location.hash.slice(1)).get('code');
    if (code) {
      let refused = null;
      try {
        const r = await fetch('session', {
          method: 'POST', credentials: 'same-origin', cache: 'no-store',
          headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }),
        });
        const body = await readJson(r);
        if (r.ok) {
          csrfToken = body.csrf_token;
          wholeEvent = body.room === null;
        }
        else refused = body.error || 'Ask hub staff for a new link.';
      } catch (e) {
        refused = 'The hub did not answer. Check the tablet is on the venue network, then open the link again.';
      } finally {
        // The code is spent (or refused): it leaves the address bar, the history and any bookmark.
        history.replaceState(null, '', location.pathname + location.search);
      }
      if (csrfToken) return true;
      // A tablet that already holds a session (the link opened twice) keeps its register.
      if (await resumeSession()) return true;
      showProblem('This link does not open the register', refused);
      return false;
    }
    if (await resumeSession()) return true;
    showProblem('No register on this tablet', 'Open the link from the room\u2019s pack (scan its QR code), or ask hub staff for a new link.');
    return false;
  }

  async function resumeSession() {
    try {
      const r = await fetch('session', { credentials: 'same-origin', cache: 'no-store' });
      if (!r.ok) return false;
      const body = await readJson(r);
      csrfToken = body.csrf_token || null;
      wholeEvent = body.room === null;
      return csrfToken !== null;
    } catch (e) {
      return false;
    }
  }

  function tick() {
    $('clock').textContent = ukClock.format(new Date());
    if (lastUpdateMs && !$('banner').hidden) setLive(false);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    tick();
    setInterval(tick, 1000);
    $('search').addEventListener('input', applySearch);
    $('room-select').addEventListener('change', (e) => {
      pickedRoom = e.target.value;
      if (lastState) refreshNow();
    });
    if (await openSession()) refreshNow();
  });
})();
