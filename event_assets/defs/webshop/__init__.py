"""The `webshop` domain: a Kimball star schema built from daily-appended operational rows."""
