"""Visitors: someone not expected at the event, scanned at the room's own kiosk, and someone
moved to another room's list after arriving, are listed under Visitors (with why), not Here.

Until CONTRACT rule 4 (a room with no device counts the entrance's scans) is merged, this uses
the demo's room device, room-1 for Room 1."""
import unittest

from harness import HERE_WITHIN_S, WorldCase


class Visitors(WorldCase):
    def test_an_unexpected_person_and_one_moved_to_another_room_are_visitors(self):
        rooms = self.world.rooms()
        room, page = self.open_room("Room 1")
        unexpected = self.world.not_enrolled()[0]
        moved = sorted(self.world.enrolled(room))[0]
        kiosk = self.world.kiosk("room-1")
        for who in (unexpected, moved):
            _, report = kiosk.scan(self.world.tokens(who)[0])
            self.assertEqual(report["participant_id"], who)
        page.wait_row("visitors", unexpected, HERE_WITHIN_S + 1)
        self.assertEqual(page.row_texts("visitors", unexpected)["tag"], "Not expected")
        # Hub staff move someone who is already in Room 1 to Room 2: still here, now a visitor
        # from Room 2's list. (A person from Room 2 scanned at Room 1's kiosk is told "Your room
        # is Room 2" and the scan is not counted, so that alone makes no visitor.)
        page.wait_row("here", moved, HERE_WITHIN_S + 1)
        self.world.admin("event", "enrol", "--event", "1", "--participant", str(moved), "--room", str(rooms["Room 2"]))
        page.wait_row("visitors", moved, HERE_WITHIN_S + 1)
        self.assertEqual(page.row_texts("visitors", moved)["tag"], "Room 2's list")
        for who in (unexpected, moved):
            self.assertIsNone(page.row("here", who))
            self.assertIsNone(page.row("missing", who))
        page.wait(lambda d: page.count("visitors") == 2, 5, "the Visitors count")
        self.assertEqual(page.count("in"), 0)


if __name__ == "__main__":
    unittest.main()
