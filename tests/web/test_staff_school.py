"""The school report page (docs/schools.md) in a real browser: log in, open a school's report
for an event held three days ago, see an absentee, mark the school's notice as sent, and see
the next draft leave that person out (and the notice in the record of those sent)."""
import datetime
import unittest

from selenium.webdriver.common.by import By

from staff_harness import StaffCase, add_staff, page_fetch, staff_log_in



class StaffSchool(StaffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_staff(cls.world, "Bo Staff", "bo@hub.example.org", "staff")
        cohort = cls.world.query("SELECT cohort FROM participants WHERE role = 'ect' AND programme_year = 1 "
                                 "AND school_urn IS NOT NULL LIMIT 1")[0][0]
        day = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
        cls.world.admin("event", "create", "--programme", "ect-y1", "--item", "conference-2", "--cohort", str(cohort),
                        "--date", day, "--venue", "Leeds")
        cls.event = cls.world.query("SELECT id FROM events WHERE item = 'conference-2' AND local_date = ?", day)[0][0]
        # A school with an ECT expected there: nobody scanned at a past event, so all are absent.
        cls.urn, cls.pid, cls.name = cls.world.query(
            "SELECT p.school_urn, p.id, p.first_name || ' ' || p.last_name FROM enrolments e "
            "JOIN participants p ON p.id = e.participant_id WHERE e.event_id = ? AND p.role = 'ect' "
            "AND p.school_urn IS NOT NULL ORDER BY p.school_urn, p.last_name LIMIT 1", cls.event)[0]

    def test_a_school_report_shows_the_absentee_and_a_notice_sent_is_not_repeated(self):
        staff_log_in(self.driver, self.world.origin, "bo@hub.example.org")
        self.driver.get(f"{self.world.origin}/staff/school.html?event={self.event}&urn={self.urn}")
        # Read in one script call, so no element reference is held across a re-render.
        row = self.wait(lambda d: d.execute_script(
            "const tr = document.querySelector(arguments[0]);"
            "return tr ? {status: tr.dataset.status, text: tr.textContent} : null;",
            f'#people tr[data-participant="{self.pid}"]'), "the absentee's row")
        self.assertEqual(row["status"], "absent")
        self.assertIn("Absent", row["text"])
        self.assertIn(self.name, row["text"])
        csv = self.driver.find_element(By.ID, "csv-link").get_attribute("href")
        self.assertTrue(csv.endswith(f"/staff/api/schools/{self.urn}.csv?event={self.event}"))
        r = page_fetch(self.driver, f"/staff/api/schools/{self.urn}.csv?event={self.event}")
        self.assertEqual(r["status"], 200)

        # The draft names them; mark it sent.
        self.wait(lambda d: not d.find_element(By.ID, "mark-sent").get_attribute("disabled"), "the draft")
        draft = self.driver.find_element(By.ID, "notice-text").text
        self.assertIn(self.name + " (ECT): absent", draft)
        self.driver.find_element(By.ID, "mark-sent").click()
        self.wait(lambda d: d.find_element(By.ID, "notice-message").text == "Recorded as sent.", "the notice recorded")

        # The next draft leaves them out; the record of notices sent has them.
        self.wait(lambda d: "Nothing new to tell" in d.find_element(By.ID, "notice-state").text, "the next draft")
        self.assertNotIn(self.name, self.driver.find_element(By.ID, "notice-text").text)
        self.assertTrue(self.driver.find_element(By.ID, "mark-sent").get_attribute("disabled"))
        sent = self.wait(lambda d: d.execute_script(
            "const li = document.querySelector('#notices li[data-notice]'); return li ? li.textContent : null;"),
            "the notice in the list")
        self.assertIn("by Bo Staff", sent)
        self.assertIn(self.name, sent)
        self.assertEqual(self.world.query("SELECT count(*) FROM school_notices WHERE event_id = ? AND school_urn = ?",
                                          self.event, self.urn)[0][0], 1)


if __name__ == "__main__":
    unittest.main()
