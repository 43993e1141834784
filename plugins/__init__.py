"""First-party tool plugins; each loads through the plugin entry-point group."""
