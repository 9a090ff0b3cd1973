"""A correction made on the staff pages reaches a kiosk (docs/reconciliation.md,
"Corrections"): a room kiosk checks someone in (a second scan is "already checked in"); staff void
that scan from the person's history on today's event; the kiosk's sync brings the void down
(the server tells its change feed, the long poll returns) and the kiosk then answers the same
badge "checked in" again, since the voided scan no longer counts.

(A hub-made mark present does not change a kiosk's answer: hub staff's marks name no session,
and a kiosk counts only marks of its session; see store::prior_scans.)"""
import sys
import time
import unittest

from harness import WorldCase, wait_for
from recon_page import ReconPage
from staff_harness import add_staff, staff_login

ADMIN = ("Cy Admin", "cy.admin@hub.example.org", "admin", "a long admin password 2")
KIOSK_HEARS_S = 10


class ReconcileReachesKiosk(WorldCase):
    def test_a_scan_voided_at_the_hub_no_longer_counts_at_the_kiosk(self):
        w = self.world
        room = w.rooms()["Room 1"]
        kiosk = w.kiosk("room-1")
        who = sorted(w.enrolled(room))[0]
        token = w.tokens(who)[0]

        _, first = kiosk.scan(token)
        self.assertEqual(first["outcome"], "checked_in", first)
        _, second = kiosk.scan(token)
        self.assertEqual(second["outcome"], "already_checked_in", second)
        scan_uuid = first["check_in"]
        wait_for(lambda: w.query("SELECT 1 FROM check_ins WHERE uuid = ?", scan_uuid), 10, "the scan at the hub")

        add_staff(w, *ADMIN)
        d = self.browser.driver
        staff_login(d, w.origin, ADMIN[1], ADMIN[3])
        page = ReconPage(self.browser, w.origin).open_event(1)
        # The part the scan fell in depends on the time of day the test runs (the kiosk takes
        # the session open now): the scan shows in exactly one part, and none after the void.
        self.assertEqual(sum(p != "—" for p in page.row(who)["parts"]), 1, page.row(who))
        page.open_history(who)
        page.click(f"#rows tr.history[data-history-for='{who}'] li.scan[data-uuid='{scan_uuid}'] button.void")
        page.fill_dialog(reason="Badge scanned by someone else")
        page.save_dialog()
        voided_at = time.monotonic()
        self.assertEqual(set(page.row(who)["parts"]), {"—"})

        void = [c for c in w.corrections() if c["kind"] == "void" and c["target_uuid"] == scan_uuid]
        self.assertEqual(len(void), 1, void)
        self.assertIsNone(void[0]["device_id"])
        wait_for(lambda: w.device_query("room-1", "SELECT 1 FROM corrections WHERE uuid = ?", void[0]["uuid"]),
                 KIOSK_HEARS_S, "the hub's void in the kiosk's database")
        sys.stderr.write(f"(staff page -> kiosk database: {time.monotonic() - voided_at:.2f} s)\n")
        _, third = kiosk.scan(token)
        self.assertEqual(third["outcome"], "checked_in", third)
        self.assertEqual(third["participant_id"], who)


if __name__ == "__main__":
    unittest.main()
