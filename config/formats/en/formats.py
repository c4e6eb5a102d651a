"""English as the site writes it (British order: 8 August 2011), not Django's American default; the other
languages use Django's own formats (es "8 de agosto de 2011", de "8. August 2011", ru "8 augusta 2011 g.")."""

from django.conf.locale.en_GB.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
