"""Circles, posts, comments and reactions: the timeline's domain (to come)."""
