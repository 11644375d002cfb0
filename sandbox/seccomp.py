"""The bwrap backend's syscall filter: a classic BPF program for bwrap's `--seccomp FD`, denying
(EPERM) what Docker's default profile denies an unprivileged container: new namespaces (unshare,
setns, clone with namespace flags), the kernel keyring (which every run as uid 65534 would
share), io_uring, bpf, perf_event_open, userfaultfd, ptrace and process_vm_*, mounts, module
and kexec loading. clone3 answers ENOSYS, as in Docker: its flags sit behind a pointer a filter
cannot read, and libc then falls back to clone, whose flags are checked. Other ABIs (x32, i386
through int 0x80) are denied whole.

`docker_profile` states the same rules as a Docker seccomp profile, by name (the engine resolves
them per architecture), together with what Docker's own default profile denies: older engines'
defaults let io_uring through, and a container gets one profile."""

from __future__ import annotations

import errno
import json
import platform
import struct

from coderforge.sandbox.isolation import SandboxUnavailableError

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (little-endian here).
_NR, _ARCH, _ARG0_LOW = 0, 4, 16
# Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
#: CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET.
NAMESPACE_FLAGS = 0x7E020000
_X32_BIT = 0x40000000

#: Denied syscalls by name; numbers per architecture below.
DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
          "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
          "fsconfig", "fsmount", "fspick", "mount_setattr", "open_by_handle_at", "name_to_handle_at",
          "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter", "io_uring_register",
          "bpf", "perf_event_open", "userfaultfd", "kexec_load", "kexec_file_load", "init_module",
          "finit_module", "delete_module", "swapon", "swapoff", "reboot", "acct", "quotactl", "syslog")

#: Also denied by Docker's default profile (by name; the engine skips names its architecture lacks).
_DOCKER_DEFAULT_DENIED = ("clock_adjtime", "clock_settime", "settimeofday", "stime", "create_module",
                          "get_kernel_syms", "query_module", "get_mempolicy", "set_mempolicy", "mbind", "move_pages",
                          "ioperm", "iopl", "lookup_dcookie", "nfsservctl", "sysfs", "_sysctl", "umount", "uselib",
                          "ustat", "vm86", "vm86old")


def docker_profile() -> str:
    """A Docker seccomp profile (JSON) with the rules of `filter_program`."""
    deny = {"names": sorted({*DENIED, *_DOCKER_DEFAULT_DENIED}), "action": "SCMP_ACT_ERRNO", "errnoRet": errno.EPERM}
    # One rule per namespace flag: libseccomp compares masked values for equality only.
    bits = [1 << i for i in range(32) if NAMESPACE_FLAGS >> i & 1]
    clone = [{"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": errno.EPERM,
              "args": [{"index": 0, "value": bit, "valueTwo": bit, "op": "SCMP_CMP_MASKED_EQ"}]} for bit in bits]
    clone3 = {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": errno.ENOSYS}
    return json.dumps({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [deny, *clone, clone3]})


# (AUDIT_ARCH_*, syscall numbers) from the kernel's syscall tables.
_COMMON = {"io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "open_tree": 428,
           "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "clone3": 435,
           "pidfd_getfd": 438, "mount_setattr": 442}
_ARCHES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (0xC000003E, {**_COMMON, "clone": 56, "ptrace": 101, "syslog": 103, "chroot": 161, "acct": 163,
                            "mount": 165, "umount2": 166, "swapon": 167, "swapoff": 168, "reboot": 169,
                            "pivot_root": 155, "init_module": 175, "delete_module": 176, "quotactl": 179,
                            "kexec_load": 246, "add_key": 248, "request_key": 249, "keyctl": 250, "unshare": 272,
                            "perf_event_open": 298, "name_to_handle_at": 303, "open_by_handle_at": 304,
                            "setns": 308, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
                            "finit_module": 313, "kexec_file_load": 320, "bpf": 321, "userfaultfd": 323}),
    "aarch64": (0xC00000B7, {**_COMMON, "clone": 220, "ptrace": 117, "syslog": 116, "chroot": 51, "acct": 89,
                             "mount": 40, "umount2": 39, "swapon": 224, "swapoff": 225, "reboot": 142,
                             "pivot_root": 41, "init_module": 105, "delete_module": 106, "quotactl": 60,
                             "kexec_load": 104, "add_key": 217, "request_key": 218, "keyctl": 219, "unshare": 97,
                             "perf_event_open": 241, "name_to_handle_at": 264, "open_by_handle_at": 265,
                             "setns": 268, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272,
                             "finit_module": 273, "kexec_file_load": 294, "bpf": 280, "userfaultfd": 282}),
}


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def filter_program(machine: str | None = None) -> bytes:
    """The compiled filter for `machine` (default: this one), as bwrap's --seccomp reads it."""
    machine = machine or platform.machine()
    if machine not in _ARCHES:
        raise SandboxUnavailableError(f"no syscall filter for the {machine} architecture (x86_64 and aarch64 "
                                      "are supported): use the docker backend")
    arch, numbers = _ARCHES[machine]
    denied = sorted({numbers[name] for name in DENIED})
    # (opcode, k, label if true, label if false); BPF jumps only forward, so every label is below.
    prog: list[tuple[int, int, str | None, str | None]] = [
        (_LD_ABS, _ARCH, None, None), (_JEQ, arch, None, "deny"), (_LD_ABS, _NR, None, None),
        (_JGE, _X32_BIT, "deny", None), *((_JEQ, nr, "deny", None) for nr in denied),
        (_JEQ, numbers["clone3"], "enosys", None), (_JEQ, numbers["clone"], "clone", None),
        (_RET, _ALLOW, None, None),
        (_RET, _ERRNO | errno.ENOSYS, None, None),
        (_LD_ABS, _ARG0_LOW, None, None), (_JSET, NAMESPACE_FLAGS, "deny", None), (_RET, _ALLOW, None, None),
        (_RET, _ERRNO | errno.EPERM, None, None),
    ]
    end = len(prog)
    labels = {"enosys": end - 5, "clone": end - 4, "deny": end - 1}

    def jump(label: str | None, at: int) -> int:
        return labels[label] - at - 1 if label else 0

    return b"".join(_insn(code, k, jump(jt, at), jump(jf, at)) for at, (code, k, jt, jf) in enumerate(prog))
