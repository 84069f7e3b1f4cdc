"""Pages of the catalogue: public finder and service pages, management, review."""
