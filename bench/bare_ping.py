"""A bare Flask app with only ``/ping``: the ceiling the app's own ``/ping`` is compared with."""

from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping():  # type: ignore[no-untyped-def]
    return "pong", 200, {"Content-Type": "text/plain"}
