"""Public open-call data for portals: anonymous, published calls only, cacheable."""
