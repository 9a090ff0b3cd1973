"""A room link shows the room's enrolments as expected, and a scan at the room's kiosk moves
that person to Here, with the time, within HERE_WITHIN_S of the scan."""
import re
import sys
import time
import unittest

from harness import HERE_WITHIN_S, WorldCase


class RoomList(WorldCase):
    def test_expected_list_is_the_rooms_enrolments(self):
        room, page = self.open_room("Room 1")
        enrolled = self.world.enrolled(room)
        self.assertGreater(len(enrolled), 0)
        page.wait(lambda d: page.ids("missing"), 5, "the expected list")
        missing, here = set(page.ids("missing")), set(page.ids("here"))
        self.assertEqual(missing | here, enrolled)
        self.assertFalse(missing & here)
        self.assertEqual(page.count("expected"), len(enrolled))
        self.assertEqual(page.count("missing"), len(missing))
        # Another room's people are not on this list.
        other = self.world.enrolled(self.world.rooms()["Room 2"])
        self.assertFalse(other & (missing | here))

    def test_a_scan_at_the_room_kiosk_moves_the_person_to_here_with_the_time(self):
        room, page = self.open_room("Room 1")
        page.watch_arrivals()
        who = sorted(self.world.enrolled(room))[0]
        page.wait_row("missing", who, 5)
        kiosk = self.world.kiosk("room-1")
        scanned_at, report = kiosk.scan(self.world.tokens(who)[0])
        self.assertEqual(report["outcome"], "checked_in")
        # The issue asks 1 s from the badge line to the row (HERE_WITHIN_S), by the event stream.
        shown_at = page.arrived_at(who, HERE_WITHIN_S + 1)
        sys.stderr.write(f"(scan -> row in #here: {shown_at - scanned_at:.3f} s)\n")
        self.assertLess(shown_at - scanned_at, HERE_WITHIN_S)
        row = page.row_texts("here", who)
        self.assertTrue(re.match(r"^\d\d:\d\d", row["time"]), row)
        self.assertEqual(row["time"][:5], report["local_time"])
        self.assertIsNone(page.row("missing", who))
        page.wait(lambda d: page.count("in") == 1, 5, "the In count")


if __name__ == "__main__":
    unittest.main()
