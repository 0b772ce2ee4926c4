"""Zoom Apps: an app stores its Zoom client secret; a Zoom user's app context becomes a seat in the circle
bound to their meeting. Tables and queries are in `circles.records.zoom`."""
