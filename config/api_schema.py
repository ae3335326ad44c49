"""The OpenAPI schema's answers beyond success: every operation documents the errors Lantern's
API gives, so that a client (and schemathesis, which checks every answer against the schema)
knows what a 400, 401, 403 or 404 looks like."""

ERROR = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "The fields that were refused, each with its messages (or `detail` for the whole request).",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}]},
}
RESPONSES = {
    "400": ("ValidationError", "The request's parameters or body are not valid."),
    "401": ("Error", "No valid token was given."),
    "403": ("Error", "The token's person may not do this in this organisation."),
    "404": ("Error", "There is no such object in this organisation, or it is not this person's to see."),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: adds the error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, (schema, description) in RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    },
                )
    return result
