"""Account pages. Thin: parse, call a service or selector, render."""
