from kit.problems import Forbidden, NotFound, PreconditionFailed, PreconditionRequired


class ClusterNotFound(NotFound):
    type, title = "cluster-not-found", "Cluster not found"


class ClusterNotYours(Forbidden):
    type, title = "cluster-not-yours", "Only the agency that created the cluster may change it"


class IfMatchRequired(PreconditionRequired):
    type, title = "if-match-required", "If-Match is required"


class ClusterChanged(PreconditionFailed):
    type, title = "cluster-changed", "The cluster changed since it was read"
