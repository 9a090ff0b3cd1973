// The actions dialog (event.html #action-dialog): one correction for one person, or the same
// one for a selection (POST .../corrections with {"items": [...]}, all or nothing). Each is
// an append-only correction with a reason; the UUIDs are made when the dialog opens, so a
// Save sent twice (no answer the first time) is stored once. Once the event is signed off
// every dialog (an alternate-date link too, which amends this event's unexpected list, or
// the event it is stored on when that one is signed off) shows the amendment reason from
// the start and will not send without it; the hub stays the judge (422 without one).
'use strict';

window.Recon = window.Recon || {};

Recon.actions = (() => {
  const $ = (id) => document.getElementById(id);
  // {people, action, target_uuid, attended_event_id, event_id, target_signed_off, uuids, amend}
  let current = null;
  let sending = false;

  const DEFAULT_REASON = { present: 'Forgot badge' };

  function kind() { return current.action || $('action-kind').value; }

  function showFields() {
    const k = kind();
    $('caught-up-fields').hidden = k !== 'caught_up';
    const reason = $('action-reason');
    if (!reason.value && DEFAULT_REASON[k]) reason.value = DEFAULT_REASON[k];
  }

  function showAmendment(why) {
    $('amendment-why').textContent = why;
    $('amendment-fields').hidden = false;
    $('action-amendment').required = true;
    if (current) current.amend = true;
  }

  // Why this change is an amendment, or null: this event is signed off (every action here is
  // about it; a link changes its unexpected list), or a link's mark goes on an event that is.
  function amendmentWhy() {
    const data = Recon.state.data;
    const why = [];
    if (data && data.signed_off) {
      why.push(`This event was signed off on ${data.signed_off.at_local} by ${data.signed_off.by.name}`);
    }
    if (current.action === 'alternate' && current.target_signed_off) {
      why.push(`the event ${current.people[0].name} was expected at is signed off`);
    }
    if (!why.length) return null;
    const text = why.join('; ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}: a change now is an amendment. ` +
      'Say why it is needed; it is flagged in the audit log.';
  }

  function showProblem(text) {
    $('action-problem').textContent = text;
    $('action-problem').hidden = !text;
  }

  // opts: {people: [{participant_id, name}], action (fixed: void_scan, void_mark, alternate),
  //        target_uuid, attended_event_id, event_id (the event the correction is for),
  //        target_signed_off (alternate: that event is signed off), title}
  function open(opts) {
    current = Object.assign({ action: null, event_id: Recon.state.eventId, amend: false }, opts);
    current.uuids = current.people.map(() => Recon.api.newUuid());
    const n = current.people.length;
    $('action-title').textContent = opts.title || (n === 1 ? `Settle ${current.people[0].name}` : `Settle ${n} people`);
    $('action-who').textContent = n === 1 ? current.people[0].name : current.people.map((p) => p.name).join(', ');
    $('action-kind-row').hidden = Boolean(current.action);
    $('action-kind').value = 'present';
    for (const id of ['action-reason', 'action-note', 'action-date', 'action-evidence', 'action-amendment']) $(id).value = '';
    showProblem('');
    $('amendment-fields').hidden = true;
    $('action-amendment').required = false;
    const why = amendmentWhy();
    if (why) showAmendment(why);
    showFields();
    const d = $('action-dialog');
    if (!d.open) d.showModal();
    $('action-reason').focus();
  }

  function close() {
    const d = $('action-dialog');
    if (d.open) d.close();
    current = null;
  }

  function item(person, uuid) {
    const k = kind();
    const c = { uuid, action: k, participant_id: person.participant_id, reason: $('action-reason').value.trim() };
    const note = $('action-note').value.trim();
    if (note) c.note = note;
    if (current.target_uuid) c.target_uuid = current.target_uuid;
    if (current.attended_event_id) c.attended_event_id = current.attended_event_id;
    if (k === 'caught_up') {
      c.caught_up_on = $('action-date').value;
      c.evidence = $('action-evidence').value.trim();
    }
    const amendment = $('action-amendment').value.trim();
    if (amendment) c.amendment_reason = amendment;
    return c;
  }

  async function save(ev) {
    ev.preventDefault();
    if (!current || sending) return;
    if (current.amend && !$('action-amendment').value.trim()) {
      showProblem('Give the amendment reason: the event is signed off, so this change is an amendment.');
      $('action-amendment').focus();
      return;
    }
    const items = current.people.map((p, i) => item(p, current.uuids[i]));
    const body = items.length === 1 ? items[0] : { items };
    sending = true;
    $('action-confirm').disabled = true;
    try {
      const r = await Recon.api.post(`/staff/api/events/${current.event_id}/corrections`, body);
      if (r.status === 200 || r.status === 201) {
        const done = current;
        close();
        if (done.people.length > 1) Recon.bulk.clear();
        await Recon.page.reload();
        return;
      }
      if (r.status === 422) showAmendment('The event is signed off: a change now is an amendment and needs its reason.');
      showProblem(Recon.api.problem(r));
    } catch (e) {
      showProblem('The hub did not answer: check the connection and Save again (it will be stored once).');
    } finally {
      sending = false;
      $('action-confirm').disabled = false;
    }
  }

  function wire() {
    $('action-form').addEventListener('submit', save);
    $('action-cancel').addEventListener('click', close);
    $('action-kind').addEventListener('change', () => {
      $('action-reason').value = '';
      showFields();
    });
  }

  document.addEventListener('DOMContentLoaded', wire);
  return { open };
})();
