"""Where test subprocesses run: outside the source tree.

Started from the repository root, `python -c`/`python -m` would put the
source folder `pyruntime/` (which has no compiled extension) ahead of the
installed package. Running in a temporary directory avoids that; relative
PYTHONPATH entries (as in `PYTHONPATH=. pytest` during development) are made
absolute so they still point where they did.
"""

from __future__ import annotations

import os
import tempfile
from typing import Dict


def subprocess_kwargs() -> Dict[str, object]:
    env = dict(os.environ)
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in env["PYTHONPATH"].split(os.pathsep) if p)
    return {"cwd": tempfile.gettempdir(), "env": env}
