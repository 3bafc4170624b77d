"""One app server with the already built front end, as each server of a
cluster runs (cluster/servers.py, cluster/meso-journal@.service):

    python -m cluster.serve PORT

Build the front end once first, with the proxy's public address:
`REFLEX_API_URL=https://journal.example.org reflex export --frontend-only --no-zip --env prod`.
"""

from __future__ import annotations

import sys

from reflex.utils import exec
from reflex_base import constants
from reflex_base.environment import environment


def main(port: int) -> None:
    environment.REFLEX_ENV_MODE.set(constants.Env.PROD)
    # Built once for every server; compiling here would race the others.
    environment.REFLEX_SKIP_COMPILE.set(True)
    exec.run_backend_prod("127.0.0.1", port, mount_frontend_compiled_app=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
