// The reconciliation pages' requests (docs/reconciliation.md): one place that speaks to
// /staff/api/..., through staff-common.js's staffFetch (session cookie, X-CSRF-Token, JSON,
// back to the login page on 401). Answers {status, body} with the body parsed, so callers
// read the server's `problem` words on a refusal.
'use strict';

window.Recon = window.Recon || {};

Recon.api = (() => {
  // staffFetch (staff-common.js) answers {status, body (parsed JSON or null)}; it sends the
  // session's CSRF token once staffReady has loaded who is logged in.
  async function call(url, options) {
    await staffReady;
    try {
      return await staffFetch(url, options || {});
    } catch (e) {
      return { status: -1, body: null };
    }
  }

  // A refusal's words for staff.
  function problem(r) {
    if (r.body && (r.body.problem || r.body.error)) return r.body.problem || r.body.error;
    if (r.status === 0 || r.status === -1) return 'The hub did not answer: check the connection and try again.';
    return `The hub refused (HTTP ${r.status}).`;
  }

  // {id, name, role, csrf}: who is logged in (staff-common.js asks once per page).
  function me() { return staffReady; }

  function get(url) { return call(url, { method: 'GET' }); }
  function post(url, body) { return call(url, { method: 'POST', body: body }); }  // body: an object

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
