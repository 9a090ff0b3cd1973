// People scanned at this event without being expected (event.html #unexpected): each offered
// as an alternate-date attendance for an event they were expected at. Linking records an
// `alternate` mark on THAT event (the one expected), pointing here; the row then shows where
// it is linked.
'use strict';

window.Recon = window.Recon || {};

Recon.unexpected = (() => {
  const { el } = Recon.api;

  function linkCell(u) {
    const td = el('td', null, 'link-cell');
    if (u.linked_to) {
      td.appendChild(el('span', 'Linked: attended instead of ', 'linked'));
      const a = el('a', `event ${u.linked_to}`, 'linked-event');
      a.href = `event.html?id=${encodeURIComponent(u.linked_to)}`;
      td.appendChild(a);
      return td;
    }
    if (!u.candidates.length) {
      td.appendChild(el('span', 'Not expected at any other event.', 'hint'));
      return td;
    }
    const select = document.createElement('select');
    select.className = 'candidates';
    select.setAttribute('aria-label', `Event ${u.name} was expected at`);
    for (const c of u.candidates) {
      const o = el('option', `${c.date} — ${c.title}${c.same_item ? ' (same element)' : ''}${c.signed_off ? ' (signed off)' : ''}`);
      o.value = String(c.event_id);
      select.appendChild(o);
    }
    const b = el('button', 'Link as alternate date…', 'link');
    b.type = 'button';
    b.addEventListener('click', () => {
      const target = Number(select.value);
      const chosen = u.candidates.find((c) => c.event_id === target);
      Recon.actions.open({
        people: [{ participant_id: u.participant_id, name: u.name }],
        action: 'alternate',
        event_id: target,
        attended_event_id: Recon.state.eventId,
        target_signed_off: Boolean(chosen && chosen.signed_off),
        title: `Link ${u.name}'s attendance here to ${chosen ? chosen.title + ' (' + chosen.date + ')' : 'event ' + target}`,
      });
    });
    td.append(select, document.createTextNode(' '), b);
    return td;
  }

  function draw(data) {
    const tbody = document.querySelector('#unexpected tbody');
    tbody.replaceChildren();
    for (const u of data.unexpected) {
      const tr = document.createElement('tr');
      tr.dataset.participant = String(u.participant_id);
      tr.appendChild(el('td', u.name, 'name'));
      tr.appendChild(el('td', u.urn ? `${u.school} (${u.urn})` : u.school, 'school'));
      tr.appendChild(el('td', u.role_label, 'role'));
      tr.appendChild(el('td', u.first_in_local || '—', 'first-in'));
      tr.appendChild(linkCell(u));
      tbody.appendChild(tr);
    }
    document.getElementById('no-unexpected').hidden = data.unexpected.length > 0;
  }

  return { draw };
})();
