"""OpenAPI schema hooks (drf-spectacular)."""


def only_public_api(endpoints, **kwargs):
    """Describe /api/v1/ only; Wagtail's internal admin API is not ours to publish."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
