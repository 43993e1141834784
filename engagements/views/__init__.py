"""HTTP views of the engagements service, one module per audience."""
