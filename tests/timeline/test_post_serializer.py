"""The post JSON is built by hand for speed; DRF's field-by-field output is the reference."""

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from tests.factories import (
    CircleFactory,
    CommentFactory,
    MembershipFactory,
    PostFactory,
    PostImageFactory,
    ReactionFactory,
)
from timeline.api.serializers import PostSerializer
from timeline.models import Emoji, Post, unpack_cards

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hidden", [False, True])
def test_hand_built_post_json_equals_drf_field_by_field(world, hidden):
    other = CircleFactory(name="Cousins")
    MembershipFactory(circle=other, user=world.member)
    post = PostFactory(author=world.member, circles=[world.circle, other], edited_at=timezone.now())
    PostImageFactory(post=post, alt="A picnic")
    CommentFactory(post=post, author=world.owner)
    ReactionFactory(post=post, user=world.owner, emoji=Emoji.PARTY)
    ReactionFactory(post=post, user=world.member, emoji=Emoji.HEART)
    if hidden:
        post.set_moderation_state(Post.Moderation.HIDDEN, "Spam")
    post = unpack_cards(list(Post.objects.visible_to(world.member).for_display(world.member)))[0]
    serializer = PostSerializer(post, context={"request": APIRequestFactory().get("/")})

    by_hand = serializer.data
    by_fields = serializers.ModelSerializer.to_representation(serializer, post)

    assert dict(by_hand) == dict(by_fields)
    assert set(by_hand) == set(PostSerializer.Meta.fields)
