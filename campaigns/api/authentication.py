"""API tokens, as our clients send them (`Authorization: Token <key>`) and as OSDI clients do (`OSDI-API-Token`)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication


class OSDITokenAuthentication(TokenAuthentication):
    """The same tokens as TokenAuthentication, read from the header the OSDI specification names."""

    def authenticate(self, request):
        key = request.META.get("HTTP_OSDI_API_TOKEN", "").strip()
        if not key:
            return None
        return self.authenticate_credentials(key)


class OSDITokenScheme(OpenApiAuthenticationExtension):
    target_class = "campaigns.api.authentication.OSDITokenAuthentication"
    name = "osdiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "OSDI-API-Token", "description": "The same key as `Token`."}
