"""Service-to-service routes (docs/internal-api.md), for principals of role service only."""
