"""Identifier and timestamp helpers (the platform's id formats: prefix + 24 lower-case letters)."""
import datetime
import random
import string
import uuid

_rng = random.SystemRandom()


def letters(n=24):
    return "".join(_rng.choice(string.ascii_lowercase) for _ in range(n))


def new_id(prefix=""):
    """`pkg-`/`dep-`/`plan-`/`net-`/`disk-`/`staticroute-`/`inst-`... + 24 letters; no prefix for component ids."""
    return prefix + letters()


def new_uuid():
    return str(uuid.uuid4())


def rfc3339(ts):
    """Epoch seconds -> RFC3339 UTC string like the platform's CreatedAt/UpdatedAt."""
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
