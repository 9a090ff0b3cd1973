"""The reconciliation pages against hostile text and the wrong role (docs/reconciliation.md):
a participant named with HTML and SQL metacharacters is shown as text (no element made, no
script run), the search box takes SQL and HTML as plain text, and a staff-role account is not
offered sign-off and is refused it by the hub (403)."""
import json
import unittest

from harness import WorldCase
from recon_page import ReconPage, past_event, rename
from staff_harness import add_staff, staff_login

STAFF = ("Bo Staff", "bo.staff@hub.example.org", "staff", "a long staff password 1")
HTML_NAME = "<img src=x onerror=alert(1)>"
SQL_NAME = "O'Hara; DROP TABLE participants; --"
SQL_SEARCH = "' OR 1=1 --"


class ReconcileSecurity(WorldCase):
    def test_hostile_names_and_search_are_text_and_staff_cannot_sign_off(self):
        w = self.world
        held = past_event(w, days_ago=2)
        expected = sorted(w.enrolled(event=held))
        rename(w, expected[0], HTML_NAME, "Smith")
        rename(w, expected[1], SQL_NAME, "Jones")

        add_staff(w, *STAFF)
        d = self.browser.driver
        staff_login(d, w.origin, STAFF[1], STAFF[3])
        page = ReconPage(self.browser, w.origin).open_event(held)

        self.assertEqual(page.row(expected[0])["name"], f"{HTML_NAME} Smith")
        self.assertEqual(page.row(expected[1])["name"], f"{SQL_NAME} Jones")
        self.assertEqual(d.execute_script("return document.querySelectorAll('#rows img, img[src=x]').length;"), 0)
        self.assertFalse(page_has_alert(d))

        # SQL in the search box matches nothing and breaks nothing; the rows are all still there.
        page.search(SQL_SEARCH)
        page.wait(lambda _: page.shown_rows() == [], 5, "no row to match the SQL text")
        self.assertEqual(sorted(page.all_rows()), expected)
        self.assertIn("0 of", page.text("shown"))
        # HTML typed into the search finds the person whose name is that text, as text.
        page.search("<img src=x")
        page.wait(lambda _: page.shown_rows() == [expected[0]], 5, "the HTML-named person found by text")
        page.search("o'hara; drop")
        page.wait(lambda _: page.shown_rows() == [expected[1]], 5, "the SQL-named person found by text")
        self.assertFalse(page_has_alert(d))
        self.assertEqual(w.query("SELECT count(*) FROM participants WHERE id = ?", expected[1])[0][0], 1)

        # A staff account is not offered sign-off, and the hub refuses it anyway.
        self.assertFalse(d.find_element("id", "sign-off").is_displayed())
        self.assertTrue(d.find_element("id", "signoff-admin-only").is_displayed())
        r = page.api(f"/staff/api/events/{held}/sign-off", "POST", {"note": "trying"})
        self.assertEqual(r["status"], 403, r)
        self.assertEqual(json.loads(r["body"])["code"], "forbidden")
        self.assertEqual(w.query("SELECT count(*) FROM event_sign_offs")[0][0], 0)

        # Staff do reconcile: a correction with a hostile reason is stored and shown as text.
        page.search("")
        page.settle(expected[2], "excused", HTML_NAME)
        hist = page.open_history(expected[2])
        self.assertIn(HTML_NAME, hist)
        self.assertEqual(d.execute_script("return document.querySelectorAll('img').length;"), 0)
        self.assertFalse(page_has_alert(d))


def page_has_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException
    try:
        driver.switch_to.alert
        return True
    except NoAlertPresentException:
        return False


if __name__ == "__main__":
    unittest.main()
