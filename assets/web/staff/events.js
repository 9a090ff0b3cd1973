// The staff pages' event list (index.html): every event, newest first, with what is left
// to settle. Built with textContent only.
'use strict';

(() => {
  const { el } = Recon.api;

  function heldText(e) {
    if (e.cancelled) return 'Cancelled';
    return e.held ? 'Yes' : 'Not yet';
  }

  function signedText(e) {
    if (!e.signed_off) return '—';
    return `${e.signed_off.at_local} by ${e.signed_off.by.name}`;
  }

  function draw(events) {
    const tbody = document.querySelector('#events tbody');
    tbody.replaceChildren();
    for (const e of events) {
      const tr = document.createElement('tr');
      tr.dataset.event = String(e.id);
      tr.appendChild(el('td', e.date, 'date'));
      const title = document.createElement('td');
      const a = el('a', e.title);
      a.href = `event.html?id=${encodeURIComponent(e.id)}`;
      title.appendChild(a);
      if (e.venue) title.appendChild(el('span', ` · ${e.venue}`, 'hint'));
      tr.appendChild(title);
      tr.appendChild(el('td', heldText(e), 'held'));
      tr.appendChild(el('td', signedText(e), 'signed-off'));
      tr.appendChild(el('td', e.expected, 'num expected'));
      // Before an event is held everyone is still "absent": no number to act on yet.
      const unsettled = el('td', e.held ? e.unsettled : '—', 'num unsettled');
      if (e.held && e.unsettled > 0) unsettled.classList.add('attention');
      tr.appendChild(unsettled);
      tr.appendChild(el('td', e.unexpected, 'num unexpected'));
      tbody.appendChild(tr);
    }
    document.getElementById('no-events').hidden = events.length > 0;
  }

  async function load() {
    const r = await Recon.api.get('/staff/api/events');
    const problem = document.getElementById('problem');
    if (r.status !== 200 || !r.body) {
      problem.textContent = Recon.api.problem(r);
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    draw(r.body.events || []);
    document.body.dataset.loaded = 'yes';
  }

  document.addEventListener('DOMContentLoaded', load);
})();
