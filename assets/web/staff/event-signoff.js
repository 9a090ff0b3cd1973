// Sign-off (admins only: the hub refuses anyone else with 403; the button is not offered to
// staff) and the event's audit log, where changes after sign-off are flagged as amendments.
'use strict';

window.Recon = window.Recon || {};

Recon.signoff = (() => {
  const $ = (id) => document.getElementById(id);
  const { el } = Recon.api;

  function draw(data, me) {
    const isAdmin = Boolean(me && me.role === 'admin');
    let state;
    if (data.signed_off) {
      state = `Signed off on ${data.signed_off.at_local} by ${data.signed_off.by.name}` +
        (data.signed_off.note ? ` (${data.signed_off.note})` : '') + '. Changes from now on are amendments.';
    } else if (!data.held) {
      state = 'Not held yet: it can be signed off once it is over and every row is settled.';
    } else if (data.unsettled > 0) {
      state = `${data.unsettled} ${data.unsettled === 1 ? 'row still needs' : 'rows still need'} settling before sign-off.`;
    } else {
      state = 'Every row is settled: ready to sign off.';
    }
    $('signoff-state').textContent = state;
    $('signoff-form').hidden = !isAdmin || Boolean(data.signed_off);
    $('signoff-admin-only').hidden = isAdmin || Boolean(data.signed_off);
  }

  async function signOff() {
    const problem = $('signoff-problem');
    problem.hidden = true;
    $('sign-off').disabled = true;
    try {
      const note = $('signoff-note').value.trim();
      const r = await Recon.api.post(`/staff/api/events/${Recon.state.eventId}/sign-off`, { note });
      if (r.status === 200 || r.status === 201) {
        await Recon.page.reload();
        return;
      }
      problem.textContent = Recon.api.problem(r);
      problem.hidden = false;
    } finally {
      $('sign-off').disabled = false;
    }
  }

  function drawAudit(entries) {
    const tbody = document.querySelector('#audit tbody');
    tbody.replaceChildren();
    for (const e of entries) {
      const tr = document.createElement('tr');
      tr.className = `audit-${e.kind}`;
      if (e.amendment) tr.classList.add('amendment');
      if (e.uuid) tr.dataset.uuid = e.uuid;
      tr.appendChild(el('td', e.at_local));
      tr.appendChild(el('td', e.source === 'hub' ? e.author : `${e.author} (${e.source})`));
      tr.appendChild(el('td', e.participant || '—'));
      tr.appendChild(el('td', e.what));
      tr.appendChild(el('td', e.reason));
      tr.appendChild(el('td', e.amendment ? `Amendment: ${e.amendment_reason}` : '—', e.amendment ? 'amendment-flag' : ''));
      tbody.appendChild(tr);
    }
    $('no-audit').hidden = entries.length > 0;
  }

  async function loadAudit() {
    const r = await Recon.api.get(`/staff/api/events/${Recon.state.eventId}/audit`);
    if (r.status === 200 && r.body) drawAudit(r.body.entries || []);
  }

  document.addEventListener('DOMContentLoaded', () => $('sign-off').addEventListener('click', signOff));
  return { draw, loadAudit };
})();
