"""The hub's server stops while a room's register is open and a kiosk scans: the page says it
is not live (with the last update's time) and keeps trying; when the server is back on the
same port the kiosk's queued scan arrives and the person shows under Here, the banner gone."""
import re
import unittest

from harness import HERE_WITHIN_S, WorldCase

# The kiosk retries its upload with a back-off after the server went away: allow for it.
RECOVERY_S = 30


class ServerRestart(WorldCase):
    def test_a_scan_while_the_server_is_down_reaches_the_page_after_a_restart(self):
        room, page = self.open_room("Room 1")
        who = sorted(self.world.enrolled(room))[0]
        kiosk = self.world.kiosk("room-1")
        self.world.stop_server()
        banner = page.wait(lambda d: d.find_element("id", "banner").is_displayed()
                           and d.find_element("id", "banner").text, HERE_WITHIN_S + 1, "the not-live banner")
        self.assertTrue(re.match(r"^Not live — last update \d\d:\d\d", banner), banner)
        _, report = kiosk.scan(self.world.tokens(who)[0])
        self.assertEqual(report["outcome"], "checked_in")  # the kiosk works on without the hub
        self.assertIsNone(page.row("here", who))
        self.world.restart_server()
        page.wait_row("here", who, RECOVERY_S)
        page.wait(lambda d: not d.find_element("id", "banner").is_displayed(), HERE_WITHIN_S + 1, "the banner to go")
        self.assertIsNone(page.row("missing", who))


if __name__ == "__main__":
    unittest.main()
