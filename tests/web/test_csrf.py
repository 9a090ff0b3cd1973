"""A POST from the page's own origin, with its session cookie but without the session's CSRF
token (or with a wrong one), is refused: 403 csrf."""
import json
import unittest

from harness import WorldCase


class Csrf(WorldCase):
    def test_a_post_without_the_csrf_token_is_refused(self):
        _, page = self.open_room("Room 1")
        body = json.dumps({"uuid": page.new_uuid(), "participant_id": 1, "kind": "present"})
        for headers in ({"Content-Type": "application/json"},
                        {"Content-Type": "application/json", "X-CSRF-Token": "A" * 43}):
            r = page.fetch("/register/api/marks", "POST", body, headers)
            self.assertEqual(r["status"], 403, headers)
            self.assertEqual(json.loads(r["body"])["code"], "csrf")
        # The session itself still works: the refusal spent nothing.
        self.assertEqual(page.fetch("/register/api/state")["status"], 200)


if __name__ == "__main__":
    unittest.main()
