"""Pages of the registry: public search and organisation pages, and the staff registry."""
