// The satisfaction page (docs/satisfaction.md): satisfaction.html lists every event with
// answers, newest first; satisfaction.html?event=ID shows one event, even with none. Each row:
// the counts, the agree figure as a number and a bar against the 90 % target, and the verdict
// in words ("Yes" / "No" / "No answers"), so colour is never the only signal.
// DOM by createElement and textContent only.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const event = /^[0-9]+$/.test(params.get("event") || "") ? params.get("event") : null;

  function say(text) {
    const m = $("message");
    m.textContent = text;
    m.className = "message bad";
    m.hidden = !text;
  }

  function cell(tr, text, cls) {
    const td = staffElement("td", text === null || text === undefined ? "" : text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  // 900 -> "90.0 %" (the server rounds down, so 89.96 % never shows as 90.0 %).
  function percentText(tenths) { return Math.floor(tenths / 10) + "." + (tenths % 10) + " %"; }

  function row(f, target) {
    const tr = document.createElement("tr");
    tr.dataset.event = f.event_id;
    cell(tr, f.local_date);
    const name = cell(tr, "");
    name.appendChild(staffElement("a", f.title, {href: "/staff/satisfaction.html?event=" + f.event_id}));
    if (f.answers === 0) {
      cell(tr, "0", "num answers");
      const none = cell(tr, "No answers", "none");
      none.colSpan = 5;
      return tr;
    }
    cell(tr, f.answers, "num answers");
    cell(tr, f.agree, "num agree");
    cell(tr, f.not_sure, "num not-sure");
    cell(tr, f.disagree, "num disagree");
    const figure = cell(tr, "");
    const box = staffElement("div", null, {"class": "figure"});
    box.appendChild(staffElement("span", percentText(f.agree_tenths_percent), {"class": "percent"}));
    const bar = staffElement("meter", null, {
      min: "0", max: "1000", low: String(target * 10), optimum: "1000", value: String(f.agree_tenths_percent),
      "aria-label": percentText(f.agree_tenths_percent) + " agree; the target is " + target + " %",
    });
    box.appendChild(bar);
    figure.appendChild(box);
    cell(tr, f.meets_target ? "Yes" : "No", "verdict " + (f.meets_target ? "meets" : "below"));
    return tr;
  }

  async function show() {
    await staffReady;
    const url = "/staff/api/satisfaction" + (event ? "/" + event : "");
    const r = await staffFetch(url);
    if (r.status !== 200 || !r.body)
      return say(r.body && r.body.error ? r.body.error : "Could not load the figures (HTTP " + r.status + ").");
    const target = r.body.target_percent;
    $("target").textContent = "Target: at least " + target + " % agree. “Not sure” counts as not agreeing.";
    const figures = event ? [r.body.event] : r.body.events;
    if (event) {
      $("title").textContent = "Satisfaction: " + r.body.event.title;
      $("all-events").hidden = false;
    }
    const body = $("figures").querySelector("tbody");
    body.replaceChildren();
    for (const f of figures) body.appendChild(row(f, target));
    $("figures").hidden = figures.length === 0;
    $("no-answers").hidden = figures.length !== 0;
  }

  show().catch(() => say("Could not load the figures."));
})();
