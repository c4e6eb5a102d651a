"""The baseline the intake benchmark compares against: a bare Django view inserting one 10-column row."""
