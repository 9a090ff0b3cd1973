// The staff login page (docs/staff.md, "The login page"): posts {email, password} as JSON and
// goes on to the page it was sent from (?next=, a staff page only) or the events list. The
// hub answers a busy moment with 503 and Retry-After: the page waits and tries again, a few
// times, saying so.
"use strict";

(function () {
  const form = document.getElementById("login-form");
  const button = document.getElementById("login");
  const message = document.getElementById("message");

  function say(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  // Only a path on this hub's staff pages: never another site (an open redirect).
  function nextPage() {
    const next = new URLSearchParams(location.search).get("next");
    if (next && next.startsWith("/staff/") && !next.startsWith("//") && !next.includes("\\") &&
        !next.startsWith("/staff/login")) return next;
    return "/staff/";
  }

  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function logIn(email, password) {
    for (let tries = 0; ; ++tries) {
      const res = await fetch("/staff/login", {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({email, password}),
      });
      let body = null;
      try { body = await res.json(); } catch (e) { body = null; }
      if (res.status === 503 && tries < 5) {
        say("The hub is busy checking other logins: trying again…");
        const after = Number(res.headers.get("Retry-After")) || 1;
        await wait(after * 1000);
        continue;
      }
      return {status: res.status, body};
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const email = document.getElementById("email").value;
    const password = document.getElementById("password").value;
    if (!email || !password) {
      say("Type your email and your password.");
      return;
    }
    button.disabled = true;
    say("");
    try {
      const r = await logIn(email, password);
      if (r.status === 200) {
        location.assign(nextPage());
        return;
      }
      say(r.body && r.body.error ? r.body.error : "The hub did not log you in (HTTP " + r.status + ").");
      form.dataset.refusal = r.body && r.body.code ? r.body.code : String(r.status);
      document.getElementById("password").value = "";
    } catch (err) {
      say("The hub could not be reached. Check the connection and try again.");
    } finally {
      button.disabled = false;
    }
  });
})();
