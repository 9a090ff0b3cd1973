"""The deliveries page (docs/staff.md, "Deliveries") in a real browser against the real server:
a staff account logs in, sees the signed-off event with a rejected entry, opens it, presses
Retry, and the entry shows pending and "retried by <name>"; a name with HTML in it (the
participant's, the staff member's) shows as text; the page refreshes itself; the event page
links to it.

How the state is made: the event is settled and signed off with the real admin tool (`muster
attendance mark`, `muster event sign-off`), which queues its records in the outbox. This test
runs no CRM, so two things are written to hub.db with sqlite3 the way the server would:
the target row ("crm", https), which the server registers from its file at start (its file
here names none, and it is already running), and the worker's outcome for the records (one
rejected with a 422, the rest delivered), which is what record_delivery_results stores (the
store and the server's API have their own tests: tests/server/test_staff_central_api.cpp)."""
import os
import sqlite3
import time
import unittest

from selenium.webdriver.common.by import By

from recon_page import past_event, rename
from staff_harness import StaffCase, add_staff, staff_log_in

STAFF_NAME = "Bo <i>Staff</i>"
FIRST, LAST = "<b>Zed</b>", "O'Neil <img src=x>"


def hub_write(world, sql, *params):
    db = sqlite3.connect(os.path.join(world.hub, "hub.db"), timeout=10)
    try:
        db.execute(sql, params)
        db.commit()
    finally:
        db.close()


class StaffDelivery(StaffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        w = cls.world
        add_staff(w, STAFF_NAME, "bo@hub.example.org", "staff")
        cls.event = past_event(w, days_ago=2)
        expected = sorted(w.enrolled(event=cls.event))
        cls.person = expected[0]
        rename(w, cls.person, FIRST, LAST)
        now_ms = int(time.time() * 1000)
        hub_write(w, "INSERT INTO central_targets (name, kind, active, added_ms) VALUES ('crm', 'https', 1, ?)", now_ms)
        args = ["attendance", "mark", "--event", str(cls.event), "--status", "absent", "--reason", "no show",
                "--author", "Test Admin"]
        for p in expected:
            args += ["--participant", str(p)]
        w.admin(*args)
        w.admin("event", "sign-off", "--event", str(cls.event), "--author", "Test Admin")
        rows = w.query("SELECT d.id, r.participant_id FROM central_deliveries d JOIN central_records r ON r.id = d.record_row "
                       "WHERE r.event_id = ? AND d.target = 'crm'", cls.event)
        assert len(rows) == len(expected), f"the sign-off queued {len(rows)} records for {len(expected)} people"
        cls.rejected = next(d for d, p in rows if p == cls.person)
        cls.pending = next(d for d, p in rows if p != cls.person)
        # The worker's outcome: one rejected, one left pending (to watch the page refresh), the rest delivered.
        hub_write(w, "UPDATE central_deliveries SET state = 'delivered', attempts = 1, last_status = 201, "
                     "remote_id = 'crm-' || id, delivered_ms = ?1, updated_ms = ?1 WHERE id NOT IN (?2, ?3)",
                  now_ms, cls.rejected, cls.pending)
        hub_write(w, "UPDATE central_deliveries SET state = 'rejected', attempts = 1, last_status = 422, "
                     "last_error = 'field attendance_status: not an allowed value', updated_ms = ? WHERE id = ?",
                  now_ms, cls.rejected)

    def log_in(self):
        staff_log_in(self.driver, self.world.origin, "bo@hub.example.org")

    def loads(self):
        return int(self.driver.execute_script("return Number(document.body.dataset.loaded || 0);"))

    def entry(self, delivery):
        """One entry's row as the page shows it, read in one script (the table is rebuilt by each load)."""
        return self.driver.execute_script(
            "const tr = document.querySelector(`#entries tr[data-delivery='${arguments[0]}']`);"
            "if (!tr) return null;"
            "const t = (c) => { const e = tr.querySelector('.' + c); return e ? e.textContent : null; };"
            "return {state: tr.dataset.state, name: t('name'), retried: t('retried-by'), error: t('error-text'),"
            "        status: t('last-status'), button: !!tr.querySelector('button.retry'),"
            "        first: tr === document.querySelector('#entries tbody tr'),"
            "        markup: !!tr.querySelector('b, i, img')};", str(delivery))

    def test_a_rejected_entry_is_retried_from_the_page_and_shows_who_retried_it(self):
        w, d = self.world, self.driver
        self.log_in()

        # Every event: this one is highlighted with one rejected.
        d.get(f"{w.origin}/staff/delivery.html")
        self.wait(lambda d: self.loads() >= 1, "the deliveries page")
        row = d.execute_script(
            "const tr = document.querySelector(`#events tr[data-event='${arguments[0]}']`);"
            "const c = tr && tr.querySelector(\"td[data-target='crm']\");"
            "return tr ? {cls: tr.className, crm: c ? c.textContent : null} : null;", str(self.event))
        self.assertIsNotNone(row, "the signed-off event is not listed")
        self.assertIn("has-rejected", row["cls"])
        self.assertIn("1 rejected", row["crm"])
        self.assertIn("1 pending", row["crm"])
        totals = d.find_element(By.CSS_SELECTOR, "#totals tr[data-target='crm'] .rejected").text
        self.assertEqual(totals, "1")

        # Open it: the rejected entry first, the name as text, its error and status, a Retry button.
        d.find_element(By.CSS_SELECTOR, f"#events tr[data-event='{self.event}'] a").click()
        self.wait(lambda d: "event=" in d.current_url and self.loads() >= 1, "the event's deliveries")
        e = self.wait(lambda d: self.entry(self.rejected), "the rejected entry")
        self.assertEqual(e["state"], "rejected")
        self.assertTrue(e["first"], "the rejected entry is not listed first")
        self.assertEqual(e["name"], f"{FIRST} {LAST}")
        self.assertFalse(e["markup"], "a name was read as HTML")
        self.assertEqual(e["status"], "422")
        self.assertEqual(e["error"], "field attendance_status: not an allowed value")
        self.assertTrue(e["button"])
        self.assertFalse(d.find_element(By.ID, "retry-all").get_attribute("hidden"))

        before = self.loads()
        d.find_element(By.CSS_SELECTOR, f"#entries tr[data-delivery='{self.rejected}'] button.retry").click()
        e = self.wait(lambda d: self.loads() > before and (self.entry(self.rejected) or {}).get("state") == "pending"
                      and self.entry(self.rejected), "the entry to show pending after the retry")
        self.assertEqual(e["retried"], f"retried by {STAFF_NAME}")
        self.assertFalse(e["markup"], "the staff name was read as HTML")
        self.assertFalse(e["button"], "a pending entry still offers Retry")
        self.assertTrue(d.find_element(By.ID, "retry-all").get_attribute("hidden") is not None)
        self.assertIn("1 entry retried", d.find_element(By.ID, "message").text)
        state, by = w.query("SELECT state, retried_by FROM central_deliveries WHERE id = ?", self.rejected)[0]
        self.assertEqual((state, by), ("pending", STAFF_NAME))

        # The page asks again by itself: the pending entry delivered meanwhile shows so.
        hub_write(w, "UPDATE central_deliveries SET state = 'delivered', remote_id = 'crm-late', delivered_ms = ?1, "
                     "updated_ms = ?1 WHERE id = ?2", int(time.time() * 1000), self.pending)
        self.wait(lambda d: (self.entry(self.pending) or {}).get("state") == "delivered", "the page's own refresh",
                  timeout=25)

    def test_the_event_page_links_to_its_deliveries(self):
        self.log_in()
        self.driver.get(f"{self.world.origin}/staff/event.html?id={self.event}")
        href = self.wait(lambda d: (d.find_element(By.ID, "deliveries-link").get_attribute("href") or "")
                         if "delivery.html?event=" in (d.find_element(By.ID, "deliveries-link").get_attribute("href") or "")
                         else None, "the deliveries link")
        self.assertEqual(href, f"{self.world.origin}/staff/delivery.html?event={self.event}")


if __name__ == "__main__":
    unittest.main()
