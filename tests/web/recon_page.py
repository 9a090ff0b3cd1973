"""The reconciliation pages in a browser (docs/reconciliation.md), for the test_staff_reconcile*
tests: a past event made with the admin tool, scans written into hub.db as a device's upload
would leave them, and the page's own controls (filters, Settle… dialog, selection, linking,
sign-off, audit). Waits on conditions, never sleeps."""
import datetime
import json
import sqlite3
import os
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import PAGE_LOAD_S

LOAD_S = PAGE_LOAD_S


def past_event(world, days_ago=1, programme="ect-y1", item="conference-1", cohort=2025):
    """An event `days_ago` days before today, made by `muster event create` (it enrols the
    programme's audience): its id."""
    date = (datetime.date.today() - datetime.timedelta(days=days_ago)).isoformat()
    world.admin("event", "create", "--programme", programme, "--item", item, "--cohort", str(cohort), "--date", date,
                "--venue", "Past Hall", "--rooms", "1")
    return world.query("SELECT id FROM events WHERE local_date = ? AND programme = ? AND item = ?",
                       date, programme, item)[0][0]


def add_scan(world, event, participant, outcome="checked_in", direction="entry", minutes_after_start=-5, session=None):
    """A scan at `event` as an uploaded device record (device 'test-door'): its uuid."""
    if session is None:
        session = world.query("SELECT id FROM sessions WHERE event_id = ? ORDER BY starts_ms LIMIT 1", event)[0][0]
    start = world.query("SELECT starts_ms FROM sessions WHERE id = ?", session)[0][0]
    u = str(uuid.uuid4())
    db = sqlite3.connect(os.path.join(world.hub, "hub.db"), timeout=10)
    try:
        seq = db.execute("SELECT COALESCE(MAX(device_seq), 0) + 1 FROM check_ins WHERE device_id = 'test-door'").fetchone()[0]
        db.execute("INSERT INTO check_ins (uuid, device_id, device_seq, participant_id, event_id, session_id, direction, "
                   "method, outcome, device_ms, device_offset_min, received_ms) "
                   "VALUES (?, 'test-door', ?, ?, ?, ?, ?, 'qr', ?, ?, 0, ?)",
                   (u, seq, participant, event, session, direction, outcome, start + minutes_after_start * 60000,
                    start + minutes_after_start * 60000))
        db.commit()
    finally:
        db.close()
    return u


def rename(world, participant, first, last):
    db = sqlite3.connect(os.path.join(world.hub, "hub.db"), timeout=10)
    try:
        db.execute("UPDATE participants SET first_name = ?, last_name = ? WHERE id = ?", (first, last, participant))
        db.commit()
    finally:
        db.close()


class ReconPage:
    def __init__(self, browser, origin):
        self.b, self.d, self.origin = browser, browser.driver, origin

    def wait(self, condition, timeout, what):
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait
        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.02).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None

    def loads(self):
        return int(self.d.execute_script("return Number(document.body.dataset.loaded || 0);"))

    def open_event(self, event):
        self.d.get(f"{self.origin}/staff/event.html?id={event}")
        self.wait(lambda d: self.loads() >= 1, LOAD_S, f"event {event}'s page to load")
        return self

    def wait_reload(self, before):
        """After a stored change the page loads the event again."""
        self.wait(lambda d: self.loads() > before, LOAD_S, "the page to load the event again")

    def row(self, participant):
        return self.d.execute_script(
            "const tr = document.querySelector(`#rows tr.row[data-participant='${arguments[0]}']`); if (!tr) return null;"
            "const t = (s) => { const e = tr.querySelector(s); return e ? e.textContent : null; };"
            "return {name: t('.name'), school: t('.school'), status: t('.status .status-label'), status_cell: t('.status'),"
            "        late: t('.late'), left: t('.left-early'), hidden: tr.hidden,"
            "        parts: [...tr.querySelectorAll('td.part')].map(e => e.textContent),"
            "        unsettled: tr.classList.contains('unsettled')};", str(participant))

    def open_history(self, participant):
        """Opens a person's history (fetched from the hub when opened) and answers its text."""
        self.click(f"#rows tr.row[data-participant='{participant}'] button.history-toggle")
        sel = f"#rows tr.history[data-history-for='{participant}']"
        self.wait(lambda d: self.d.execute_script(
            "const h = document.querySelector(arguments[0]); return h && h.dataset.state === 'loaded';", sel),
            LOAD_S, f"{participant}'s history")
        return self.d.execute_script("return document.querySelector(arguments[0]).textContent;", sel)

    def shown_rows(self):
        return [int(x) for x in self.d.execute_script(
            "return [...document.querySelectorAll('#rows tr.row')].filter(t => !t.hidden).map(t => t.dataset.participant);")]

    def all_rows(self):
        return [int(x) for x in self.d.execute_script(
            "return [...document.querySelectorAll('#rows tr.row')].map(t => t.dataset.participant);")]

    def data(self):
        return self.d.execute_script("return Recon.state.data;")

    def click(self, css):
        el = self.d.find_element(By.CSS_SELECTOR, css)
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
        el.click()

    def filter(self, value):
        Select(self.d.find_element(By.ID, "filter")).select_by_value(value)

    def search(self, text):
        box = self.d.find_element(By.ID, "search")
        box.clear()
        if text:
            box.send_keys(text)
        else:  # clear() fires no input event: say so, as typing the field empty would
            self.d.execute_script("arguments[0].dispatchEvent(new Event('input'));", box)

    def dialog_open(self):
        return self.d.execute_script("return document.getElementById('action-dialog').open;")

    def fill_dialog(self, kind=None, reason="", note="", amendment=None, date=None, evidence=None):
        self.wait(lambda d: self.dialog_open(), 5, "the actions dialog")
        if kind:
            Select(self.d.find_element(By.ID, "action-kind")).select_by_value(kind)
        for field, value in (("action-reason", reason), ("action-note", note), ("action-evidence", evidence)):
            if value is not None:
                e = self.d.find_element(By.ID, field)
                e.clear()
                if value:
                    e.send_keys(value)
        if date is not None:
            self.d.execute_script("document.getElementById('action-date').value = arguments[0];", date)
        if amendment is not None:
            e = self.d.find_element(By.ID, "action-amendment")
            e.clear()
            e.send_keys(amendment)

    def save_dialog(self, expect_close=True):
        before = self.loads()
        self.d.find_element(By.ID, "action-confirm").click()
        if expect_close:
            self.wait(lambda d: not self.dialog_open(), LOAD_S, "the dialog to close (stored)")
            self.wait_reload(before)
        else:
            self.wait(lambda d: self.dialog_problem(), LOAD_S, "the dialog's problem text")

    def dialog_problem(self):
        return self.d.execute_script(
            "const p = document.getElementById('action-problem'); return p.hidden ? null : p.textContent;")

    def settle(self, participant, kind, reason, **kw):
        self.click(f"#rows tr.row[data-participant='{participant}'] button.settle")
        self.fill_dialog(kind=kind, reason=reason, **kw)
        self.save_dialog()

    def fetch(self, path, method="GET", body=None, headers=None):
        return self.d.execute_async_script(
            "const [path, method, body, headers, done] = arguments;"
            "fetch(path, {method, headers, body, credentials: 'same-origin', cache: 'no-store'})"
            "  .then(async r => done({status: r.status, body: await r.text()}))"
            "  .catch(e => done({status: -1, body: String(e)}));",
            path, method, body, headers or {})

    def api(self, path, method="GET", body=None):
        """A request with the session's CSRF token (from /staff/api/me), as the page sends it."""
        me = json.loads(self.fetch("/staff/api/me")["body"])
        headers = {"Content-Type": "application/json", "X-CSRF-Token": me["csrf"]}
        return self.fetch(path, method, None if body is None else json.dumps(body), headers)

    def audit(self):
        return self.d.execute_script(
            "return [...document.querySelectorAll('#audit tbody tr')].map(tr => ({"
            "  kind: [...tr.classList].find(c => c.startsWith('audit-')), amendment: tr.classList.contains('amendment'),"
            "  cells: [...tr.children].map(td => td.textContent)}));")

    def text(self, element_id):
        return self.d.find_element(By.ID, element_id).text
