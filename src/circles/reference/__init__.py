"""The developer docs the service serves: the REST reference (Swagger UI, its assets served from here, no
CDN) and the live protocol's page (rendered on the server from the AsyncAPI document)."""
