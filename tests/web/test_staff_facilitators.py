"""The facilitators' page (docs/facilitators.md) in a real browser: log in, see a facilitator's
delivered morning at an event held three days ago, their name (HTML in it) shown as text,
filter by date and school through the page's form, and download the CSV the link names."""
import datetime
import unittest

from selenium.webdriver.common.by import By

from recon_page import add_scan, past_event, rename
from staff_harness import StaffCase, add_staff, staff_log_in

NAME_FIRST, NAME_LAST = "<img src=x onerror=alert(1)>", "O'Hara <b>bold</b>"



class StaffFacilitators(StaffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_staff(cls.world, "Bo Staff", "bo@hub.example.org", "staff")
        cls.day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        cls.event = past_event(cls.world, days_ago=3)
        # The room's lead facilitator scanned into the morning.
        cls.lead, cls.urn = cls.world.query(
            "SELECT f.participant_id, p.school_urn FROM room_facilitators f JOIN rooms r ON r.id = f.room_id "
            "JOIN participants p ON p.id = f.participant_id WHERE r.event_id = ? ORDER BY f.lead DESC LIMIT 1",
            cls.event)[0]
        rename(cls.world, cls.lead, NAME_FIRST, NAME_LAST)
        add_scan(cls.world, cls.event, cls.lead)

    def shown(self):
        """The page's report, read in one script: {totals, facilitators: [{id, heading, rows}], html_elements, nothing}."""
        return self.driver.execute_script(
            "const report = document.getElementById('report');"
            "const fs = [...report.querySelectorAll('section.facilitator')].map(s => ({"
            "  id: Number(s.dataset.participant), heading: s.querySelector('h3').textContent,"
            "  rows: [...s.querySelectorAll('tbody tr')].map(tr => [...tr.cells].map(c => c.textContent))}));"
            "return {totals: document.getElementById('totals').textContent, facilitators: fs,"
            "        injected: report.querySelectorAll('img, b').length,"
            "        nothing: !document.getElementById('nothing').hidden,"
            "        message: document.getElementById('message').hidden ? '' : document.getElementById('message').textContent};")

    def wait_loaded(self):
        return self.wait(lambda d: (lambda s: s if (s["totals"] or s["message"]) else None)(self.shown()),
                         "the report to load")

    def submit(self, **fields):
        """Fills the form's fields and submits it (a GET of the page, as a person would)."""
        before = self.driver.current_url
        self.driver.execute_script(
            "const [f] = arguments; for (const k of ['from', 'to', 'school']) document.getElementById(k).value = f[k] || '';"
            "document.getElementById('filters').requestSubmit();", fields)
        self.wait(lambda d: d.current_url != before, "the filtered page")

    def fetch_text(self, path):
        return self.driver.execute_async_script(
            "const [path, done] = arguments;"
            "fetch(path, {credentials: 'same-origin', cache: 'no-store'}).then(async r => done({status: r.status,"
            "  type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),"
            "  body: await r.text()})).catch(e => done({status: -1, body: String(e)}));", path)

    def test_the_delivered_session_names_as_text_filters_and_the_csv(self):
        staff_log_in(self.driver, self.world.origin, "bo@hub.example.org")
        self.driver.get(f"{self.world.origin}/staff/facilitators.html")
        s = self.wait_loaded()
        mine = [f for f in s["facilitators"] if f["id"] == self.lead]
        self.assertEqual(len(mine), 1, s)
        self.assertIn(f"{NAME_FIRST} {NAME_LAST}", mine[0]["heading"])  # the HTML shown as text
        self.assertEqual(s["injected"], 0)
        self.assertEqual(len(mine[0]["rows"]), 1)
        date, event, room, part, times, evidence = mine[0]["rows"][0]
        self.assertEqual(date, self.day)
        self.assertEqual(part, "Morning")
        self.assertTrue(room.startswith("Room 1"))
        self.assertTrue(evidence.startswith("scan"))
        self.assertIn("1 session delivered by 1 facilitator", s["totals"])
        # The nav link is this page's, and the page has no inline script to run the injected name.
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".staff-nav a[aria-current='page']").text, "Facilitators")

        # Filter by the date and the school through the form: the same session.
        self.submit(**{"from": self.day, "to": self.day, "school": self.urn})
        self.assertIn(f"from={self.day}", self.driver.current_url)
        s = self.wait_loaded()
        self.assertEqual([f["id"] for f in s["facilitators"]], [self.lead])
        href = self.driver.find_element(By.ID, "csv-link").get_attribute("href")
        self.assertTrue(href.endswith(f"/staff/api/facilitators.csv?from={self.day}&to={self.day}&school={self.urn}"), href)
        csv = self.fetch_text(href)
        self.assertEqual(csv["status"], 200)
        self.assertEqual(csv["type"], "text/csv; charset=utf-8")
        self.assertTrue(csv["disposition"].startswith("attachment;"))
        lines = csv["body"].lstrip("\ufeff").split("\r\n")
        self.assertTrue(lines[0].startswith("facilitator_id,facilitator,school_urn,school,date,"))
        self.assertTrue(lines[1].startswith(f"{self.lead},"))
        self.assertIn(f'"=""{self.urn}"""', lines[1])

        # The day before: nothing delivered, and the page says so.
        before = (datetime.date.fromisoformat(self.day) - datetime.timedelta(days=1)).isoformat()
        self.submit(**{"from": before, "to": before})
        s = self.wait_loaded()
        self.assertEqual(s["facilitators"], [])
        self.assertTrue(s["nothing"])

        # A bad date typed into the address: the server's problem shown, no report.
        self.driver.get(f"{self.world.origin}/staff/facilitators.html?from=2025-02-30")
        s = self.wait_loaded()
        self.assertIn("from", s["message"])
        self.assertEqual(s["facilitators"], [])


if __name__ == "__main__":
    unittest.main()
