// The accounts page (docs/staff.md, "The accounts page"), for admins: the accounts, add one,
// disable, enable, unlock, set a password, and the audit. The server refuses a staff account
// (403) whatever this page shows; the page says so instead of the forms.
"use strict";

(function () {
  const message = document.getElementById("message");
  const area = document.getElementById("accounts-area");
  let names = new Map();  // id -> name, for the audit

  function say(text, ok) {
    message.textContent = text;
    message.className = "message " + (ok ? "ok" : "bad");
    message.hidden = !text;
  }

  // The hub's times are UK times, whatever the browser's own zone.
  const when = (ms) => (ms === null || ms === undefined) ? "never" :
    new Date(ms).toLocaleString("en-GB", {dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London"});

  function state(a, now) {
    if (a.disabled_ms !== null) return "disabled " + when(a.disabled_ms);
    if (a.locked_until_ms !== null && a.locked_until_ms > now) return "locked until " + when(a.locked_until_ms);
    return "in service";
  }

  async function act(id, action, label) {
    const r = await staffFetch(`/staff/api/accounts/${id}/${action}`, {method: "POST"});
    if (r.status === 200) say(label + (r.body.result === "unchanged" ? ": nothing to change." : ": done."), true);
    else say(r.body && r.body.error ? r.body.error : "Refused (HTTP " + r.status + ").", false);
    await load();
  }

  function row(a, now) {
    const tr = document.createElement("tr");
    tr.dataset.account = a.id;
    tr.dataset.email = a.email;
    for (const text of [a.name, a.email, a.role, state(a, now), when(a.last_login_ms)])
      tr.appendChild(staffElement("td", text));
    const cell = document.createElement("td");
    const actions = staffElement("div", null, {"class": "actions"});
    const button = (label, cls, f) => {
      const b = staffElement("button", label, {type: "button", "class": cls});
      b.addEventListener("click", f);
      actions.appendChild(b);
    };
    if (a.disabled_ms === null) {
      if (a.id !== staff.me.id) button("Disable", "disable", () => act(a.id, "disable", "Disabled " + a.name));
    } else {
      button("Enable", "enable", () => act(a.id, "enable", "Enabled " + a.name));
    }
    if (a.locked_until_ms !== null && a.locked_until_ms > now || a.failed_logins > 0)
      button("Unlock", "unlock", () => act(a.id, "unlock", "Unlocked " + a.name));
    cell.appendChild(actions);
    tr.appendChild(cell);
    return tr;
  }

  const kinds = {
    account_added: "account added", account_disabled: "disabled", account_enabled: "enabled",
    password_changed: "password changed", unlocked: "unlocked", login_ok: "logged in",
    login_failed: "wrong password", locked: "locked", logout: "logged out",
  };

  async function load() {
    const [list, audit] = await Promise.all([staffFetch("/staff/api/accounts"), staffFetch("/staff/api/accounts/audit")]);
    if (list.status === 403) {
      area.hidden = true;
      say("Only a hub admin manages staff accounts.", false);
      return;
    }
    if (list.status !== 200) {
      say("The accounts could not be loaded (HTTP " + list.status + ").", false);
      return;
    }
    const now = Date.now();
    names = new Map(list.body.accounts.map((a) => [a.id, a.name]));
    const tbody = document.querySelector("#accounts tbody");
    tbody.replaceChildren(...list.body.accounts.map((a) => row(a, now)));
    const select = document.getElementById("password-account");
    const chosen = select.value;
    select.replaceChildren(...list.body.accounts.map((a) => staffElement("option", a.name + " (" + a.email + ")", {value: a.id})));
    if (chosen) select.value = chosen;
    if (audit.status === 200) {
      const rows = audit.body.audit.slice(-200).reverse().map((e) => {
        const tr = document.createElement("tr");
        const what = (kinds[e.kind] || e.kind) + (e.detail ? " (" + e.detail + ")" : "");
        const about = e.staff_id === null ? "" : (names.get(e.staff_id) || "#" + e.staff_id);
        const by = e.actor_id === null ? (e.kind.startsWith("log") || e.kind === "locked" ? "" : "hub terminal")
                                       : (names.get(e.actor_id) || "#" + e.actor_id);
        for (const text of [when(e.at_ms), about, what, by]) tr.appendChild(staffElement("td", text));
        return tr;
      });
      document.querySelector("#audit tbody").replaceChildren(...rows);
    }
    area.hidden = false;
  }

  document.getElementById("add-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    const body = {name: f.name.value, email: f.email.value, role: f.role.value, password: f.password.value};
    const button = document.getElementById("add");
    button.disabled = true;
    try {
      const r = await staffFetch("/staff/api/accounts", {method: "POST", body});
      if (r.status === 201) {
        say("Added " + body.name + ". They log in with " + body.email + " and the password you typed.", true);
        f.reset();
      } else {
        say(r.body && r.body.error ? r.body.error : "Refused (HTTP " + r.status + ").", false);
      }
      await load();
    } finally {
      button.disabled = false;
    }
  });

  document.getElementById("password-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = document.getElementById("password-account").value;
    const input = document.getElementById("password-new");
    const button = document.getElementById("password-set");
    button.disabled = true;
    try {
      const r = await staffFetch(`/staff/api/accounts/${id}/password`, {method: "POST", body: {password: input.value}});
      if (r.status === 200) {
        say("The password is set.", true);
        input.value = "";
      } else {
        say(r.body && r.body.error ? r.body.error : "Refused (HTTP " + r.status + ").", false);
      }
      await load();
    } finally {
      button.disabled = false;
    }
  });

  staffReady.then(load);
})();
