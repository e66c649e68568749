from kit.problems import Forbidden, NotFound


class AppropriationNotFound(NotFound):
    type, title = "appropriation-not-found", "Appropriation not found"


class AppropriationNotYours(Forbidden):
    type, title = "appropriation-not-yours", "Only the owning agency writes its appropriations"
