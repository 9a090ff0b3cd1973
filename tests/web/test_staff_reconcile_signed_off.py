"""The reconciliation page's selection and its signed-off dialogs (docs/reconciliation.md), as
an admin in headless Chromium against the real server: "select every row shown" follows the
filter and the search (its tick and what it selects are the rows shown); once the event is
signed off, linking an unexpected scan as an alternate-date attendance asks for the amendment
reason from the start, will not send without it, and stores it flagged; the page links to the
event's schools page."""
import unittest

from harness import WorldCase
from recon_page import ReconPage, add_scan, past_event
from staff_harness import add_staff, staff_login

ADMIN = ("Ann Admin", "ann.admin@hub.example.org", "admin", "a long admin password 1")


class SignedOff(WorldCase):
    def test_select_all_follows_the_filter_and_a_signed_off_link_needs_its_amendment_reason(self):
        w = self.world
        held = past_event(w, days_ago=1)
        expected = sorted(w.enrolled(event=held))
        self.assertGreaterEqual(len(expected), 5)
        sessions = [r[0] for r in w.query("SELECT id FROM sessions WHERE event_id = ? ORDER BY starts_ms", held)]
        for who in expected[:2]:  # present at every session: settled by the scans
            for session in sessions:
                add_scan(w, held, who, minutes_after_start=-5, session=session)
        mentor_event = w.query("SELECT id FROM events WHERE programme = 'mentor' ORDER BY id LIMIT 1")[0][0]
        mentor = w.query(
            "SELECT e.participant_id FROM enrolments e JOIN participants p ON p.id = e.participant_id "
            "WHERE e.event_id = ? AND p.role = 'mentor' AND e.participant_id NOT IN "
            "(SELECT participant_id FROM enrolments WHERE event_id = ?) ORDER BY 1 LIMIT 1", mentor_event, held)[0][0]
        add_scan(w, held, mentor, outcome="not_expected", minutes_after_start=-2)

        add_staff(w, *ADMIN)
        d = self.browser.driver
        staff_login(d, w.origin, ADMIN[1], ADMIN[3])
        page = ReconPage(self.browser, w.origin).open_event(held)
        self.assertEqual(d.find_element("id", "schools-link").get_attribute("href"),
                         f"{w.origin}/staff/school.html?event={held}")

        def select_all_ticked():
            return d.execute_script("return document.getElementById('select-all').checked;")

        def selected():
            return sorted(int(x) for x in d.execute_script(
                "return [...document.querySelectorAll('#rows tr.row input.select')].filter(b => b.checked)"
                ".map(b => b.closest('tr').dataset.participant);"))

        # The unsettled filter: every row shown ticked by the box, and only those.
        page.filter("unsettled")
        page.wait(lambda d: expected[0] not in page.shown_rows() and page.shown_rows(), 5, "the unsettled filter")
        unsettled = page.shown_rows()
        page.click("#select-all")
        page.wait(lambda d: page.text("bulk-count") == f"{len(unsettled)} selected", 5, "the selection's count")
        self.assertEqual(selected(), sorted(unsettled))
        # Everyone shown: the box is no longer ticked (the two present rows are not selected).
        page.filter("all")
        page.wait(lambda d: not select_all_ticked(), 5, "the box unticked once more rows are shown")
        # A search narrowing to one selected row: ticked again, and the selection is what is shown.
        name = page.row(unsettled[0])["name"]
        page.search(name)
        page.wait(lambda d: page.shown_rows() == [unsettled[0]], 5, "the search")
        page.wait(lambda d: select_all_ticked(), 5, "the box ticked: every row shown is selected")
        self.assertEqual(page.text("bulk-count"), "1 selected")
        # Unticking takes the rows shown out of the selection.
        page.click("#select-all")
        page.wait(lambda d: not d.find_element("id", "bulk").is_displayed(), 5, "an empty selection")
        page.search("")
        page.wait(lambda d: len(page.shown_rows()) == len(expected), 5, "everyone shown")
        self.assertEqual(selected(), [])

        # Every unsettled row settled as one selection, then the event signed off.
        page.filter("unsettled")
        page.wait(lambda d: page.shown_rows() == unsettled, 5, "the unsettled rows")
        page.click("#select-all")
        page.click("#bulk-settle")
        page.fill_dialog(kind="absent", reason="No show")
        page.save_dialog()
        self.assertEqual(page.data()["unsettled"], 0)
        page.filter("all")
        before = page.loads()
        page.click("#sign-off")
        page.wait_reload(before)
        self.assertEqual(w.query("SELECT count(*) FROM event_sign_offs WHERE event_id = ?", held)[0][0], 1)

        # Linking the unexpected mentor now amends this event: the reason is asked for at once.
        sel = f"#unexpected tr[data-participant='{mentor}']"
        d.execute_script("document.querySelector(arguments[0] + ' select.candidates').value = arguments[1];",
                         sel, str(mentor_event))
        page.click(sel + " button.link")
        page.wait(lambda d: page.dialog_open(), 5, "the dialog")
        self.assertTrue(d.find_element("id", "amendment-fields").is_displayed())
        self.assertIn("signed off", page.text("amendment-why"))
        page.fill_dialog(reason="Came on the other date")
        page.save_dialog(expect_close=False)  # refused in the page: nothing sent
        self.assertIn("amendment reason", page.dialog_problem().lower())
        self.assertEqual([c for c in w.corrections() if c["participant_id"] == mentor], [])
        page.fill_dialog(amendment="Register from the other date arrived late", reason=None, note=None)
        page.save_dialog()
        alt = [c for c in w.corrections() if c["participant_id"] == mentor]
        self.assertEqual(len(alt), 1, alt)
        self.assertEqual((alt[0]["event_id"], alt[0]["status"], alt[0]["linked_event_id"]), (mentor_event, "alternate", held))
        self.assertEqual(alt[0]["amendment_reason"], "Register from the other date arrived late")
        self.assertIn(f"event {mentor_event}",
                      d.execute_script("return document.querySelector(arguments[0] + ' .link-cell').textContent;", sel))
        flagged = [e for e in page.audit() if e["amendment"]]
        self.assertEqual(len(flagged), 1, page.audit())
        self.assertIn("Register from the other date arrived late", flagged[0]["cells"][5])


if __name__ == "__main__":
    unittest.main()
