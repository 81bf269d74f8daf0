"""Build the tests' shared demo workspace: `python tests/build_demo.py FOLDER SCALE TIMEOUT`.

Started in the background by tests/conftest.py. Runs `styrhjul demo` into FOLDER/ws and writes
FOLDER/klar.json ({"home", "stdout"}) when it succeeds, or FOLDER/fel.txt with its output when
it fails, each by rename so that a waiting test never reads half a file.
"""

import json
import os
import subprocess
import sys
from pathlib import Path


def main(folder: Path, scale: str, timeout: int) -> None:
    home = folder / "ws"
    command = [sys.executable, "-m", "pipelines.cli", "demo", "--scale", scale]
    try:
        result = subprocess.run(
            [*command, "--home", str(home)], capture_output=True, text=True, timeout=timeout
        )
        ok, output = result.returncode == 0, result.stdout + result.stderr
    except subprocess.TimeoutExpired as exc:
        ok, output = False, f"styrhjul demo did not finish within {timeout} s: {exc}"
    name, text = (
        ("klar.json", json.dumps({"home": str(home), "stdout": result.stdout}))
        if ok
        else ("fel.txt", output)
    )
    tmp = folder / f".{name}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, folder / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
