"""Views: thin functions that read through selectors, write through services and render templates."""
