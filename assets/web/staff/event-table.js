// The reconciliation table (event.html): one row per expected participant with the scans'
// times per session part, the check-out, the derived status, minutes late, left early, and
// a history toggle listing the facts (scans) and corrections, each voidable. Drawn from the
// JSON of GET /staff/api/events/{id}, which counts each history but does not carry it: a
// history is fetched (GET .../participants/{pid}) when it is opened, and again after each
// reload while it stays open. textContent only.
'use strict';

window.Recon = window.Recon || {};

Recon.table = (() => {
  const { el } = Recon.api;
  const openHistories = new Set();  // participant ids whose history is open: kept across redraws

  function head(data) {
    const tr = document.createElement('tr');
    const all = document.createElement('input');
    all.type = 'checkbox';
    all.id = 'select-all';
    all.setAttribute('aria-label', 'Select every row shown');
    const th0 = el('th', null, 'select-cell');
    th0.appendChild(all);
    tr.appendChild(th0);
    for (const name of ['Name', 'School', 'Role', 'Room']) tr.appendChild(el('th', name));
    for (const s of data.event.sessions) tr.appendChild(el('th', s.name, 'part'));
    for (const name of ['Check-out', 'Status', 'Late', 'Left early', '']) tr.appendChild(el('th', name));
    for (const th of tr.children) th.scope = 'col';
    const thead = document.querySelector('#rows thead');
    thead.replaceChildren(tr);
  }

  function statusCell(row) {
    const td = el('td', null, `status status-${row.status}`);
    td.appendChild(el('span', row.status_label, 'status-label'));
    if (row.alternate_event_id) {
      td.appendChild(document.createTextNode(' '));
      const a = el('a', `(event ${row.alternate_event_id})`, 'alternate-link');
      a.href = `event.html?id=${encodeURIComponent(row.alternate_event_id)}`;
      td.appendChild(a);
    }
    if (row.marked_by_staff) {
      const by = el('span', ' · by staff', 'hint by-staff');
      // Who decided and why, from the row itself (the history is not loaded yet).
      if (row.mark_author || row.mark_reason) by.title = [row.mark_author, row.mark_reason].filter(Boolean).join(': ');
      td.appendChild(by);
    }
    if (row.amended) td.appendChild(el('span', ' · amended', 'amendment-flag'));
    if (row.unsettled) td.appendChild(el('span', ' · unsettled', 'unsettled-flag'));
    return td;
  }

  function voidButton(participant, kind, target, what) {
    const b = el('button', 'Void…', 'void');
    b.type = 'button';
    b.dataset.target = target;
    b.addEventListener('click', () => Recon.actions.open({
      people: [participant], action: kind, target_uuid: target, title: `Void ${what}`,
    }));
    return b;
  }

  // The list from GET .../participants/{pid}: {scans, corrections}.
  function historyList(person, history) {
    const ul = document.createElement('ul');
    for (const s of history.scans) {
      const li = el('li', null, s.voided ? 'scan voided' : 'scan');
      li.dataset.uuid = s.uuid;
      li.appendChild(el('span', `${s.at_local} — scan ${s.direction} (${s.outcome.replace(/_/g, ' ')}) on ${s.device}`));
      if (s.voided) li.appendChild(el('span', ' · voided', 'hint'));
      else {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(voidButton(person, 'void_scan', s.uuid, `the scan at ${s.at_local}`));
      }
      ul.appendChild(li);
    }
    for (const c of history.corrections) {
      const li = el('li', null, c.voided ? 'correction voided' : 'correction');
      li.dataset.uuid = c.uuid;
      const what = c.kind === 'mark' ? `marked ${c.status_label}` : 'voided a record';
      li.appendChild(el('span', `${c.at_local} — ${c.author} (${c.source}) ${what}: ${c.reason}`));
      if (c.note) li.appendChild(el('span', ` — ${c.note}`, 'note'));
      if (c.caught_up_on) li.appendChild(el('span', ` — caught up on ${c.caught_up_on}: ${c.evidence || ''}`));
      if (c.linked_event_id) li.appendChild(el('span', ` — attended event ${c.linked_event_id}`));
      if (c.amendment) li.appendChild(el('span', ` — amendment after sign-off: ${c.amendment_reason}`, 'amendment-flag'));
      if (c.voided) li.appendChild(el('span', ' · voided', 'hint'));
      else if (c.kind === 'mark') {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(voidButton(person, 'void_mark', c.uuid, `the mark "${c.status_label}" of ${c.at_local}`));
      }
      ul.appendChild(li);
    }
    if (!ul.children.length) ul.appendChild(el('li', 'No scans or corrections.'));
    return ul;
  }

  // Fetches one person's history into its row (td); `hist.dataset.state` says where it is
  // (loading, loaded, failed), so a test or a slow link can tell.
  async function loadHistory(row, hist, td) {
    const person = { participant_id: row.participant_id, name: row.name };
    hist.dataset.state = 'loading';
    td.replaceChildren(el('p', 'Loading the history…', 'hint'));
    const r = await Recon.api.get(`/staff/api/events/${Recon.state.eventId}/participants/${row.participant_id}`);
    if (!hist.isConnected) return;  // the table was drawn again meanwhile
    if (r.status !== 200 || !r.body) {
      hist.dataset.state = 'failed';
      td.replaceChildren(el('p', Recon.api.problem(r), 'problem'));
      return;
    }
    td.replaceChildren(historyList(person, r.body));
    hist.dataset.state = 'loaded';
  }

  function drawRow(tbody, row, nParts) {
    const tr = document.createElement('tr');
    tr.dataset.participant = String(row.participant_id);
    tr.classList.add('row');
    if (row.unsettled) tr.classList.add('unsettled');
    const sel = document.createElement('input');
    sel.type = 'checkbox';
    sel.className = 'select';
    sel.checked = Recon.bulk ? Recon.bulk.isSelected(row.participant_id) : false;
    sel.setAttribute('aria-label', `Select ${row.name}`);
    sel.addEventListener('change', () => Recon.bulk.toggle(row.participant_id, sel.checked));
    const td0 = el('td', null, 'select-cell');
    td0.appendChild(sel);
    tr.appendChild(td0);
    tr.appendChild(el('td', row.name, 'name'));
    tr.appendChild(el('td', row.urn ? `${row.school} (${row.urn})` : row.school, 'school'));
    tr.appendChild(el('td', row.role_label, 'role'));
    tr.appendChild(el('td', row.room || '—', 'room'));
    for (const p of row.parts) {
      const td = el('td', p.in_local || '—', 'part');
      td.dataset.session = String(p.session_id);
      if (p.minutes_late) td.appendChild(el('span', ` (+${p.minutes_late})`, 'hint'));
      tr.appendChild(td);
    }
    tr.appendChild(el('td', row.checked_out_local || '—', 'checkout'));
    tr.appendChild(statusCell(row));
    tr.appendChild(el('td', row.minutes_late ? `${row.minutes_late} min` : '—', 'late'));
    tr.appendChild(el('td', row.left_early ? 'Yes' : '—', 'left-early'));
    const actions = el('td', null, 'actions');
    const settle = el('button', 'Settle…', 'settle');
    settle.type = 'button';
    settle.addEventListener('click', () => Recon.actions.open({ people: [{ participant_id: row.participant_id, name: row.name }] }));
    const toggle = el('button', `History (${row.scan_count + row.correction_count})`, 'history-toggle');
    toggle.type = 'button';
    toggle.setAttribute('aria-expanded', openHistories.has(row.participant_id) ? 'true' : 'false');
    actions.append(settle, document.createTextNode(' '), toggle);
    tr.appendChild(actions);
    tbody.appendChild(tr);

    const hist = document.createElement('tr');
    hist.className = 'history';
    hist.dataset.historyFor = String(row.participant_id);
    hist.hidden = !openHistories.has(row.participant_id);
    const td = el('td');
    td.colSpan = 10 + nParts;
    hist.appendChild(td);
    tbody.appendChild(hist);
    if (!hist.hidden) loadHistory(row, hist, td);
    toggle.addEventListener('click', () => {
      const open = hist.hidden;
      hist.hidden = !open;
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) {
        openHistories.add(row.participant_id);
        loadHistory(row, hist, td);
      } else openHistories.delete(row.participant_id);
    });
  }

  // Shows the rows the filter and search let through, and says how many.
  function applyFilters() {
    const data = Recon.state.data;
    if (!data) return;
    let shown = 0;
    for (const row of data.rows) {
      const tr = document.querySelector(`#rows tr.row[data-participant="${row.participant_id}"]`);
      const hist = document.querySelector(`#rows tr.history[data-history-for="${row.participant_id}"]`);
      if (!tr) continue;
      const ok = Recon.filters.matches(row);
      tr.hidden = !ok;
      if (hist) hist.hidden = !ok || !openHistories.has(row.participant_id);
      if (ok) shown += 1;
    }
    document.getElementById('shown').textContent = `${shown} of ${data.rows.length} shown`;
    document.getElementById('no-rows').hidden = shown > 0;
    // The selection follows what is shown ("select every row shown" ticked when all are).
    if (Recon.bulk) Recon.bulk.show();
  }

  function draw(data) {
    head(data);
    const tbody = document.querySelector('#rows tbody');
    tbody.replaceChildren();
    for (const row of data.rows) drawRow(tbody, row, data.event.sessions.length);
    applyFilters();
    if (Recon.bulk) Recon.bulk.wireSelectAll();
  }

  return { draw, applyFilters };
})();
