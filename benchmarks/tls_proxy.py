"""A TLS front for the Lighthouse benchmark, as a real deployment has one.

Browsers accept brotli only over HTTPS, so over plain http://localhost the
app's pre-compressed .br files are never used and Lighthouse weighs gzip.
This relays bytes unchanged between HTTPS clients and the app's plain port
(websockets included), so the HTTPS figures show what a patient's phone
downloads from a deployment behind TLS.

Usage: python benchmarks/tls_proxy.py LISTEN_PORT APP_PORT CERT KEY
"""

from __future__ import annotations

import asyncio
import ssl
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def _relay(app_port: int, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
    try:
        app_r, app_w = await asyncio.open_connection("127.0.0.1", app_port)
    except OSError:
        client_w.close()
        return
    await asyncio.gather(_pipe(client_r, app_w), _pipe(app_r, client_w))


async def main(listen_port: int, app_port: int, cert: str, key: str) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = await asyncio.start_server(lambda r, w: _relay(app_port, r, w), "127.0.0.1", listen_port, ssl=context)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    listen, app, cert_file, key_file = sys.argv[1:5]
    asyncio.run(main(int(listen), int(app), cert_file, key_file))
