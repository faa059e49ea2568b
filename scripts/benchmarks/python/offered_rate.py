"""Asks the gateway for ingestion runs at a fixed rate, for the latency part of `scripts/bench pipeline`.

    offered_rate.py GATEWAY_URL TOKEN RATE SOURCE...

Sends `POST /api/ingest/{source}/run` for each source in turn, one every 1/RATE seconds by the clock
(open loop: a slow answer delays no later request beyond its own turn), over one kept-alive
connection. Prints the achieved rate as JSON.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
import urllib.parse


def main() -> None:
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    url, token, rate, sources = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4:]
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Length": "0"}
    start = time.monotonic()
    for index, source in enumerate(sources):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        connection.request("POST", f"/api/ingest/{urllib.parse.quote(source, safe='')}/run", headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status >= 300:
            sys.exit(f"POST /api/ingest/{source}/run answered {response.status}")
    seconds = time.monotonic() - start
    print(json.dumps({"runs": len(sources), "seconds": round(seconds, 3), "per_second": round(len(sources) / max(seconds, 1e-9), 2)}))


if __name__ == "__main__":
    main()
