"""The hub's server stops while a room's register is open and live and a kiosk scans: the page
says it is not live (#live data-state="down", the banner with the last update's time) and keeps
trying; when the server is back on the same port it is live again and the kiosk's queued scan
shows under Here, the banner gone, all without a reload of the page."""
import re
import sys
import time
import unittest

from harness import HERE_WITHIN_S, WorldCase

# The kiosk retries its upload with a back-off after the server went away, and the page
# re-opens its stream with one (at most 10 s between tries): allow for both.
RECOVERY_S = 30


class ServerRestart(WorldCase):
    def test_a_scan_while_the_server_is_down_reaches_the_page_after_a_restart(self):
        room, page = self.open_room("Room 1")
        who = sorted(self.world.enrolled(room))[0]
        kiosk = self.world.kiosk("room-1")
        page.wait_live("live", HERE_WITHIN_S + 1)
        # A mark on this document: a reload would lose it.
        page.d.execute_script("window.__marker = 'not reloaded';")

        self.world.stop_server()
        page.wait_live("down", HERE_WITHIN_S + 1)
        banner = page.wait(lambda d: d.find_element("id", "banner").is_displayed()
                           and d.find_element("id", "banner").text, HERE_WITHIN_S + 1, "the not-live banner")
        self.assertTrue(re.match(r"^Not live — last update \d\d:\d\d", banner), banner)
        _, report = kiosk.scan(self.world.tokens(who)[0])
        self.assertEqual(report["outcome"], "checked_in")  # the kiosk works on without the hub
        self.assertIsNone(page.row("here", who))

        self.world.restart_server()
        restarted = time.monotonic()
        page.wait_live("live", RECOVERY_S)
        live_after = time.monotonic() - restarted
        page.wait_row("here", who, RECOVERY_S)
        row_after = time.monotonic() - restarted
        sys.stderr.write(f"(after the restart: live again in {live_after:.2f} s, the scan shown in {row_after:.2f} s)\n")
        page.wait(lambda d: not d.find_element("id", "banner").is_displayed(), HERE_WITHIN_S + 1, "the banner to go")
        self.assertIsNone(page.row("missing", who))
        self.assertEqual(page.d.execute_script("return window.__marker;"), "not reloaded")


if __name__ == "__main__":
    unittest.main()
