"""The campaign document: one JSON shape for seeds, export, the API and appeal import."""
