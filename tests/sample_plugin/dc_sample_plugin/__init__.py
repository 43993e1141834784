"""An outside plugin, packaged on its own, used by the platform's tests."""
