// Shared by every staff page but the login (docs/staff.md): who is logged in
// (/staff/api/me), the nav bar, and staffFetch, which sends the session's CSRF token and JSON
// and goes to the login page when the session has ended. DOM built with createElement and
// textContent only (the pages' CSP allows no inline script or style).
"use strict";

const staff = {
  me: null,  // {id, name, role, csrf} once loaded
};

// The login page, coming back to this page after.
function staffToLogin() {
  const here = location.pathname + location.search;
  location.assign("/staff/login?next=" + encodeURIComponent(here));
}

// fetch with the session's token and JSON: resolves to {status, body (parsed JSON or null)};
// a 401 (the session ended) goes to the login page.
async function staffFetch(url, options = {}) {
  const method = options.method || "GET";
  const headers = {};
  if (method !== "GET") headers["X-CSRF-Token"] = staff.me ? staff.me.csrf : "";
  let body;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const res = await fetch(url, {method, headers, body, credentials: "same-origin", cache: "no-store"});
  let parsed = null;
  try { parsed = await res.json(); } catch (e) { parsed = null; }
  if (res.status === 401) {
    staffToLogin();
    return new Promise(() => {});  // never settles: the page is going away
  }
  return {status: res.status, body: parsed};
}

function staffElement(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function staffNav(me) {
  const nav = staffElement("nav", null, {"class": "staff-nav", "aria-label": "Staff pages"});
  const links = [["Events", "/staff/"], ["Deliveries", "/staff/delivery.html"],
                 ["Facilitators", "/staff/facilitators.html"], ["Satisfaction", "/staff/satisfaction.html"]];
  if (me.role === "admin") links.push(["Accounts", "/staff/accounts.html"]);
  for (const [label, href] of links) {
    const a = staffElement("a", label, {href});
    if (location.pathname === href) a.setAttribute("aria-current", "page");
    nav.appendChild(a);
  }
  nav.appendChild(staffElement("span", me.name + (me.role === "admin" ? " (admin)" : ""), {"class": "who"}));
  const out = staffElement("button", "Log out", {type: "button", id: "logout"});
  out.addEventListener("click", async () => {
    out.disabled = true;
    await staffFetch("/staff/logout", {method: "POST"});
    location.assign("/staff/login");
  });
  nav.appendChild(out);
  document.body.insertBefore(nav, document.body.firstChild);
}

// Loads who is logged in and puts up the nav bar; resolves to me. Pages call it first.
const staffReady = (async () => {
  const r = await staffFetch("/staff/api/me");
  if (r.status !== 200 || !r.body) throw new Error("no session");
  staff.me = r.body;
  if (document.readyState === "loading")
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, {once: true}));
  staffNav(staff.me);
  document.body.dataset.staffRole = staff.me.role;
  return staff.me;
})();
