"""Ships the release `egan` binary inside the package, so `import effectivegan` works from any folder.

The binary is, in order of preference: `$EGAN_BINARY`; the checkout's `.build/release/egan` when it is newer than
every Swift source; otherwise a fresh `swift build -c release --product egan` in the checkout. The binary keeps
its link to the Swift runtime it was built with (`/opt/swift/...` on our machines), so the wheel is for this
machine, like a locally compiled extension module.
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

CHECKOUT = Path(__file__).resolve().parent.parent


def newest_source_time() -> float:
    sources = [CHECKOUT / "Package.swift", *CHECKOUT.joinpath("Sources").rglob("*")]
    return max(path.stat().st_mtime for path in sources if path.is_file())


def locate_egan() -> Path:
    given = os.environ.get("EGAN_BINARY")
    if given:
        path = Path(given).resolve()
        if not path.is_file():
            raise SystemExit(f"EGAN_BINARY={given} is not a file; build it with `swift build -c release`")
        return path
    built = CHECKOUT / ".build" / "release" / "egan"
    if built.is_file() and built.stat().st_mtime >= newest_source_time():
        return built
    if shutil.which("swift") is None:
        raise SystemExit(
            "effectivegan needs the egan binary: install Swift 6 and the system libraries (see the README's set-up "
            "command), or point EGAN_BINARY at a built egan")
    subprocess.run(["swift", "build", "-c", "release", "--product", "egan"], cwd=CHECKOUT, check=True)
    return built


class BuildWithEgan(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "effectivegan" / "_bin"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(locate_egan(), target / "egan")
        os.chmod(target / "egan", 0o755)


class BinaryDistribution(Distribution):
    """The wheel holds a compiled program: mark it platform-specific."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithEgan}, distclass=BinaryDistribution)
