from kit.problems import NotFound, RuleViolation, Unprocessable


class EntryNotFound(NotFound):
    type, title = "ledger-entry-not-found", "Ledger entry not found"


class BalanceRuleBroken(RuleViolation):
    """The entry would break one of the ledger's invariants; nothing was written."""

    status, type, title = 409, "ledger-invariant", "The ledger refuses this entry"


class AppropriationExceeded(RuleViolation):
    status, type, title = 409, "appropriation-exceeded", "The appropriation does not cover this"


class InvalidEntry(Unprocessable):
    type, title = "ledger-entry-invalid", "The ledger entry is not valid"
