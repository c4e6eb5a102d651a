"""The site's pages: thin views that read through selectors, write through services and render templates."""
