"""Partner organisations' webhook endpoints."""
