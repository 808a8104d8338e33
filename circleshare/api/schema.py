"""What every operation of the API may answer, added to the OpenAPI schema once."""

ERROR = {
    "type": "object",
    "description": 'An error: `{"detail": "…"}`, or the messages of each invalid field: `{"field": ["…"]}`.',
    "additionalProperties": True,
    "properties": {"detail": {"type": "string"}},
}
DESCRIPTIONS = {
    "400": "Invalid input; the body says what, field by field.",
    "401": "Not authenticated: send `Authorization: Bearer <token>` or a session cookie.",
    "403": "Not allowed: you see the object but may not change it.",
    "404": "Not found, or not shared with you (the two look alike).",
    "413": "The request body is too large.",
    "415": "Unsupported media type: send JSON, or multipart where files are sent.",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}


def add_error_responses(result, generator, request, public):
    """Give every error response a body schema, and add the ones any operation may answer.

    401 to every authenticated operation, 413 to every operation with a body.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    error_content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            if {} not in operation.get("security", [{}]):
                responses.setdefault("401", {})
            if "requestBody" in operation:
                responses.setdefault("413", {})
            for code, response in responses.items():
                if code in DESCRIPTIONS and not response.get("content"):
                    response["description"] = DESCRIPTIONS[code]
                    response["content"] = error_content
    return result
