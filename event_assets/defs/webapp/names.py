"""The names the `webapp` definitions share."""

DOMAIN = "webapp"
# source -> folder under landing/webapp/ (raw table raw_webapp_<source>)
SOURCES = {"events": "events", "playback": "playback"}
