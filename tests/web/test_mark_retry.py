"""A mark POSTed twice with one body (a tablet that got no answer and sends it again) is one
record: 201, then 200 with the same uuid; the same uuid with other content is refused (409)."""
import json
import unittest

from harness import HERE_WITHIN_S, WorldCase


class MarkRetry(WorldCase):
    def test_the_same_mark_twice_is_one_record_and_other_content_is_a_conflict(self):
        room, page = self.open_room("Room 1")
        who = sorted(self.world.enrolled(room))[1]
        page.wait_row("missing", who, 5)
        state = json.loads(page.fetch("/register/api/state")["body"])
        body = {"uuid": page.new_uuid(), "participant_id": who, "kind": "present", "reason": "badge_failed",
                "note": "", "author": "Sam Facilitator", "session_id": state["session"]["id"], "room_id": room}
        token = page.csrf_token()

        first = page.post_mark(body, token)
        self.assertEqual(first["status"], 201, first)
        self.assertEqual(json.loads(first["body"])["uuid"], body["uuid"])
        again = page.post_mark(body, token)
        self.assertEqual(again["status"], 200, again)
        self.assertEqual(json.loads(again["body"])["uuid"], body["uuid"])
        self.assertEqual(len(self.world.corrections(body["uuid"])), 1)
        self.assertEqual(len(self.world.corrections()), 1)

        other = dict(body, note="another note")
        conflict = page.post_mark(other, token)
        self.assertEqual(conflict["status"], 409, conflict)
        self.assertEqual(len(self.world.corrections()), 1)
        self.assertEqual(self.world.corrections(body["uuid"])[0]["note"], "")
        # The one record shows on the page.
        page.wait_row("here", who, HERE_WITHIN_S + 1)


if __name__ == "__main__":
    unittest.main()
