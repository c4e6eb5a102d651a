"""The baseline's one table: ten columns, like a small action row (created by benchmarks/intake.py)."""

from django.db import models
from django.utils import timezone


class BareAction(models.Model):
    campaign = models.IntegerField()
    kind = models.CharField(max_length=20)
    email = models.CharField(max_length=254)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    represents = models.IntegerField(default=1)
    text = models.TextField()
    date = models.DateField(default=timezone.localdate)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "bare"
        db_table = "bench_bare_action"
        managed = False


CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS bench_bare_action (
    id bigserial PRIMARY KEY, campaign integer NOT NULL, kind varchar(20) NOT NULL, email varchar(254) NOT NULL,
    name varchar(200) NOT NULL, country varchar(2) NOT NULL, represents integer NOT NULL, text text NOT NULL,
    date date NOT NULL, created timestamptz NOT NULL
)
"""
