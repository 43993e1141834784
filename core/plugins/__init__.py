"""The plugin system: hook contract, public types, loading and safe calls."""
