"""Date-times from clients (filters, cursors), in a form PostgreSQL always accepts.

Python accepts UTC offsets up to ±23:59 and any year from 1 to 9999; PostgreSQL refuses
offsets of 16 hours or more ("time zone displacement out of range"), and an offset can push
year 1 or 9999 out of range once converted to UTC. So a client's date-time is checked and
converted to UTC here, before any query sees it.
"""
from datetime import UTC, timedelta

# The widest displacement PostgreSQL takes; real zones range from -12:00 to +14:00.
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59, seconds=59)


def to_utc(value):
    """`value`, an aware datetime, in UTC. Raises ValueError with a message a client can
    act on when its offset or its date is out of range."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("The time zone offset must be between -15:59 and +15:59.")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("The date is out of range.") from None
