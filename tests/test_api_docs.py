import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_openapi_schema_generates_without_warnings_and_validates(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))

    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/auth/register/", "/api/v1/auth/token/", "/api/v1/me/"):
        assert path in schema


def test_schema_documents_bearer_tokens_and_never_exposes_a_password(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert "password" not in me


def test_interactive_docs_load_every_asset_from_this_site(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r'(?:src|href)=["\'](https?:)?//', html)
    assert external == []
    assert "swagger-ui" in html


def test_schema_gives_every_error_response_a_body_and_documents_401_and_413(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    create_post = schema["paths"]["/api/v1/posts/"]["post"]["responses"]
    register = schema["paths"]["/api/v1/auth/register/"]["post"]["responses"]
    assert {"400", "401", "413"} <= set(create_post)
    assert "401" not in register  # open to anonymous visitors
    assert create_post["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
