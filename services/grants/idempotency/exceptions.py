from kit.problems import Conflict, PreconditionRequired, Unprocessable


class IdempotencyKeyRequired(PreconditionRequired):
    type, title = "idempotency-key-required", "Idempotency-Key is required"


class IdempotencyKeyReused(Unprocessable):
    type, title = "idempotency-key-reused", "Idempotency-Key was used for another request"


class IdempotencyKeyInFlight(Conflict):
    type, title = "idempotency-key-in-flight", "A request with this Idempotency-Key is running"
