"""Work put off until the answer has been sent (``operations.after_response``)."""

import logging

from django.core.signals import request_finished, request_started

from operations.after_response import after_response
from tests.conftest import old_connections_kept


class Notes(list):
    def note(self, *, what: str) -> None:
        self.append(what)


def test_outside_a_request_the_work_runs_right_away():
    done = Notes()

    after_response(done.note, what="now")

    assert done == ["now"]


def test_in_a_request_it_runs_when_the_answer_is_closed_and_one_failure_stops_no_other(caplog):
    done = Notes()

    def fail() -> None:
        raise RuntimeError("broken")

    with old_connections_kept():
        request_started.send(sender=None)
        after_response(fail)
        after_response(done.note, what="after")
        waiting = list(done)
        with caplog.at_level(logging.ERROR, logger="operations.after_response"):
            request_finished.send(sender=None)

    assert waiting == []
    assert done == ["after"]
    assert "Work after the answer failed: test_in_a_request" in caplog.text
