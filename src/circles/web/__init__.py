"""The reference circle page: plain HTML, CSS and JavaScript shipped in the package (no build, no CDN)."""
