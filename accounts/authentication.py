from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import AccessToken


class BearerTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Bearer <token>`, checked against the stored digests."""

    keyword = "Bearer"

    def authenticate_credentials(self, key):
        try:
            token = AccessToken.objects.select_related("user").get(digest=AccessToken.digest_of(key))
        except AccessToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return token.user, token
