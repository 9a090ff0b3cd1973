// The school report page (docs/schools.md): school.html?event=ID lists the event's schools;
// school.html?event=ID&urn=URN is one school's report (each ECT and mentor: status, times,
// lateness, left early, programme progress), with its CSV link. The notice is
// school-notice.js. DOM by createElement and textContent only.
"use strict";

const schoolPage = (function () {
  const params = new URLSearchParams(location.search);
  const event = /^[0-9]+$/.test(params.get("event") || "") ? params.get("event") : null;
  const urn = /^[0-9]{6}$/.test(params.get("urn") || "") ? params.get("urn") : null;
  return {event, urn};
})();

(function () {
  const $ = (id) => document.getElementById(id);
  const message = $("message");

  function say(text) {
    message.textContent = text;
    message.className = "message bad";
    message.hidden = !text;
  }

  function cell(tr, text, cls) {
    const td = staffElement("td", text === null || text === undefined ? "" : text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function eventLine(e) {
    $("event-line").textContent = e.title + ", " + e.long_date + (e.venue ? ", " + e.venue : "") +
      (e.held ? "" : " (not over yet)");
  }

  async function showSchools() {
    const r = await staffFetch("/staff/api/schools?event=" + schoolPage.event);
    if (r.status !== 200) return say(r.body && r.body.error ? r.body.error : "Could not load (HTTP " + r.status + ").");
    $("title").textContent = "Schools at this event";
    eventLine(r.body.event);
    const body = $("schools").querySelector("tbody");
    body.replaceChildren();
    for (const s of r.body.schools) {
      const tr = document.createElement("tr");
      tr.dataset.urn = s.urn;
      cell(tr, s.urn);
      const name = cell(tr, "");
      const a = staffElement("a", s.school_name || "(no name)",
        {href: "/staff/school.html?event=" + schoolPage.event + "&urn=" + s.urn});
      name.appendChild(a);
      for (const n of [s.expected, s.present, s.late, s.left_early, s.absent, s.excused, s.at_risk, s.to_tell]) cell(tr, n);
      body.appendChild(tr);
    }
    if (r.body.schools.length === 0) say("No school has an ECT or mentor at this event.");
    $("schools-area").hidden = false;
  }

  function progressText(p) {
    if (!p) return "";
    let t = p.plan + ": " + p.counts;
    if (p.state === "met") t += ", met";
    else if (p.at_risk) t += ", AT RISK: " + p.risk;
    return t;
  }

  async function showReport() {
    const base = "/staff/api/schools/" + schoolPage.urn;
    const r = await staffFetch(base + "?event=" + schoolPage.event);
    if (r.status !== 200) return say(r.body && r.body.error ? r.body.error : "Could not load (HTTP " + r.status + ").");
    const rep = r.body;
    $("title").textContent = (rep.school_name || "School") + " (URN " + rep.urn + ")";
    document.title = $("title").textContent + " — Muster hub staff";
    eventLine(rep.event);
    $("tutors").textContent = "Induction tutor: " +
      (rep.induction_tutors.length ? rep.induction_tutors.join(", ") : "none on the roster");
    const c = rep.counts;
    $("counts").textContent = `${c.expected} expected: ${c.present} present, ${c.late} late, ${c.left_early} left early, ` +
      `${c.absent} absent, ${c.excused} excused` + (c.at_risk ? `; ${c.at_risk} at risk over the programme` : "");
    $("csv-link").href = base + ".csv?event=" + schoolPage.event;
    $("all-schools").href = "/staff/school.html?event=" + schoolPage.event;
    const body = $("people").querySelector("tbody");
    body.replaceChildren();
    for (const p of rep.people) {
      const tr = document.createElement("tr");
      tr.dataset.participant = p.participant_id;
      tr.dataset.status = p.status;
      cell(tr, p.name);
      cell(tr, p.role_label);
      let status = p.status_label;
      if (!p.expected) status += " (not expected here)";
      if (p.marked_by_staff) status += " (marked by " + (p.marked_by || "staff") + ")";
      cell(tr, status, "status-" + p.status);
      cell(tr, p.first_in);
      cell(tr, p.last_out);
      cell(tr, p.minutes_late === null ? "" : p.minutes_late + " min");
      cell(tr, p.left_early ? "yes" : "");
      cell(tr, p.missed_sessions.join(", "));
      cell(tr, progressText(p.progress), p.progress && p.progress.at_risk ? "at-risk" : "");
      body.appendChild(tr);
    }
    if (rep.people.length === 0) say("No ECTs or mentors of this school at this event.");
    $("report-area").hidden = false;
  }

  staffReady.then(async () => {
    if (!schoolPage.event) {
      const form = $("pick-event");
      form.hidden = false;
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const id = $("event-id").value.trim();
        if (/^[0-9]+$/.test(id)) location.assign("/staff/school.html?event=" + id);
      });
      return;
    }
    if (schoolPage.urn) await showReport();
    else await showSchools();
  }).catch(() => {});
})();
