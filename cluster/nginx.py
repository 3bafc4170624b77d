"""The proxy in front of the app servers: Debian's nginx, round-robin, no
sticky sessions. `config()` is also the starting point for a deployment's
own nginx site (README, "Running on more than one machine")."""

from __future__ import annotations

from pathlib import Path

# Fields of each access-log line: the tests read which server answered what.
# The path only, and a share link's token masked: query strings carry tab
# tokens and signed photo addresses, and /s/<token> opens a whole journal.
# Fields apart by "|": the upstream field lists every server tried, with ", ".
LOG_FORMAT = "$msec|$status|$upstream_addr|$request_method $logged_path"


def config(*, listen: int, servers: list[int], run_dir: Path, max_upload_mb: int, max_import_mb: int) -> str:
    upstreams = "\n".join(
        # One failure takes a server out for 3 s: a killed server costs one
        # refused connection, not one per request.
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;"
        for port in servers
    )
    return f"""\
# Written by `python -m cluster`; edits are overwritten at the next start.
worker_processes 1;
pid "{run_dir}/nginx.pid";
error_log "{run_dir}/nginx-error.log" warn;

events {{
    worker_connections 4096;
}}

http {{
    log_format upstreams '{LOG_FORMAT}';
    access_log "{run_dir}/nginx-access.log" upstreams;
    client_body_temp_path "{run_dir}/tmp/body";
    proxy_temp_path "{run_dir}/tmp/proxy";
    fastcgi_temp_path "{run_dir}/tmp/fastcgi";
    uwsgi_temp_path "{run_dir}/tmp/uwsgi";
    scgi_temp_path "{run_dir}/tmp/scgi";

    # The app's own limits (MESO_MAX_UPLOAD_MB, and MESO_MAX_IMPORT_MB for a
    # whole journal's archive), said here too: a body declared too large is
    # refused before it is sent on. (The app answering 413 before reading a
    # body makes nginx report a 502.)
    client_max_body_size {max_upload_mb}m;

    map $uri $logged_path {{
        ~^/s/ /s/(token);
        default $uri;
    }}

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' close;
    }}

    # Round-robin: each page load, each upload and each websocket (re)connect
    # may land on any server. Nothing is sticky; Redis and the database are shared.
    upstream meso_journal {{
{upstreams}
    }}

    server {{
        # "localhost" is both; a browser may try either first.
        listen 127.0.0.1:{listen};
        listen [::1]:{listen};

        error_page 413 @too_large;
        location @too_large {{
            default_type text/plain;
            return 413 "Too large: the limit is {max_upload_mb} MB.";
        }}

        location = /api/import {{
            client_max_body_size {max_import_mb}m;
            proxy_pass http://meso_journal;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;
            proxy_buffering off;
        }}

        location / {{
            proxy_pass http://meso_journal;
            proxy_http_version 1.1;
            # Reflex's events travel over a websocket at /_event.
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            # The port too: redirects the app makes name the address the browser used.
            proxy_set_header Host $http_host;
            # Believed by the app only from MESO_TRUSTED_PROXIES.
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # An open tab's websocket stays open for hours.
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            # Photos and downloads stream out, never into temporary files.
            # Uploads are taken in whole first (the default): when the app
            # refuses a body as too large before reading it all, the patient
            # gets its 413, not a 502 from a connection cut mid-send.
            proxy_buffering off;
            # A server that refuses the connection or is gone: try the next.
            # nginx never retries a POST (non_idempotent is not given), so a
            # save is never sent twice.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""
