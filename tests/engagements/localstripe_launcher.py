"""Run localstripe for the test suite: own data file, loopback only, refund webhooks.

localstripe always writes its store to ``/tmp/localstripe.pickle`` and listens
on every interface; the suite wants a private file and 127.0.0.1. It also sends
no ``charge.refunded`` event, which real Stripe does after a refund; this
launcher adds it so refund delivery is exercised end to end.

Usage: python localstripe_launcher.py PORT DATA_FILE
"""

from __future__ import annotations

import pickle
import socket
import sys


def main() -> None:
    port, data_file = int(sys.argv[1]), sys.argv[2]
    from aiohttp import web
    from localstripe import resources, server
    from localstripe.webhooks import schedule_webhook

    def dump_to_disk(self) -> None:  # type: ignore[no-untyped-def]
        with open(data_file, "wb") as f:
            pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)

    resources.Store.dump_to_disk = dump_to_disk
    resources.Store.try_load_from_disk = lambda self: None  # always --from-scratch

    original_refund_init = resources.Refund.__init__

    def refund_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_refund_init(self, *args, **kwargs)
        charge = resources.Charge._api_retrieve(self.charge)
        schedule_webhook(resources.Event("charge.refunded", charge))

    resources.Refund.__init__ = refund_init

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    web.run_app(server.app, sock=sock, print=None, access_log=None)


if __name__ == "__main__":
    main()
