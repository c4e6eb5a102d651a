"""Date and number formats per language, where ours differ from Django's (FORMAT_MODULE_PATH)."""
