"""A correction made on the staff pages reaches a kiosk (docs/reconciliation.md, "The rules of
settling"): staff mark someone present (forgot badge) on today's event; the room kiosk's
sync brings the correction down (the server tells its change feed, the long poll returns);
the kiosk then answers that person's badge "already checked in"."""
import sys
import time
import unittest

from harness import WorldCase, wait_for
from recon_page import ReconPage
from staff_harness import add_staff, staff_login

ADMIN = ("Cy Admin", "cy.admin@hub.example.org", "admin", "a long admin password 2")
KIOSK_HEARS_S = 10


class ReconcileReachesKiosk(WorldCase):
    def test_a_hub_mark_present_makes_the_kiosk_say_already_checked_in(self):
        w = self.world
        room = w.rooms()["Room 1"]
        kiosk = w.kiosk("room-1")  # started first: listening when the correction is made
        who = sorted(w.enrolled(room))[0]

        add_staff(w, *ADMIN)
        staff_login(self.browser.driver, w.origin, ADMIN[1], ADMIN[3])
        page = ReconPage(self.browser, w.origin).open_event(1)
        page.settle(who, "present", "Forgot badge")
        marked_at = time.monotonic()
        self.assertEqual(page.row(who)["status"], "Present")

        mark = [c for c in w.corrections() if c["participant_id"] == who][0]
        self.assertEqual((mark["kind"], mark["status"]), ("mark", "present"))
        self.assertIsNone(mark["device_id"])
        wait_for(lambda: w.device_query("room-1", "SELECT 1 FROM corrections WHERE uuid = ?", mark["uuid"]),
                 KIOSK_HEARS_S, "the hub's correction in the kiosk's database")
        sys.stderr.write(f"(staff page -> kiosk database: {time.monotonic() - marked_at:.2f} s)\n")
        _, report = kiosk.scan(w.tokens(who)[0])
        self.assertEqual(report["outcome"], "already_checked_in", report)
        self.assertEqual(report["participant_id"], who)


if __name__ == "__main__":
    unittest.main()
