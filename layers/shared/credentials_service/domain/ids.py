"""Account and credential ids: positive 64-bit integers, as Scheduler0 stores them (int64)."""

MAX_ID = 2**63 - 1


def parse_id(text: str) -> int | None:
    """The id written in `text` (ASCII digits only: no sign, spaces or other numerals), or None."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
