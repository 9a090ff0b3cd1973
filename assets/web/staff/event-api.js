// The reconciliation pages' requests (docs/reconciliation.md): one place that speaks to
// /staff/api/..., through staff-common.js's staffFetch (session cookie, X-CSRF-Token, JSON,
// back to the login page on 401). Answers {status, body} with the body parsed, so callers
// read the server's `problem` words on a refusal.
'use strict';

window.Recon = window.Recon || {};

Recon.api = (() => {
  async function call(url, options) {
    const opts = options || {};
    let res;
    if (typeof window.staffFetch === 'function') {
      res = await window.staffFetch(url, opts);
    } else {  // staff-common.js not loaded: a same-origin GET still works (POSTs need its token)
      res = await fetch(url, { method: opts.method || 'GET', credentials: 'same-origin', cache: 'no-store' });
    }
    if (res && typeof res.status === 'number' && typeof res.text === 'function') {
      const text = await res.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
      return { status: res.status, body: body };
    }
    return { status: 200, body: res };  // a staffFetch that answers the parsed body
  }

  // A refusal's words for staff.
  function problem(r) {
    if (r.body && (r.body.problem || r.body.error)) return r.body.problem || r.body.error;
    if (r.status === 0 || r.status === -1) return 'The hub did not answer: check the connection and try again.';
    return `The hub refused (HTTP ${r.status}).`;
  }

  let mePromise = null;
  // {id, name, role, csrf}: who is logged in (one request per page).
  function me() {
    if (!mePromise) mePromise = call('/staff/api/me').then((r) => (r.status === 200 ? r.body : null));
    return mePromise;
  }

  function get(url) { return call(url, { method: 'GET' }); }
  function post(url, body) { return call(url, { method: 'POST', body: body }); }

  // A v4 UUID for a correction: made once per attempt, so sending it again stores it once.
  function newUuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // An element with text (never HTML): names and reasons are whatever people typed.
  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  return { get, post, me, problem, newUuid, el };
})();
