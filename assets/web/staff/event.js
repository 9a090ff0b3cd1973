// The reconciliation page (event.html?id=N): loads who is logged in and the event's JSON,
// then has each part draw itself (table, unexpected scans, sign-off, audit). Every stored
// change reloads the whole event, so the page always shows what the hub derived.
'use strict';

window.Recon = window.Recon || {};

Recon.state = { eventId: null, data: null, me: null };

Recon.page = (() => {
  const $ = (id) => document.getElementById(id);
  const { el } = Recon.api;

  function fail(text) {
    $('problem').textContent = text;
    $('problem').hidden = false;
  }

  function drawHeader(data) {
    const e = data.event;
    $('event-title').textContent = e.title;
    document.title = `${e.title} — Muster staff`;
    $('event-meta').textContent = [e.date, e.venue, e.programme].filter(Boolean).join(' · ');
    let state = data.held ? 'Held.' : 'Not held yet.';
    if (data.signed_off) state += ` Signed off ${data.signed_off.at_local} by ${data.signed_off.by.name}.`;
    $('event-state').textContent = state;
    const counts = $('counts');
    counts.replaceChildren();
    const expected = el('li');
    expected.append(el('b', data.rows.length, 'count'), document.createTextNode('Expected'));
    expected.dataset.status = 'expected';
    counts.appendChild(expected);
    for (const c of data.counts) {
      const li = el('li');
      li.dataset.status = c.status;
      li.append(el('b', c.count, 'count'), document.createTextNode(c.label));
      counts.appendChild(li);
    }
    const unsettled = el('li');
    unsettled.dataset.status = 'unsettled';
    unsettled.append(el('b', data.unsettled, 'count'), document.createTextNode('Unsettled'));
    counts.appendChild(unsettled);
  }

  async function reload() {
    const r = await Recon.api.get(`/staff/api/events/${Recon.state.eventId}`);
    if (r.status !== 200 || !r.body) {
      fail(Recon.api.problem(r));
      return;
    }
    $('problem').hidden = true;
    Recon.state.data = r.body;
    drawHeader(r.body);
    Recon.table.draw(r.body);
    Recon.unexpected.draw(r.body);
    Recon.signoff.draw(r.body, Recon.state.me);
    await Recon.signoff.loadAudit();
    $('reconcile').hidden = false;
    document.body.dataset.change = String(r.body.change);
    document.body.dataset.loaded = String((Number(document.body.dataset.loaded) || 0) + 1);
  }

  async function start() {
    const id = new URLSearchParams(location.search).get('id');
    if (!id || !/^[1-9][0-9]{0,17}$/.test(id)) {
      fail('No event chosen: open one from the list of events.');
      return;
    }
    Recon.state.eventId = Number(id);
    // The per-school reports and notices of this event (school.html, docs/schools.md).
    $('schools-link').href = `school.html?event=${encodeURIComponent(id)}`;
    $('deliveries-link').href = `delivery.html?event=${encodeURIComponent(id)}`;  // docs/staff.md, "Deliveries"
    Recon.state.me = await Recon.api.me();
    await reload();
  }

  document.addEventListener('DOMContentLoaded', start);
  return { reload };
})();
