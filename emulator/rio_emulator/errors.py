"""API errors in the platform's two body shapes (docs/reference/v1-api.md#envelopes-and-error-bodies)."""


class ApiError(Exception):
    """Raised by handlers; `wrapped` selects the device-manager envelope."""

    def __init__(self, status, message, wrapped=False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.wrapped = wrapped

    def body(self):
        if self.wrapped:
            return {"status": "error", "response": {"data": {}, "error": self.message}}
        return {"error": self.message}


def not_found(what, id_, wrapped=False):
    return ApiError(404, "%s not found: %s" % (what, id_), wrapped)


def bad_request(message, wrapped=False):
    return ApiError(400, message, wrapped)


def wrap(data):
    """Device-manager success envelope."""
    return {"status": "success", "response": {"data": data}}
