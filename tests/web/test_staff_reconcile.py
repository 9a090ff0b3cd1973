"""Reconciling a held event on the staff pages (docs/reconciliation.md), as an admin in headless
Chromium against the real server: the event list, an absentee settled as excused, an
unexpected scan linked as an alternate-date attendance and seen on the other event, the rest
settled as a selection, sign-off, an amendment refused without its reason and stored (flagged)
with one, and the audit log showing it."""
import unittest

from harness import WorldCase
from recon_page import ReconPage, add_scan, past_event
from staff_harness import add_staff, staff_login

ADMIN = ("Ann Admin", "ann.admin@hub.example.org", "admin", "a long admin password 1")


class Reconcile(WorldCase):
    def test_settle_link_sign_off_amend_and_audit(self):
        w = self.world
        held = past_event(w, days_ago=1)
        expected = sorted(w.enrolled(event=held))
        self.assertGreaterEqual(len(expected), 5)
        sessions = [r[0] for r in w.query("SELECT id FROM sessions WHERE event_id = ? ORDER BY starts_ms", held)]
        for who in expected[:3]:  # on time at every session: present, settled by the scans
            for session in sessions:
                add_scan(w, held, who, minutes_after_start=-5, session=session)
        late = expected[3]
        add_scan(w, held, late, minutes_after_start=25)
        absentee = expected[4]
        # A mentor expected at the mentors' conference (event 2, tomorrow) who came to this one.
        mentor_event = w.query("SELECT id FROM events WHERE programme = 'mentor' ORDER BY id LIMIT 1")[0][0]
        mentor = w.query(
            "SELECT e.participant_id FROM enrolments e JOIN participants p ON p.id = e.participant_id "
            "WHERE e.event_id = ? AND p.role = 'mentor' AND e.participant_id NOT IN "
            "(SELECT participant_id FROM enrolments WHERE event_id = ?) ORDER BY 1 LIMIT 1", mentor_event, held)[0][0]
        add_scan(w, held, mentor, outcome="not_expected", minutes_after_start=-2)

        add_staff(w, *ADMIN)
        staff_login(self.browser.driver, w.origin, ADMIN[1], ADMIN[3])
        page = ReconPage(self.browser, w.origin)

        # The event list: the held event, its counts, a link to it.
        self.browser.driver.get(f"{w.origin}/staff/")
        page.wait(lambda d: d.execute_script("return document.body.dataset.loaded === 'yes';"), 15, "the event list")
        listed = self.browser.driver.execute_script(
            "const tr = document.querySelector(`#events tr[data-event='${arguments[0]}']`);"
            "return tr && {held: tr.querySelector('.held').textContent, unsettled: tr.querySelector('.unsettled').textContent, unexpected: tr.querySelector('.unexpected').textContent,"
            "  expected: tr.querySelector('.expected').textContent, href: tr.querySelector('a').getAttribute('href')};", str(held))
        self.assertEqual(listed["held"], "Yes")
        self.assertEqual(listed["unsettled"], str(len(expected) - 3))  # all but the three present
        self.assertEqual(listed["unexpected"], "1")
        self.assertEqual(int(listed["expected"]), len(expected))
        self.assertEqual(listed["href"], f"event.html?id={held}")

        page.open_event(held)
        row = page.row(absentee)
        self.assertEqual(row["status"], "Absent")
        self.assertTrue(row["unsettled"])
        self.assertNotEqual(page.row(expected[0])["parts"][0], "—")
        self.assertNotEqual(page.row(late)["late"], "—")

        # Filters: absent shows the absentee, not those who came.
        page.filter("absent")
        page.wait(lambda d: absentee in page.shown_rows() and expected[0] not in page.shown_rows(), 5, "the absent filter")
        page.filter("late")
        page.wait(lambda d: page.shown_rows() == [late], 5, "the late filter")
        page.filter("all")

        # An absentee settled as excused.
        page.settle(absentee, "excused", "Illness", note="Phoned the hub")
        row = page.row(absentee)
        self.assertEqual(row["status"], "Excused")
        self.assertFalse(row["unsettled"])
        stored = [c for c in w.corrections() if c["participant_id"] == absentee]
        self.assertEqual(len(stored), 1, stored)
        self.assertEqual((stored[0]["status"], stored[0]["reason"], stored[0]["author"]), ("excused", "Illness", ADMIN[0]))
        self.assertIsNone(stored[0]["device_id"])
        self.assertIsNotNone(stored[0]["sync_seq"])

        # The unexpected mentor, linked to the event they were expected at.
        sel = f"#unexpected tr[data-participant='{mentor}']"
        page.wait(lambda d: d.find_elements("css selector", sel + " select.candidates"), 5, "the mentor's candidates")
        options = self.browser.driver.execute_script(
            "return [...document.querySelectorAll(arguments[0] + ' select.candidates option')].map(o => Number(o.value));", sel)
        self.assertIn(mentor_event, options)
        self.browser.driver.execute_script("document.querySelector(arguments[0] + ' select.candidates').value = arguments[1];",
                                           sel, str(mentor_event))
        page.click(sel + " button.link")
        page.fill_dialog(reason="Came on the other date")
        page.save_dialog()
        linked = self.browser.driver.execute_script("return document.querySelector(arguments[0] + ' .link-cell').textContent;", sel)
        self.assertIn(f"event {mentor_event}", linked)
        alt = [c for c in w.corrections() if c["participant_id"] == mentor]
        self.assertEqual((alt[0]["event_id"], alt[0]["status"], alt[0]["linked_event_id"]), (mentor_event, "alternate", held))

        # ... and seen on the other event.
        page.open_event(mentor_event)
        other = page.row(mentor)
        self.assertEqual(other["status"], page.data()["rows"][[r["participant_id"] for r in page.data()["rows"]].index(mentor)]["status_label"])
        self.assertIn(f"(event {held})", other["status_cell"])

        # Sign-off is refused while rows are unsettled, and the page says why.
        page.open_event(held)
        page.click("#sign-off")
        page.wait(lambda d: d.find_element("id", "signoff-problem").is_displayed(), 10, "the sign-off refusal")
        self.assertIn("still need", page.text("signoff-problem"))
        self.assertEqual(w.query("SELECT count(*) FROM event_sign_offs")[0][0], 0)

        # The rest settled as one selection: the unsettled filter, select every row shown.
        page.filter("unsettled")
        page.wait(lambda d: len(page.shown_rows()) >= 1, 5, "unsettled rows")
        unsettled = page.shown_rows()
        self.assertNotIn(absentee, unsettled)
        page.click("#select-all")
        page.wait(lambda d: page.text("bulk-count") == f"{len(unsettled)} selected", 5, "the selection's count")
        page.click("#bulk-settle")
        page.fill_dialog(kind="absent", reason="No show")
        page.save_dialog()
        self.assertEqual(page.data()["unsettled"], 0)
        page.filter("all")

        # Sign-off.
        before = page.loads()
        page.click("#sign-off")
        page.wait_reload(before)
        self.assertIn("Signed off", page.text("signoff-state"))
        self.assertFalse(self.browser.driver.find_element("id", "sign-off").is_displayed())

        # An amendment without its reason is refused; with one it is stored and flagged.
        page.click(f"#rows tr.row[data-participant='{absentee}'] button.settle")
        page.wait(lambda d: page.dialog_open(), 5, "the dialog")
        self.assertTrue(self.browser.driver.find_element("id", "amendment-fields").is_displayed())
        self.assertIn("signed off", page.text("amendment-why"))
        page.fill_dialog(kind="absent", reason="Did not come after all")
        page.save_dialog(expect_close=False)
        self.assertIn("amendment", page.dialog_problem().lower())
        self.assertEqual(len([c for c in w.corrections() if c["participant_id"] == absentee]), 1)
        page.fill_dialog(amendment="The school says the illness note was wrong", reason=None, note=None)
        page.save_dialog()
        self.assertEqual(page.row(absentee)["status"], "Absent")
        amended = [c for c in w.corrections() if c["participant_id"] == absentee and c["amendment_reason"]]
        self.assertEqual(len(amended), 1)
        self.assertEqual(amended[0]["amendment_reason"], "The school says the illness note was wrong")

        # The audit log: the sign-off and the flagged amendment.
        audit = page.audit()
        self.assertTrue(any(e["kind"] == "audit-sign_off" for e in audit), audit)
        flagged = [e for e in audit if e["amendment"]]
        self.assertEqual(len(flagged), 1, audit)
        self.assertIn("The school says the illness note was wrong", flagged[0]["cells"][5])
        # The history of that person shows it too.
        hist = page.open_history(absentee)
        self.assertIn("amendment after sign-off", hist)


if __name__ == "__main__":
    unittest.main()
