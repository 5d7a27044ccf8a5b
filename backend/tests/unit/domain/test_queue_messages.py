import uuid

import pytest
from pydantic import ValidationError

from jobpipe.domain.queue_messages import MAX_PRIORITY, QueuedJob

pytestmark = pytest.mark.unit


def test_round_trips_through_the_wire_format() -> None:
    message = QueuedJob(job_id=uuid.uuid4(), priority=3)
    assert QueuedJob.from_wire(message.to_wire()) == message


def test_rejects_priority_out_of_range() -> None:
    with pytest.raises(ValidationError, match="priority"):
        QueuedJob(job_id=uuid.uuid4(), priority=MAX_PRIORITY + 1)


def test_rejects_unknown_fields_on_the_wire() -> None:
    raw = f'{{"job_id": "{uuid.uuid4()}", "priority": 1, "sneaky": true}}'
    with pytest.raises(ValidationError, match="sneaky"):
        QueuedJob.from_wire(raw)
