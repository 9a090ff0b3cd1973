"""A room link reads its own room only: the page's own fetch of another room's state, or of its
event stream, is refused (403 forbidden), with the session's cookie and from the page's origin."""
import json
import unittest

from harness import WorldCase


class RoomAccess(WorldCase):
    def test_a_room_1_link_cannot_read_room_2(self):
        rooms = self.world.rooms()
        room, page = self.open_room("Room 1")
        own = page.fetch(f"/register/api/state?room={room}")
        self.assertEqual(own["status"], 200)
        self.assertEqual(json.loads(own["body"])["room"]["id"], room)
        other = page.fetch(f"/register/api/state?room={rooms['Room 2']}")
        self.assertEqual(other["status"], 403)
        self.assertEqual(json.loads(other["body"])["code"], "forbidden")
        # Nor another event's room.
        elsewhere = self.world.query("SELECT id FROM rooms WHERE event_id = 2 LIMIT 1")[0][0]
        self.assertEqual(page.fetch(f"/register/api/state?room={elsewhere}")["status"], 403)
        # Nor the event stream of room 2 (refused before any stream starts).
        stream = page.fetch(f"/register/api/stream?room={rooms['Room 2']}")
        self.assertEqual(stream["status"], 403)
        self.assertEqual(json.loads(stream["body"])["code"], "forbidden")
        self.assertEqual(page.fetch(f"/register/api/stream?room={elsewhere}")["status"], 403)
        # The page itself stays on its room.
        self.assertTrue(page.shows_register())
        self.assertIsNone(page.problem())


if __name__ == "__main__":
    unittest.main()
