import factory

from accounts.models import AccessToken, User
from timeline.models import Circle, Invitation, Membership

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


class AccessTokenFactory(factory.django.DjangoModelFactory):
    """A token; its key (to send) is on `.key`, since only the digest is stored."""

    class Meta:
        model = AccessToken

    user = factory.SubFactory(UserFactory)
    key = factory.LazyFunction(AccessToken.new_key)
    digest = factory.LazyAttribute(lambda token: AccessToken.digest_of(token.key))

    @classmethod
    def _create(cls, model_class, *args, key, **kwargs):
        token = super()._create(model_class, *args, **kwargs)
        token.key = key
        return token


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Circle {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    circle = factory.SubFactory(CircleFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    circle = factory.SubFactory(CircleFactory)
    created_by = factory.SubFactory(UserFactory)
