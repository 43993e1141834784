"""Workshop briefs: an agenda drafted by the worker from the cluster's measured divergences."""
