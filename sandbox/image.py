"""Builds the docker backend's image locally, with no registry: a root file system holding the
files of this machine's toolchain packages (their Debian dependency closure), coderforge's Python
(standard library only) and the rustup toolchain, at the same paths as on the host, streamed
through tar into `docker import`."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from coderforge.sandbox.bwrap import ETC_ENTRIES, GROUP, PASSWD
from coderforge.sandbox.toolchains import host_tools

from coderforge.errors import CoderforgeError

logger = logging.getLogger(__name__)

#: Host paths never copied into the image, even where an ETC_ENTRIES tree holds them (private keys).
EXCLUDED = (Path("/etc/ssl/private"),)
#: Debian packages whose files (and their dependencies' files) go into the image.
PACKAGES = ("bash", "dash", "coreutils", "grep", "sed", "findutils", "gcc", "g++", "libc6-dev",
            "openjdk-17-jdk-headless", "nodejs", "node-typescript", "golang-go", "php-cli", "mono-mcs",
            "mono-runtime", "tini", "ca-certificates")
_SKIP = re.compile(r"^/usr/share/(doc|man|info|locale|lintian|bug)/")
_MERGED_USR = re.compile(r"^/(bin|sbin|lib|lib32|lib64|libx32)/")


class ImageBuildError(CoderforgeError, RuntimeError):
    """The image could not be built (a tool or the engine is missing, or a step failed)."""


def _run(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    except FileNotFoundError as e:
        raise ImageBuildError(f"{argv[0]} not found: this build needs a Debian/Ubuntu host with dpkg") from e
    except subprocess.CalledProcessError as e:
        raise ImageBuildError(f"{' '.join(argv[:3])} ... failed: {e.stderr.strip()[:500]}") from e


def package_closure(packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """The installed packages among `packages` and everything they depend on."""
    installed = [p for p in packages if _installed(p)]
    out = _run(["apt-cache", "depends", "--recurse", "--installed", "--no-recommends", "--no-suggests",
                "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *installed])
    names = {line.strip() for line in out.splitlines() if line and not line.startswith((" ", "<"))}
    return sorted(n for n in names if _installed(n))


def _installed(package: str) -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return out.returncode == 0 and "install ok installed" in out.stdout


def _package_files(packages: list[str]) -> Iterator[str]:
    out = _run(["dpkg-query", "-L", *packages])
    for line in out.splitlines():
        path = _MERGED_USR.sub(r"/usr/\1/", line.strip()) if Path("/bin").is_symlink() else line.strip()
        if path.startswith("/") and path != "/." and not _SKIP.match(path) and os.path.lexists(path):
            yield path


def _tree(root: Path, skip: tuple[Path, ...] = ()) -> Iterator[str]:
    skip = (*skip, *EXCLUDED)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        yield dirpath
        yield from (str(here / f) for f in filenames)


def image_files() -> list[str]:
    """Every host path the image holds (relative to /), parents before children."""
    tools = host_tools()
    files = set(_package_files(package_closure()))
    for name in ETC_ENTRIES:
        if Path("/etc", name).is_dir():
            files.update(_tree(Path("/etc", name)))
        elif Path("/etc", name).exists():
            files.add(f"/etc/{name}")
    for bin_dir in (Path("/usr/bin"), Path("/usr/sbin")):  # update-alternatives links are not in dpkg lists
        files.update(str(p) for p in bin_dir.iterdir() if p.is_symlink() and "/etc/alternatives/" in os.readlink(p))
    site = tools.python_site_packages
    files.update(_tree(tools.python_prefix, skip=(site, site.parent / "test")))
    files.add(str(site))
    if tools.rust_sysroot is not None:
        files.update(_tree(tools.rust_sysroot, skip=(tools.rust_sysroot / "share",)))
    return sorted(p.lstrip("/") for p in files if not any(Path(p).is_relative_to(x) for x in EXCLUDED))


def _stage(root: Path) -> None:
    """The image's skeleton: top-level links and dirs, passwd/group, and /root's path for toolchains."""
    for name in ("bin", "sbin", "lib", "lib64"):
        link = Path("/", name)
        if link.is_symlink():
            (root / name).symlink_to(os.readlink(link))
    for name, mode in (("tmp", 0o1777), ("work", 0o755), ("proc", 0o755), ("dev", 0o755), ("sys", 0o755),
                       ("etc", 0o755), ("root", 0o711)):
        (root / name).mkdir(exist_ok=True)
        (root / name).chmod(mode)
    (root / "etc/passwd").write_text(PASSWD)
    (root / "etc/group").write_text(GROUP)
    for mount in host_tools().mounts():  # parents of the toolchains: traversable, not listable
        for parent in reversed(mount.parents[:-1]):
            target = root / parent.relative_to("/")
            target.mkdir(exist_ok=True)
            target.chmod(0o711 if parent.is_relative_to("/root") else 0o755)


def build_image(tag: str) -> None:
    """Stream the root file system through tar into `docker import` as `tag`."""
    files = image_files()
    logger.info("image %s: %d paths from the host", tag, len(files))
    previous = subprocess.run(["docker", "image", "inspect", "--format", "{{.Id}}", tag],
                              capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="coderforge-image-") as tmp:
        stage = Path(tmp, "root")
        stage.mkdir()
        _stage(stage)
        staged = {str(p.relative_to(stage)) for p in stage.rglob("*")}
        listing = Path(tmp, "files.txt")
        listing.write_text("\n".join(f for f in files if f not in staged and f not in ("", ".")) + "\n")
        tar = subprocess.Popen(
            ["tar", "--create", "--numeric-owner", "-C", str(stage), ".",
             "-C", "/", "--no-recursion", "--verbatim-files-from", "--files-from", str(listing)],
            stdout=subprocess.PIPE)
        try:
            imported = subprocess.run(["docker", "import", "--change", "USER 65534:65534", "--change",
                                       "WORKDIR /work", "-", tag], stdin=tar.stdout, capture_output=True, text=True)
        finally:
            assert tar.stdout is not None
            tar.stdout.close()
            tar_rc = tar.wait()
    if imported.returncode != 0:
        raise ImageBuildError(f"docker import failed: {imported.stderr.strip()[:500]}")
    if tar_rc not in (0, 1):  # 1: a file changed while being read, harmless here
        raise ImageBuildError(f"tar failed with exit code {tar_rc}")
    built = imported.stdout.strip()
    logger.info("built %s (%s)", tag, built)
    if previous and previous != built:  # the old build is untagged now; drop it unless a container uses it
        subprocess.run(["docker", "rmi", previous], capture_output=True)
