"""Shared, domain-free building blocks for the gateway and the services."""
