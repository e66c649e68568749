from kit.problems import Conflict, NotFound, Unprocessable


class GrantNotFound(NotFound):
    type, title = "grant-not-found", "Grant not found"


class CallNotUsable(Unprocessable):
    """The call named does not exist, is another agency's, or is not closed or decided."""

    type, title = "call-not-usable", "The grant cannot be recorded under this call"


class UnknownCluster(Unprocessable):
    type, title = "cluster-unknown", "The cluster named does not exist"


class RegistrationNumberTaken(Conflict):
    type, title = "registration-number-taken", "The registration number is already used"
