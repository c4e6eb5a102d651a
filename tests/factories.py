"""factory_boy factories for the campaigns domain."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from campaigns import models as m


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Union {n}")
    kind = m.Organisation.Kind.UNION


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Campaign

    slug = factory.Sequence(lambda n: f"campaign-{n}")
    title = factory.Sequence(lambda n: f"Free the workers {n}")
    summary = "Workers need our support."
    status = m.Campaign.Status.ACTIVE
    country = "KZ"
    owner = factory.SubFactory(OrganisationFactory)
    message_subject = "Stop the repression"
    message_body = "I protest against the repression of workers."


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Target

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Company {n}")
    kind = m.Target.Kind.COMPANY
    salutation = "Dear Sirs"


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Channel

    target = factory.SubFactory(TargetFactory)
    kind = m.Channel.Kind.EMAIL
    value = factory.Sequence(lambda n: f"ceo{n}@company.example")


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Supporter

    name = factory.Sequence(lambda n: f"Supporter {n}")
    email = factory.Sequence(lambda n: f"supporter{n}@example.net")
    country = "GB"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Action

    campaign = factory.SubFactory(CampaignFactory)
    kind = m.Action.Kind.EMAIL
    supporter = factory.SubFactory(SupporterFactory)
    date = factory.LazyFunction(dt.date.today)
    text = "Stop it."
