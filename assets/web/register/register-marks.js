// Marks from the tablet (docs/register.md, "Marks"): present by hand, left early, and undoing
// the tablet's own mark. Each is one POST with a UUID made here, so sending it again (the
// network failed, the hub did not answer) is harmless: the hub keeps one record per UUID.
// The facilitator's name is asked once per tablet and kept in localStorage.
'use strict';

window.MusterRegisterMarks = (() => {
  const AUTHOR_KEY = 'muster.register.author';
  const AUTHOR_MAX = 80;
  const NOTE_MAX = 200;
  const RETRY_DELAYS_MS = [500, 1000, 2000, 4000];  // a POST that got no answer is sent again, same UUID
  const POST_TIMEOUT_MS = 10000;
  const REASONS = { forgot_badge: 'Forgot badge', badge_failed: 'Badge would not scan', other: 'Other' };

  const $ = (id) => document.getElementById(id);
  const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  // A v4 UUID: crypto.randomUUID where there is one, else 16 random bytes with the version
  // and variant bits set (RFC 4122, section 4.4).
  function newUuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function reasonText(reason) {
    return REASONS[reason] || 'Other';
  }

  // Opens a <dialog> modally (Safari 15.4+, Chromium); an older browser just shows it.
  function openDialog(d) {
    if (typeof d.showModal === 'function') {
      if (!d.open) d.showModal();
    } else {
      d.setAttribute('open', '');
    }
  }
  function closeDialog(d) {
    if (typeof d.close === 'function') d.close();
    else d.removeAttribute('open');
  }

  // hooks: state() -> the state shown, csrf() -> token, linkId() -> this tablet's link, renewCsrf() -> Promise (GET
  // /register/session again), toast(text, ok), changed() (a mark was stored), rerender().
  function create(hooks) {
    let author = null;        // kept here too: localStorage may refuse (private browsing)
    // Read again each time: another tab of this tablet may have changed it.
    function storedAuthor() {
      try { author = localStorage.getItem(AUTHOR_KEY) || author; } catch (e) { /* keep the one in memory */ }
      return author;
    }
    let afterName = null;     // what to do once the name is given
    let marking = null;       // {kind, person} while #mark-dialog is open
    const busy = new Set();   // participants with a POST on its way: their buttons wait
    const unsent = new Map(); // "kind:id" -> {uuid, content}: a POST that got no answer, to resend as the same record

    function showAuthor() {
      $('author-shown').textContent = author || '';
      $('author-bar').hidden = !author;
    }

    function askName(then) {
      afterName = then || null;
      const input = $('author-name');
      input.value = author || '';
      $('author-error').hidden = true;
      openDialog($('name-dialog'));
      input.focus();
    }

    function saveName(e) {
      e.preventDefault();
      const name = $('author-name').value.trim().replace(/\s+/g, ' ');
      if (name.length < 1 || name.length > AUTHOR_MAX) {
        $('author-error').hidden = false;
        $('author-name').focus();
        return;
      }
      author = name;
      try { localStorage.setItem(AUTHOR_KEY, name); } catch (err) { /* private browsing: kept for this page only */ }
      showAuthor();
      closeDialog($('name-dialog'));
      const then = afterName;
      afterName = null;
      if (then) then();
    }

    function withAuthor(then) {
      if (storedAuthor()) {
        showAuthor();
        then();
      } else {
        askName(then);
      }
    }

    function openMark(kind, person) {
      withAuthor(() => {
        marking = { kind, person };
        const present = kind === 'present';
        $('mark-title').textContent = present ? 'Mark present by hand' : 'Mark as left early';
        $('mark-who').textContent = `${person.first_name} ${person.surname}${person.school ? ` — ${person.school}` : ''}`;
        $('mark-reason-field').hidden = !present;
        $('mark-reason').value = 'forgot_badge';
        $('mark-note').value = '';
        $('mark-confirm').textContent = present ? 'Mark present' : 'Mark left early';
        openDialog($('mark-dialog'));
        (present ? $('mark-reason') : $('mark-note')).focus();
      });
    }

    function scopeIds() {
      const s = hooks.state();
      return { session_id: s && s.session ? s.session.id : null, room_id: s && s.room ? s.room.id : null };
    }

    // One POST, sent again with the same body (same UUID) while no answer comes back; a stale
    // CSRF token (the session was reopened) is fetched once more.
    async function send(path, body) {
      let renewed = false;
      for (let attempt = 0; ; attempt += 1) {
        let r = null;
        let answer = {};
        // A hub that took the request but never answers must not hold the button for minutes.
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), POST_TIMEOUT_MS);
        try {
          r = await fetch(path, {
            method: 'POST', credentials: 'same-origin', cache: 'no-store', signal: abort.signal,
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': hooks.csrf() || '' },
            body: JSON.stringify(body),
          });
          try { answer = await r.json(); } catch (e) { answer = {}; }
        } catch (e) {
          r = null;
        } finally {
          clearTimeout(timer);
        }
        if (r && r.status === 403 && answer.code === 'csrf' && !renewed) {
          renewed = true;
          await hooks.renewCsrf();
          attempt -= 1;
          continue;
        }
        if (r && r.status < 500) return { status: r.status, ok: r.ok, body: answer };
        if (attempt >= RETRY_DELAYS_MS.length) return { status: r ? r.status : 0, ok: false, body: answer };
        await sleep(RETRY_DELAYS_MS[attempt]);
      }
    }

    // The UUID for an action: the one of an earlier try that got no answer, when the content
    // is the same (so a second tap after a failure cannot make two records), else a new one.
    function uuidFor(key, content) {
      const was = unsent.get(key);
      if (was && was.content === content) return was.uuid;
      const uuid = newUuid();
      unsent.set(key, { uuid, content });
      return uuid;
    }

    async function post(key, personId, path, fields, done) {
      const content = JSON.stringify(fields);
      const body = { uuid: uuidFor(key, content), ...fields };
      busy.add(personId);
      hooks.rerender();
      const r = await send(path, body);
      busy.delete(personId);
      if (r.status !== 0 && r.status < 500) unsent.delete(key);  // the hub answered: this UUID is settled
      if (r.ok) {
        hooks.toast(done, true);
        hooks.changed();
      } else {
        const why = r.body && r.body.error ? r.body.error
          : 'The hub did not answer. Check the tablet is on the venue network and try again.';
        hooks.toast(`Not saved: ${why}`, false);
      }
      hooks.rerender();
    }

    function confirmMark(e) {
      e.preventDefault();
      closeDialog($('mark-dialog'));
      if (!marking) return;
      const { kind, person } = marking;
      marking = null;
      const ids = scopeIds();
      const fields = {
        participant_id: person.id,
        kind: kind === 'present' ? 'present' : 'left_early',
        reason: kind === 'present' ? $('mark-reason').value : 'left_early',
        note: $('mark-note').value.trim().slice(0, NOTE_MAX),
        author,
        session_id: ids.session_id,
        room_id: ids.room_id,
      };
      const name = `${person.first_name} ${person.surname}`;
      post(`${fields.kind}:${person.id}`, person.id, 'api/marks', fields,
        kind === 'present' ? `Marked present: ${name}` : `Marked as left early: ${name}`);
    }

    function undo(person, targetUuid) {
      withAuthor(() => {
        post(`undo:${targetUuid}`, person.id, 'api/marks/undo', { target_uuid: targetUuid, author },
          `Undone: ${person.first_name} ${person.surname}`);
      });
    }

    function button(className, text, label, onClick, personId) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = className;
      b.textContent = text;
      b.setAttribute('aria-label', label);
      b.disabled = busy.has(personId);
      b.addEventListener('click', onClick);
      return b;
    }

    // A mark this tablet may undo: made through its own link. The stream's snapshots are shared
    // by every tablet of the room, so they name the mark's link and each page decides; the
    // server refuses another link's undo anyway.
    function mine(m) {
      return !!m && (m.undoable === true || (m.link !== null && m.link !== undefined && m.link === hooks.linkId()));
    }

    // The buttons of a row (each one's spoken name is its visible words, then whose):
    // `list` is 'here' or 'missing'. Null when there is nothing to do
    // (no current session: a mark belongs to one).
    function actionsFor(list, p) {
      const s = hooks.state();
      if (!s || !s.session) return null;
      const name = `${p.first_name} ${p.surname}`;
      const box = document.createElement('div');
      box.className = 'actions';
      if (list === 'missing') {
        box.append(button('mark-present', 'Present', `Present: ${name}`, () => openMark('present', p), p.id));
      } else if (list === 'here') {
        // The newest mark is undone first: leaving comes after arriving.
        if (mine(p.left_mark)) {
          const b = button('undo', 'Undo left', `Undo left: ${name}`, () => undo(p, p.left_mark.uuid), p.id);
          b.dataset.target = p.left_mark.uuid;
          box.append(b);
        }
        if (mine(p.by_hand)) {
          const b = button('undo', 'Undo mark', `Undo mark: ${name}`, () => undo(p, p.by_hand.uuid), p.id);
          b.dataset.target = p.by_hand.uuid;
          box.append(b);
        }
        if (p.left_ms === null || p.left_ms === undefined) {
          box.append(button('mark-left', 'Left early', `Left early: ${name}`, () => openMark('left', p), p.id));
        }
      }
      return box.childElementCount ? box : null;
    }

    function wire() {
      $('name-form').addEventListener('submit', saveName);
      $('author-cancel').addEventListener('click', () => { afterName = null; closeDialog($('name-dialog')); });
      $('author-change').addEventListener('click', () => askName(null));
      $('mark-form').addEventListener('submit', confirmMark);
      $('mark-cancel').addEventListener('click', () => { marking = null; closeDialog($('mark-dialog')); });
      $('mark-dialog').addEventListener('close', () => { marking = null; });
      storedAuthor();
      showAuthor();
    }

    return { wire, actionsFor, reasonText };
  }

  return { create, reasonText, newUuid };
})();
