// The facilitators' page (docs/facilitators.md): facilitators.html?from=&to=&school= shows
// the sessions each facilitator delivered, a table per school then facilitator, the totals,
// and the CSV link for the same filters. The form is a plain GET of this page; the server
// checks the values (400 with the problem in words). DOM by createElement and textContent
// only: names are whatever the roster said.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of ["from", "to", "school"]) {
    const v = (params.get(key) || "").trim();
    if (v) filters[key] = v;
    $(key).value = v;
  }
  const query = new URLSearchParams(filters).toString();

  function say(text) {
    $("message").textContent = text;
    $("message").hidden = !text;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function rangeText() {
    let t;
    if (filters.from && filters.to) t = "From " + filters.from + " to " + filters.to;
    else if (filters.from) t = "From " + filters.from;
    else if (filters.to) t = "Up to " + filters.to;
    else t = "Every event held";
    if (filters.school) t += ", school " + filters.school;
    return t + ".";
  }

  function cell(tr, text, cls) {
    const td = staffElement("td", text);
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function facilitatorBlock(f) {
    const block = staffElement("section", null, {"class": "facilitator"});
    block.dataset.participant = f.participant_id;
    block.appendChild(staffElement("h3", f.name + " — " + plural(f.sessions.length, "session", "sessions")));
    const table = document.createElement("table");
    const head = document.createElement("tr");
    for (const h of ["Date", "Event", "Room", "Part", "Times", "Evidence"])
      head.appendChild(staffElement("th", h, {scope: "col"}));
    table.appendChild(document.createElement("thead")).appendChild(head);
    const body = table.appendChild(document.createElement("tbody"));
    for (const s of f.sessions) {
      const tr = document.createElement("tr");
      tr.dataset.session = s.session_id;
      tr.dataset.evidence = s.evidence;
      cell(tr, s.date, "date");
      cell(tr, s.event);
      cell(tr, s.room ? s.room + (s.lead ? " (lead)" : "") : "—");
      cell(tr, s.part);
      cell(tr, s.starts + "–" + s.ends, "times");
      cell(tr, s.evidence + (s.signed_off ? "" : " (not signed off)"),
           s.evidence === "scan" ? "evidence-scan" : "evidence-staff-mark");
      body.appendChild(tr);
    }
    block.appendChild(table);
    return block;
  }

  function schoolBlock(s) {
    const block = staffElement("section", null, {"class": "school"});
    block.dataset.urn = s.urn;
    const name = s.urn ? (s.school_name || "(no name)") + " (URN " + s.urn + ")" : "No school on the roster";
    block.appendChild(staffElement("h2", name + " — " + plural(s.sessions, "session", "sessions") + ", " +
      plural(s.facilitators.length, "facilitator", "facilitators")));
    for (const f of s.facilitators) block.appendChild(facilitatorBlock(f));
    return block;
  }

  async function show() {
    $("range").textContent = rangeText();
    $("csv-link").href = "/staff/api/facilitators.csv" + (query ? "?" + query : "");
    const r = await staffFetch("/staff/api/facilitators" + (query ? "?" + query : ""));
    if (r.status !== 200) {
      $("csv-link").hidden = true;
      return say(r.body && r.body.error ? r.body.error : "Could not load (HTTP " + r.status + ").");
    }
    const rep = r.body;
    $("totals").textContent = plural(rep.sessions, "session", "sessions") + " delivered by " +
      plural(rep.facilitators, "facilitator", "facilitators") + " of " + plural(rep.schools.length, "school", "schools") + ".";
    const report = $("report");
    report.replaceChildren();
    for (const s of rep.schools) report.appendChild(schoolBlock(s));
    $("nothing").hidden = rep.schools.length > 0;
  }

  staffReady.then(show).catch(() => {});
})();
