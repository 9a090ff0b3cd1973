// The notice part of the school report page (docs/schools.md): the draft to the school's
// induction tutor as it stands, "Mark as sent" (naming the draft's version, so a draft that
// changed since it was read is refused and shown again), and the notices sent.
"use strict";

(function () {
  if (!schoolPage.event || !schoolPage.urn) return;
  const $ = (id) => document.getElementById(id);
  const button = $("mark-sent");
  let version = null;

  function say(text, ok) {
    const m = $("notice-message");
    m.textContent = text;
    m.className = "message " + (ok ? "ok" : "bad");
    m.hidden = !text;
  }

  function showDraft(d) {
    version = d.anything_to_send ? d.version : null;
    $("notice-text").textContent = d.text;
    button.disabled = !version;
    let state;
    if (d.anything_to_send) state = "Draft to " + d.addressed_to + ", about " + d.lines.length + " person(s).";
    else if (!d.held) state = "The event is not over yet: there is no notice until it is.";
    else state = "Nothing new to tell this school about this event" +
      (d.left_out.length ? " (" + d.left_out.length + " already told)." : ".");
    $("notice-state").textContent = state;
  }

  async function loadDraft() {
    const r = await staffFetch(`/staff/api/notices/draft?event=${schoolPage.event}&urn=${schoolPage.urn}`);
    if (r.status !== 200) return say(r.body && r.body.error ? r.body.error : "Could not load the draft.", false);
    showDraft(r.body);
  }

  async function loadSent() {
    const r = await staffFetch(`/staff/api/notices?event=${schoolPage.event}&urn=${schoolPage.urn}`);
    if (r.status !== 200) return;
    const list = $("notices");
    list.replaceChildren();
    for (const n of r.body.notices) {
      const li = document.createElement("li");
      li.dataset.notice = n.id;
      li.appendChild(staffElement("span", `Sent ${n.sent} by ${n.author}, about: ` +
        n.people.map((p) => p.name + " (" + p.status.replace("_", " ") + ")").join(", ")));
      const details = document.createElement("details");
      details.appendChild(staffElement("summary", "The text as sent"));
      details.appendChild(staffElement("pre", n.text, {"class": "notice-text"}));
      li.appendChild(details);
      list.appendChild(li);
    }
    $("no-notices").hidden = r.body.notices.length > 0;
  }

  button.addEventListener("click", async () => {
    if (!version) return;
    button.disabled = true;
    const r = await staffFetch("/staff/api/notices", {
      method: "POST", body: {event_id: Number(schoolPage.event), urn: schoolPage.urn, version}});
    if (r.status === 201 || r.status === 200) {
      say(r.status === 201 ? "Recorded as sent." : "This notice was already recorded as sent.", true);
    } else if (r.status === 409 && r.body && r.body.draft) {
      say(r.body.error + " The draft below is the current one.", false);
      showDraft(r.body.draft);
      await loadSent();
      return;
    } else {
      say(r.body && r.body.error ? r.body.error : "Refused (HTTP " + r.status + ").", false);
    }
    await loadDraft();
    await loadSent();
  });

  staffReady.then(async () => {
    $("notice-area").hidden = false;
    await loadDraft();
    await loadSent();
  }).catch(() => {});
})();
