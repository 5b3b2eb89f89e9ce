"""JSON:API plumbing shared by every app: errors, parser, renderer, pagination, base serializer."""
